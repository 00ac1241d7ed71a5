// 心桥 console: draws the figures page's charts with the vendored ECharts (SVG renderer). Each chart's option
// is JSON in the data-option attribute of its element (the page carries no inline script).
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) { return; }
    var els = document.querySelectorAll("[data-chart-option]");
    for (var i = 0; i < els.length; i++) {
      var el = els[i], option;
      try { option = JSON.parse(el.getAttribute("data-chart-option")); } catch (e) { continue; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option);
      el.setAttribute("data-chart-ready", "1");
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
