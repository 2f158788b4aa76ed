/* lisite: search this audience's site, offline and from a folder (file://).
   The index (assets/search-index.js, written by lisite.search from this audience's pages only) is a
   plain script, loaded the first time the box is used: fetch() is refused on file://, a script is not.
   Every word shown comes from the page (data-* attributes, from the catalogue) or from the index. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) { return; }
  var input = form.querySelector("input");
  var panel = form.querySelector(".search-results");
  var list = panel.querySelector("ol");
  var count = panel.querySelector(".search-count");
  var status = document.getElementById("search-status");
  var root = form.getAttribute("data-root") || "";
  var LIMIT = 10;
  var pages = null;  // the index, prepared for searching
  var loading = false;
  var EDGE = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

  function say(key, n, shown) {
    return (form.getAttribute("data-" + key) || "").replace("{n}", n).replace("{shown}", shown);
  }

  function prepare(index) {
    return index.pages.map(function (page) {
      var sections = page.s.map(function (s) {
        return { anchor: s[0], heading: s[1], text: s[2], lh: s[1].toLowerCase(), lx: s[2].toLowerCase() };
      });
      var all = [page.t].concat(sections.map(function (s) { return s.lh + "\n" + s.lx; })).join("\n").toLowerCase();
      return { url: page.u, title: page.t, lt: page.t.toLowerCase(), sections: sections, all: all };
    });
  }

  function load() {
    if (pages || loading) { return; }
    if (window.lisiteSearchIndex) { pages = prepare(window.lisiteSearchIndex); return; }
    loading = true;
    var script = document.createElement("script");
    script.src = root + "assets/search-index.js";
    script.onload = function () {
      loading = false;
      pages = window.lisiteSearchIndex ? prepare(window.lisiteSearchIndex) : [];
      if (input.value) { search(); }
    };
    script.onerror = function () { loading = false; show([], say("unavailable")); };
    document.head.appendChild(script);
  }

  function terms(query) {
    var found = [];
    query.toLowerCase().split(/\s+/).forEach(function (word) {
      word = word.replace(EDGE, "");
      if (word.length >= 2 && found.indexOf(word) < 0) { found.push(word); }
    });
    return found;
  }

  function occurrences(text, term, cap) {
    var n = 0, at = text.indexOf(term);
    while (at >= 0 && n < cap) { n += 1; at = text.indexOf(term, at + term.length); }
    return n;
  }

  // A page is found when every word is on it; the title counts most, then headings, then text (a few
  // hits a section: a long page that repeats a word is not thereby the best).
  // The section with most of the words (then most hits) is the one a result links to.
  function rank(page, words) {
    var score = 0, best = null, bestKey = -1;
    for (var i = 0; i < words.length; i++) {
      if (page.all.indexOf(words[i]) < 0) { return null; }
      if (page.lt.indexOf(words[i]) >= 0) { score += 30; }
    }
    page.sections.forEach(function (s) {
      var present = 0, hits = 0;
      words.forEach(function (w) {
        var h = occurrences(s.lh, w, 1) * 10 + occurrences(s.lx, w, 3);
        if (h) { present += 1; hits += h; }
      });
      score += hits;
      var key = present * 1000 + hits;
      if (present && key > bestKey) { best = s; bestKey = key; }
    });
    return { page: page, score: score, section: best || page.sections[0] };
  }

  function snippet(section, words) {
    var text = section.text, lower = section.lx, at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w);
      if (i >= 0 && (at < 0 || i < at)) { at = i; }
    });
    at = Math.max(at, 0);
    var sentence = text.lastIndexOf(". ", at);  // begin with the hit's sentence when it is near
    var start = sentence >= 0 && at - sentence < 90 ? sentence + 2 : Math.max(0, at - 60);
    if (start > 0 && start !== sentence + 2) { start = text.indexOf(" ", start) + 1 || start; }
    var end = Math.min(text.length, start + 200);
    if (end < text.length) { end = text.lastIndexOf(" ", end) > start ? text.lastIndexOf(" ", end) : end; }
    return { text: text.slice(start, end), before: start > 0, after: end < text.length };
  }

  // The snippet as text nodes with each searched word in a <mark>: never HTML from the index.
  function marked(part, words) {
    var p = document.createElement("p");
    p.className = "search-snippet";
    var text = part.text, lower = text.toLowerCase(), at = 0;
    if (part.before) { p.appendChild(document.createTextNode("… ")); }
    while (at < text.length) {
      var next = -1, length = 0;
      words.forEach(function (w) {
        var i = lower.indexOf(w, at);
        if (i >= 0 && (next < 0 || i < next || (i === next && w.length > length))) { next = i; length = w.length; }
      });
      if (next < 0) { p.appendChild(document.createTextNode(text.slice(at))); break; }
      p.appendChild(document.createTextNode(text.slice(at, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      p.appendChild(mark);
      at = next + length;
    }
    if (part.after) { p.appendChild(document.createTextNode(" …")); }
    return p;
  }

  function show(found, message) {
    list.textContent = "";
    found.forEach(function (r) { list.appendChild(r); });
    count.textContent = message;
    status.textContent = message;
    panel.hidden = false;
  }

  function close() {
    panel.hidden = true;
    status.textContent = "";
  }

  function search() {
    var words = terms(input.value);
    if (!words.length) { close(); return; }
    load();
    if (!pages) { return; }  // searched again when the index has loaded
    var ranked = [];
    pages.forEach(function (page, order) {
      var r = rank(page, words);
      if (r) { r.order = order; ranked.push(r); }
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    var items = ranked.slice(0, LIMIT).map(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.page.url + (r.section.anchor ? "#" + r.section.anchor : "");
      var title = document.createElement("span");
      title.className = "search-title";
      title.textContent = r.page.title;
      a.appendChild(title);
      if (r.section.heading && r.section.heading !== r.page.title) {
        var where = document.createElement("span");
        where.className = "search-section";
        where.textContent = r.section.heading;
        a.appendChild(where);
      }
      li.appendChild(a);
      li.appendChild(marked(snippet(r.section, words), words));
      return li;
    });
    var n = ranked.length;
    show(items, n === 0 ? say("none") : n === 1 ? say("one") : n > LIMIT ? say("top", n, LIMIT) : say("many", n));
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  form.addEventListener("submit", function (event) {
    event.preventDefault();  // nothing is sent anywhere (the pages' policy allows no form action)
    var first = links()[0];
    if (first) { window.location.href = first.href; }
  });
  input.addEventListener("focus", function () { load(); if (input.value) { search(); } });
  input.addEventListener("input", search);
  form.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      if (!panel.hidden) { close(); } else { input.value = ""; }
      input.focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown" && all.length) {
      all[Math.min(at + 1, all.length - 1)].focus();
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : all[at - 1]).focus();
      event.preventDefault();
    }
  });
  // Closed when focus moves on by keyboard, or on a tap or click elsewhere. Not on a blur alone: Safari
  // does not focus a tapped link, and the list must stay until the tap on a result has landed.
  form.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !form.contains(event.relatedTarget)) { close(); }
  });
  document.addEventListener("pointerdown", function (event) {
    if (!form.contains(event.target)) { close(); }
  });
  list.addEventListener("click", function () { close(); });
})();
