/* Trend charts of the command dashboard and big screen.
 *
 * The server draws every trend as SVG bars, so a phone on a weak network reads it with no
 * script at all. Where ECharts is at hand (the big screen loads it at once) or affordable
 * (the dashboard fetches it, 170 KB compressed, only when the trends scroll into view and
 * the browser has not asked to save data), the same numbers are redrawn as an ECharts bar
 * chart with dates and a scale. The SVG stays in the page for screen readers.
 */
(function () {
  "use strict";

  var charts = [];

  function numbers(text) {
    return text ? text.split(",").map(function (value) { return parseFloat(value) || 0; }) : [];
  }

  function draw(root) {
    if (!window.echarts) return;
    var dark = document.body.classList.contains("screen");
    var ink = dark ? "#e5e7eb" : "#374151";
    var line = dark ? "#24345f" : "#e5e7eb";
    var bar = dark ? "#ffd54a" : "#b3141b";
    root.querySelectorAll("figure.trend[data-values]").forEach(function (figure) {
      if (figure.querySelector(".trend-chart")) return;
      var bars = figure.querySelector("svg.bars");
      var box = document.createElement("div");
      box.className = "trend-chart";
      // The chart repeats what the SVG's label says; readers get it once, from the SVG.
      box.setAttribute("aria-hidden", "true");
      figure.appendChild(box);
      var chart = window.echarts.init(box, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 40, right: 8, top: 10, bottom: 24 },
        xAxis: {
          type: "category",
          data: figure.dataset.days.split(","),
          axisLabel: { color: ink, fontSize: dark ? 12 : 11 },
          axisLine: { lineStyle: { color: ink } },
          axisTick: { show: false },
        },
        yAxis: {
          type: "value",
          minInterval: 1,
          splitNumber: dark ? 2 : 3,
          axisLabel: { color: ink, fontSize: dark ? 12 : 11 },
          splitLine: { lineStyle: { color: line } },
        },
        series: [{ type: "bar", data: numbers(figure.dataset.values), itemStyle: { color: bar } }],
      });
      if (bars) bars.classList.add("visually-hidden");
      charts.push(chart);
    });
  }

  function slowNetwork() {
    var connection = navigator.connection;
    return Boolean(connection && (connection.saveData || /2g/.test(connection.effectiveType || "")));
  }

  function fetchEcharts(section) {
    if (window.echarts || slowNetwork()) return draw(document);
    var script = document.createElement("script");
    script.src = section.dataset.echarts;
    script.onload = function () { draw(document); };
    document.head.appendChild(script);
  }

  function start() {
    var section = document.querySelector("section.trends[data-echarts]");
    if (window.echarts || !section) {
      draw(document);
    } else if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          seen.disconnect();
          fetchEcharts(section);
        }
      }, { rootMargin: "200px" });
      seen.observe(section);
    }
    // The big screen swaps its content every minute: draw the new trends, drop the old charts.
    document.body.addEventListener("htmx:afterSettle", function () {
      charts = charts.filter(function (chart) {
        if (document.body.contains(chart.getDom())) return true;
        chart.dispose();
        return false;
      });
      draw(document);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
