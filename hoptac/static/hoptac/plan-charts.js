// A target's trajectory against the straight path to it, and the comparison of children.
(function () {
  var script = document.currentScript;
  var data = JSON.parse(document.getElementById("plan-chart-data").textContent);
  var fmt = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });
  var trajectory = echarts.init(document.getElementById("trajectory-chart"));
  trajectory.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return v == null ? "—" : fmt.format(v); } },
    legend: { top: 0 },
    grid: { left: 60, right: 20, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.years },
    yAxis: { type: "value", axisLabel: { formatter: function (v) { return fmt.format(v); } } },
    series: [
      { name: script.dataset.actual, type: "line", data: data.actual, symbolSize: 8 },
      { name: script.dataset.path, type: "line", data: data.path, lineStyle: { type: "dashed" }, symbol: "none" },
    ],
  });
  var children = echarts.init(document.getElementById("children-chart"));
  var rows = data.children.filter(function (c) { return c.value != null; }).sort(function (a, b) { return a.value - b.value; }).slice(-25);
  children.setOption({
    tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return fmt.format(v); } },
    grid: { left: 140, right: 20, top: 10, bottom: 30 },
    xAxis: { type: "value", axisLabel: { formatter: function (v) { return fmt.format(v); } } },
    yAxis: { type: "category", data: rows.map(function (c) { return c.name; }), axisLabel: { width: 130, overflow: "truncate" } },
    series: [{ type: "bar", data: rows.map(function (c) { return c.value; }),
               markLine: data.goal == null ? undefined : { data: [{ xAxis: data.goal }], symbol: "none" } }],
  });
  window.addEventListener("resize", function () { trajectory.resize(); children.resize(); });
})();
