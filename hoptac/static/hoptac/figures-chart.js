// Key figures of one organisation over the years (ECharts, served locally).
(function () {
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("figures-chart-data").textContent);
  var chart = echarts.init(document.getElementById("figures-chart"));
  var millions = function (v) { return v == null ? null : Math.round(v / 1e6); };
  var fmt = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB");
  chart.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v == null ? "—" : fmt.format(v); } },
    legend: { top: 0 },
    grid: { left: 60, right: 60, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.years },
    yAxis: [
      { type: "value", name: document.documentElement.lang === "vi" ? "triệu đồng" : "million đồng", axisLabel: { formatter: function (v) { return fmt.format(v); } } },
      { type: "value", name: script.dataset.members, axisLabel: { formatter: function (v) { return fmt.format(v); } } },
    ],
    series: [
      { name: script.dataset.revenue, type: "bar", data: data.revenue.map(millions) },
      { name: script.dataset.profit, type: "bar", data: data.profit.map(millions) },
      { name: script.dataset.members, type: "line", yAxisIndex: 1, data: data.members },
    ],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
