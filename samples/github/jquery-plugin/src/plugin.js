/*!
 * jquery-lazy-list 2.2.0
 * Loads more list items from a JSON endpoint when the user scrolls near the end.
 */
(function ($) {
  'use strict';

  var defaults = {
    url: '/items',
    pageSize: 20,
    threshold: 150,
    render: function (item) {
      return $('<li/>').text(item.title);
    }
  };

  function LazyList(element, options) {
    this.$el = $(element);
    this.options = $.extend({}, defaults, options);
    this.page = 0;
    this.loading = false;
    this.done = false;
    this.bind();
    this.load();
  }

  LazyList.prototype.bind = function () {
    var self = this;
    $(window).on('scroll.lazyList', function () {
      var bottom = $(window).scrollTop() + $(window).height();
      if (bottom > self.$el.offset().top + self.$el.outerHeight() - self.options.threshold) {
        self.load();
      }
    });
  };

  LazyList.prototype.load = function () {
    var self = this;
    if (self.loading || self.done) return;
    self.loading = true;
    self.$el.addClass('is-loading');
    $.ajax({
      url: self.options.url,
      data: { page: self.page + 1, size: self.options.pageSize },
      dataType: 'json'
    })
      .done(function (items) {
        self.page += 1;
        self.done = items.length < self.options.pageSize;
        $.each(items, function (_, item) {
          self.$el.append(self.options.render(item));
        });
        self.$el.trigger('lazylist:loaded', [items]);
      })
      .fail(function (xhr) {
        self.$el.trigger('lazylist:error', [xhr.status]);
      })
      .always(function () {
        self.loading = false;
        self.$el.removeClass('is-loading');
      });
  };

  LazyList.prototype.destroy = function () {
    $(window).off('scroll.lazyList');
    this.$el.removeData('lazyList');
  };

  $.fn.lazyList = function (options) {
    return this.each(function () {
      if (!$.data(this, 'lazyList')) {
        $.data(this, 'lazyList', new LazyList(this, options));
      }
    });
  };
})(jQuery);
