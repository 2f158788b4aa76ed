/* lisite: draw the page's charts, with the page's number locale.
   A chart names its Vega-Lite spec (data-chart="<key>"); the spec is in charts/<key>.js, a script the page loads
   before this one, which sets window.lisiteCharts["<key>"] (a file shared by every page that shows the chart).
   Every chart is drawn at once as SVG (not on scrolling), so the browser's print (Ctrl+P) has each one as vector
   graphics; a page carries no other drawing of a chart (without JavaScript, or without the chart's file: a note and
   the chart's table). */
(function () {
  "use strict";
  // The page's number and time locale (lisite.charts.vega_locale), written by the engine in the site's language.
  var localeScript = document.getElementById("lisite-locale");
  var locale = localeScript ? JSON.parse(localeScript.textContent) : {};

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var charts = document.querySelectorAll(".chart");
    Array.prototype.forEach.call(charts, function (el) {
      var found = window.lisiteCharts || {};
      var key = el.getAttribute("data-chart");
      if (!key || !Object.prototype.hasOwnProperty.call(found, key)) { return; }
      var spec = JSON.parse(JSON.stringify(found[key]));  // a copy: the same chart may stand twice on a page
      if (!withBrowserData(spec, el)) { return; }
      var target = document.createElement("div");
      target.className = "chart-live";
      el.appendChild(target);
      el.classList.add("is-drawing");  // the note for readers without JavaScript gives way at once, not after drawing
      window.vegaEmbed(target, spec, {
        actions: false,
        renderer: "svg",
        formatLocale: locale.format,
        timeFormatLocale: locale.time
      }).then(function () {
        el.classList.add("is-live");
        scrollable(target);
      }).catch(function (err) {
        el.classList.remove("is-drawing");
        target.remove();
        if (window.console) { console.error("lisite chart", el.id, err); }
      });
    });
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
