/* lisite: draw charts from the specs inline in the page, with the page's number locale. */
(function () {
  "use strict";
  // The page's number and time locale (lisite.charts.vega_locale), written by the engine in the site's language.
  var localeScript = document.getElementById("lisite-locale");
  var locale = localeScript ? JSON.parse(localeScript.textContent) : {};

  function drawCharts() {
    if (typeof window.vegaEmbed !== "function") { return; }
    var charts = document.querySelectorAll(".chart");
    Array.prototype.forEach.call(charts, function (el) {
      var script = el.querySelector("script.chart-spec");
      if (!script) { return; }
      var spec = JSON.parse(script.textContent);
      var target = document.createElement("div");
      target.className = "chart-live";
      el.appendChild(target);
      window.vegaEmbed(target, spec, {
        actions: false,
        renderer: "svg",
        formatLocale: locale.format,
        timeFormatLocale: locale.time
      }).then(function () {
        el.classList.add("is-live");
      }).catch(function (err) {
        target.remove();
        if (window.console) { console.error("lisite chart", el.id, err); }
      });
    });
  }

  function navToggle() {
    var button = document.querySelector(".navtoggle");
    var nav = document.getElementById("nav");
    if (!button || !nav) { return; }
    button.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  document.documentElement.classList.add("js");
  navToggle();
  drawCharts();
})();
