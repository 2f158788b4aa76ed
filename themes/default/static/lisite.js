/* lisite: draw charts from the specs inline in the page, with the page's number locale. */
(function () {
  "use strict";
  var LOCALES = {
    da: {
      format: { decimal: ",", thousands: ".", grouping: [3], currency: ["", " kr."] },
      time: {
        dateTime: "%A den %d. %B %Y %X", date: "%d-%m-%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
        days: ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
        shortDays: ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
        months: ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december"],
        shortMonths: ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
      }
    },
    en: {
      format: { decimal: ".", thousands: ",", grouping: [3], currency: ["DKK ", ""] },
      time: {
        dateTime: "%a %e %b %X %Y", date: "%d/%m/%Y", time: "%H:%M:%S", periods: ["AM", "PM"],
        days: ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        shortDays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        months: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        shortMonths: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
      }
    }
  };
  var lang = document.documentElement.lang === "en" ? "en" : "da";

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
        formatLocale: LOCALES[lang].format,
        timeFormatLocale: LOCALES[lang].time
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
