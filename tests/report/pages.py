"""Reading a rendered report page: its headings, images and URL-bearing attributes."""

from __future__ import annotations

from html.parser import HTMLParser


class Resources(HTMLParser):
    """Every URL-bearing attribute and every <img src> of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.images: list[str] = []
        self.headings: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data", "action") and value:
                self.urls.append(value)
        if tag == "img":
            self.images.append(dict(attrs).get("src", ""))
        self._in_h2 = tag == "h2"

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.headings.append(data)
