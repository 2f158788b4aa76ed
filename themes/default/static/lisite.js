/* lisite: draw the page's charts, with the page's number locale.
   A chart names its Vega-Lite spec (data-chart="<key>"); the spec is in charts/<key>.js, a script the page loads
   before this one, which sets window.lisiteCharts["<key>"] (a file shared by every page that shows the chart).
   Every chart is drawn as SVG as soon as the page opens (not when it is scrolled to), so the browser's print
   (Ctrl+P) has each one as vector graphics; a page carries no other drawing of a chart (without JavaScript, or
   without the chart's file: a note and the chart's table). They are drawn one at a time, the one nearest to what
   the reader sees first, with a pause after each in which the browser shows it and answers the reader: drawn all
   together, the 26 charts of the committee's annual report showed none before the last was done, and the page
   answered nothing meanwhile (2.4 s with Chromium's processor slowed four times, about a tablet's). A page opened
   again (reloaded, or with the back button) has them all drawn at once, as before: the browser puts the view back
   by its distance from the top once the page has loaded, and needs every chart's height by then. */
(function () {
  "use strict";
  // The page's number and time locale (lisite.charts.vega_locale), written by the engine in the site's language.
  var localeScript = document.getElementById("lisite-locale");
  var locale = localeScript ? JSON.parse(localeScript.textContent) : {};

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var found = window.lisiteCharts || {};
    var waiting = [];
    Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (el) {
      var key = el.getAttribute("data-chart");
      if (!key || !Object.prototype.hasOwnProperty.call(found, key)) { return; }
      var spec = JSON.parse(JSON.stringify(found[key]));  // a copy: the same chart may stand twice on a page
      if (!withBrowserData(spec, el)) { return; }
      el.classList.add("is-drawing");  // the note for readers without JavaScript gives way at once, not after drawing
      waiting.push({ el: el, spec: spec });
    });
    if (returning()) {  // the browser puts the view back where it was, by its distance from the top, once the page has
      // loaded: every chart must have its height by then, so they are all drawn at once, as they were before
      waiting.forEach(function (chart) { draw(chart.el, chart.spec, false); });
      return;
    }
    // in the order of what the reader sees first: worked out again only after a scroll (it asks the browser where each
    // chart is), by the reader or by the browser, which goes to the address's #part once the page has loaded
    byDistance(waiting, partShown());
    var scrolled = false;
    window.addEventListener("scroll", function () { scrolled = true; }, { passive: true });
    var pause = new MessageChannel();  // a pause after a chart: a new task, without the 4 ms a timer waits at least
    var sliceStarted = 0;
    pause.port1.onmessage = function () { sliceStarted = Date.now(); next(); };
    function next() {
      if (!waiting.length) { return; }
      if (scrolled) {
        byDistance(waiting, 0);
        scrolled = false;
      }
      var chart = waiting.shift();
      draw(chart.el, chart.spec, true).then(function () {
        if (Date.now() - sliceStarted < SLICE_MS) { next(); } else { pause.port2.postMessage(null); }
      });
    }
    sliceStarted = Date.now();
    next();
  }
  // Charts are drawn one after another for at most this long before the browser gets a pause to show them and to
  // answer the reader (a tap, a scroll).
  var SLICE_MS = 50;

  // The charts in the order they are drawn: those in view (a window's height from ``top``, where the view's top is or
  // will be), then those below it, nearest first, then those above it (counted twice as far: a reader reads down the
  // page); of equals, the first on the page.
  function byDistance(waiting, top) {
    var bottom = top + window.innerHeight;
    waiting.forEach(function (chart, i) {
      var box = chart.el.getBoundingClientRect();  // (a chart not yet drawn has no height: at the view's top edge, in view)
      chart.distance = box.bottom < top - 1 ? 2 * (top - box.bottom) : Math.max(0, box.top - bottom);
      chart.place = i;
    });
    waiting.sort(function (a, b) { return a.distance - b.distance || a.place - b.place; });
  }

  // Is the page opened again (reloaded, as lisite serve does after an edit, or by the browser's back or forward
  // button), where the browser restores how far down the reader was?
  function returning() {
    var entries = window.performance && performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    if (entries.length) { return entries[0].type === "reload" || entries[0].type === "back_forward"; }
    return !!(window.performance && performance.navigation && performance.navigation.type > 0);
  }

  // Where the view's top will be, from the top of the window: at the part the address names (#...), which the browser
  // scrolls to once the page has loaded; else where it is.
  function partShown() {
    var id = window.location.hash.slice(1), part = null;
    try {
      part = id && window.scrollY === 0 ? document.getElementById(decodeURIComponent(id)) : null;
    } catch (err) {  // an address with a broken %-escape names no part: the charts are drawn from the top
      part = null;
    }
    return part ? part.getBoundingClientRect().top : 0;
  }

  // ``keep``: a chart drawn above the view scrolls the page as far (keepInView); not on a page opened again, whose view
  // the browser puts back itself
  function draw(el, spec, keep) {
    var page = document.documentElement, above = keep && el.getBoundingClientRect().top < -1;
    // measured only for a chart above the view, in fractions of a pixel as the layout has it (on a page opened again,
    // where all are started at once, each measure would lay the page out again)
    var tall = above ? page.getBoundingClientRect().height : 0, scrollBefore = above ? window.scrollY : 0;
    var target = document.createElement("div");
    target.className = "chart-live";
    el.appendChild(target);
    return window.vegaEmbed(target, spec, {
      actions: false,
      renderer: "svg",
      formatLocale: locale.format,
      timeFormatLocale: locale.time
    }).then(function () {
      el.classList.add("is-live");
      scrollable(target);
      if (above) { keepInView(page.getBoundingClientRect().height - tall, window.scrollY - scrollBefore); }  // (its margins too, once not empty)
    }).catch(function (err) {
      el.classList.remove("is-drawing");
      target.remove();
      if (window.console) { console.error("lisite chart", el.id, err); }
    });
  }

  // A chart drawn above what the reader sees (one the page was opened below, at a #part, or one the reader scrolled
  // past before it was drawn) pushes the rest down by the height it took: the page is scrolled as far, so what the
  // reader sees stays where it was (less what the browser moved itself: some keep the view by themselves). The page
  // scrolls by whole pixels and a chart's height has fractions: what is left is scrolled with the next chart, so
  // twenty charts drawn above the view move it by less than a pixel, not by the sum of twenty roundings.
  var owed = 0;
  function keepInView(grown, moved) {
    owed += grown - moved;
    var whole = Math.round(owed);
    if (whole !== 0) {
      window.scrollBy(0, whole);
      owed -= whole;
    }
  }

  /* --- browser data (the map): begin ---
     A chart may name datasets that a script under assets/ sets in window.lisiteData (the boundaries of the
     municipalities, written once per site): put them in the spec before drawing. Vega cannot fetch from file://.
     Without them the chart is not drawn and its static part (a note and the table) stays. */
  function withBrowserData(spec, el) {
    var meta = spec.usermeta && spec.usermeta.lisite && spec.usermeta.lisite.datasets;
    if (!meta) { return true; }
    var found = window.lisiteData || {};
    spec.datasets = spec.datasets || {};
    for (var name in meta) {
      if (!Object.prototype.hasOwnProperty.call(meta, name)) { continue; }
      if (!found[name]) { return false; }
      spec.datasets[name] = found[name];
    }
    el.classList.add("browser-data");
    return true;
  }
  /* --- browser data: end --- */

  function navToggle() {
    var button = document.querySelector(".navtoggle");
    var nav = document.getElementById("nav");
    if (!button || !nav) { return; }
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    // Escape closes an open menu and gives the focus back to its button
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !nav.classList.contains("open")) { return; }
      nav.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    });
  }

  // The link back to the top shows once the reader has scrolled a screen down
  function toTop() {
    if (!document.querySelector(".to-top")) { return; }
    var root = document.documentElement;
    function update() { root.classList.toggle("scrolled", window.scrollY > window.innerHeight); }
    window.addEventListener("scroll", update, { passive: true });
    update();
  }

  // A chart wider than the column scrolls sideways; a keyboard reaches the scrolling area too
  function scrollable(target) {
    if (target.scrollWidth > target.clientWidth + 1) {
      target.setAttribute("tabindex", "0");
    }
  }

  // Printing (Ctrl+P) opens every closed <details> (a chart's table, "Om tallene") and closes them again afterwards;
  // lisite.css's print rules do the same in browsers that can print closed details
  function printOpen() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      Array.prototype.forEach.call(document.querySelectorAll("details:not([open])"), function (d) { d.open = true; opened.push(d); });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  document.documentElement.classList.add("js");
  printOpen();
  navToggle();
  toTop();
  drawCharts();
})();
