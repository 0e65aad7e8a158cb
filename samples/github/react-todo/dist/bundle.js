/*! react-todo v1.2.0 | MIT */
(function(){"use strict";var e=document.getElementById("root");function t(n){return n.map(function(o){return"<li>"+o.title+"</li>"}).join("")}e&&(e.innerHTML="<ul>"+t([])+"</ul>")})();
