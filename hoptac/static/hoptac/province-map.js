// The province map: a choropleth of today's 34 provinces drawn with the vendored ECharts.
//
// <div class="province-map" data-url="/indicators/htx_count/map.json?year=2025" data-geo="…/provinces-2025.json"
//      data-label-value="Giá trị" data-label-coverage="Số liệu" …>
//   <select data-map-param="code">…</select>   (optional: changes a query parameter of data-url, or,
//                                               with data-map-path, the path segment {code})
//   <div class="province-map-canvas"></div><div class="province-map-legend"></div>
// </div>
// The data is JSON from the server (hoptac/indicators/maps.py, hoptac/plans/maps.py): one region per
// province with its state, value, texts and link; no inline script (the pages run under a CSP).
(function () {
  "use strict";
  var MAP = "vn-provinces-2025";
  var geoLoading = null;
  var STATUS_COLOURS = {
    achieved: "#198754", on_track: "#5a9e3a", acceleration_needed: "#ffc107", off_track: "#dc3545",
  };
  var NEUTRAL = { no_data: "#e9ecef", hidden: "#f8f9fa", outside: "#f8f9fa", insufficient: "#ced4da" };
  var RAMP = [[237, 248, 233], [0, 109, 44]]; // light to dark green
  var ARCHIPELAGOS = [{ label: "labelHoangSa", at: [112.0, 16.5] }, { label: "labelTruongSa", at: [114.2, 10.0] }];

  function loadGeo(url) {
    if (!geoLoading) {
      geoLoading = fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
        echarts.registerMap(MAP, geo);
        return geo;
      });
    }
    return geoLoading;
  }

  function mix(t) {
    var c = RAMP[0].map(function (a, i) { return Math.round(a + (RAMP[1][i] - a) * t); });
    return "rgb(" + c.join(",") + ")";
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function colourOf(region, range) {
    if (region.state === "status") return STATUS_COLOURS[region.status] || NEUTRAL.no_data;
    if (region.state !== "value") return NEUTRAL[region.state] || NEUTRAL.no_data;
    if (range.max === range.min) return mix(0.6);
    return mix(0.15 + 0.85 * (region.value - range.min) / (range.max - range.min));
  }

  function hatch(region) {
    // "Chưa đủ số liệu": a neutral grey with diagonal hatching, never a colour of the scale.
    if (region.state !== "insufficient" && !(region.state === "status" && region.status === "insufficient_data")) return undefined;
    return { symbol: "rect", symbolSize: 1, color: "rgba(73, 80, 87, 0.45)", dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: -Math.PI / 4 };
  }

  function tooltip(el, region) {
    var d = el.dataset, lines = ["<strong>" + escapeHtml(region.name) + "</strong>"];
    if (region.value_text && region.value != null) lines.push(escapeHtml(d.labelValue) + ": " + escapeHtml(region.value_text));
    if (region.coverage_text) lines.push(escapeHtml(d.labelCoverage) + ": " + escapeHtml(region.coverage_text));
    if (region.status_text) lines.push(escapeHtml(d.labelStatus) + ": " + escapeHtml(region.status_text));
    else if (region.state === "no_data") lines.push(escapeHtml(d.labelNoData));
    return lines.join("<br>");
  }

  function key(label, swatchClass, colour) {
    var item = document.createElement("span");
    item.className = "map-key";
    var swatch = document.createElement("span");
    swatch.className = "map-swatch" + (swatchClass ? " " + swatchClass : "");
    swatch.style.background = colour;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(label));
    return item;
  }

  function legend(el, data, range) {
    var box = el.querySelector(".province-map-legend");
    if (!box) return;
    box.replaceChildren();
    if (data.mode === "status") {
      (data.legend || []).forEach(function (item) {
        if (item.status === "insufficient_data" || item.status === "no_data") return;
        box.appendChild(key(item.label, "", STATUS_COLOURS[item.status]));
      });
    } else if (range.count) {
      var scale = document.createElement("span");
      scale.className = "map-key";
      var ramp = document.createElement("span");
      ramp.className = "map-ramp";
      ramp.style.background = "linear-gradient(90deg," + mix(0.15) + "," + mix(1) + ")";
      scale.append(range.minText + " ", ramp, " " + range.maxText);
      box.appendChild(scale);
    }
    box.appendChild(key(el.dataset.labelInsufficient, "map-hatch", NEUTRAL.insufficient));
    box.appendChild(key(el.dataset.labelNoData, "", NEUTRAL.no_data));
    if (data.regions.some(function (r) { return r.state === "outside"; })) box.appendChild(key(el.dataset.labelOutside, "map-outline", NEUTRAL.outside));
  }

  function draw(el, chart, data) {
    var valued = data.regions.filter(function (r) { return r.state === "value"; });
    var values = valued.map(function (r) { return r.value; });
    var range = { count: values.length, min: Math.min.apply(null, values), max: Math.max.apply(null, values) };
    // The scale's ends as the server wrote them ("1,27 tỷ đồng", "23,1%"), never a raw number.
    valued.forEach(function (r) {
      if (r.value === range.min) range.minText = r.value_text;
      if (r.value === range.max) range.maxText = r.value_text;
    });
    var byCode = {}, palette = [], highlighted = [];
    // The series shares the geo component (geoIndex), which carries the archipelagos' labels; its
    // regions take their colour through a visualMap of colour indexes and their hatching as a decal.
    var items = data.regions.map(function (region) {
      byCode[region.code] = region;
      var colour = colourOf(region, range), index = palette.indexOf(colour);
      if (index < 0) { palette.push(colour); index = palette.length - 1; }
      if (region.highlight) highlighted.push({ name: region.code, itemStyle: { borderColor: "#0d6efd", borderWidth: 2.5 } });
      return { name: region.code, value: index, itemStyle: { decal: hatch(region) }, region: region };
    });
    chart.setOption({
      aria: { enabled: true, label: { enabled: true, description: data.title } },
      tooltip: {
        trigger: "item", confine: true,
        formatter: function (p) {
          var r = (p.data && p.data.region) || byCode[p.name];
          return r ? tooltip(el, r) : p.componentSubType === "scatter" ? escapeHtml(p.name) : "";
        },
      },
      visualMap: {
        type: "piecewise", show: false, seriesIndex: 0, dimension: 0,
        pieces: palette.map(function (colour, i) { return { value: i, color: colour }; }),
      },
      geo: {
        map: MAP, nameProperty: "code", roam: true, scaleLimit: { min: 1, max: 10 },
        boundingCoords: [[102.1, 23.4], [117.2, 8.3]],
        label: { show: false }, selectedMode: false,
        itemStyle: { areaColor: NEUTRAL.no_data, borderColor: "#6c757d", borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: "#9ec5fe" } },
        regions: highlighted,
      },
      series: [
        { type: "map", geoIndex: 0, nameProperty: "code", data: items },
        {
          // Hoàng Sa and Trường Sa: labelled with their provinces; the source draws no boundary for them.
          type: "scatter", coordinateSystem: "geo", symbol: "circle", symbolSize: 3, silent: false,
          itemStyle: { color: "#6c757d" },
          label: { show: true, position: "right", formatter: "{b}", fontSize: 11, color: "#495057" },
          data: ARCHIPELAGOS.map(function (a) { return { name: el.dataset[a.label], value: a.at }; }),
        },
      ],
    }, true);
    el.querySelectorAll("select[data-map-fill]").forEach(function (select) {
      if (select.options.length || !data.choices) return;
      var current = el.dataset.url.match(/([^/?]+)\/map\.json/);
      data.choices.forEach(function (choice) {
        var option = new Option(choice[1], choice[0]);
        option.selected = current && current[1] === choice[0];
        select.add(option);
      });
      select.closest("label").hidden = false;
    });
    el.dataset.regions = String(items.length);
    el.dataset.mode = data.mode;
    legend(el, data, range);
    var title = el.querySelector(".province-map-title");
    if (title) title.textContent = data.title;
    var table = el.querySelector(".province-map-table tbody");
    if (table) {
      table.replaceChildren();
      var hidden = 0;
      // The page's own provinces first, then the measured ones from the highest value, then the rest.
      var rank = { value: 0, status: 0, insufficient: 1, no_data: 2, outside: 3, hidden: 4 };
      data.regions.slice().sort(function (a, b) {
        return (b.highlight ? 1 : 0) - (a.highlight ? 1 : 0) || rank[a.state] - rank[b.state] ||
          (b.value == null ? -Infinity : b.value) - (a.value == null ? -Infinity : a.value) || (a.code < b.code ? -1 : 1);
      }).forEach(function (r) {
        if (r.state === "hidden") { hidden += 1; return; }
        var row = table.insertRow();
        var name = row.insertCell();
        if (r.url) {
          var a = document.createElement("a");
          a.href = r.url;
          a.textContent = r.name;
          name.appendChild(a);
        } else name.textContent = r.name;
        var value = row.insertCell();
        value.className = "text-end";
        value.textContent = r.value_text || "—";
        row.insertCell().textContent = r.coverage_text;
        row.insertCell().textContent = r.status_text;
        if (r.highlight) row.className = "table-primary";
      });
      if (hidden) {
        var note = table.insertRow().insertCell();
        note.colSpan = 4;
        note.className = "text-muted";
        note.textContent = hidden + " " + el.dataset.labelHidden;
      }
    }
    return byCode;
  }

  function urlFor(el) {
    var url = new URL(el.dataset.url, window.location.href);
    el.querySelectorAll("[data-map-param]").forEach(function (input) {
      var name = input.dataset.mapParam;
      if (!input.value) return;
      if (el.dataset.mapPath === name) url.pathname = url.pathname.replace(/[^/]+\/map\.json$/, encodeURIComponent(input.value) + "/map.json");
      else url.searchParams.set(name, input.value);
    });
    return url.toString();
  }

  function start(el) {
    var canvas = el.querySelector(".province-map-canvas");
    var chart = echarts.init(canvas, null, { renderer: "svg" });
    var state = { regions: {} };
    chart.on("click", function (p) {
      var region = (p.data && p.data.region) || state.regions[p.name];
      if (region && region.url) window.location.href = region.url;
    });
    function refresh() {
      el.setAttribute("aria-busy", "true");
      Promise.all([loadGeo(el.dataset.geo), fetch(urlFor(el), { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })]).then(function (results) {
        state.regions = draw(el, chart, results[1]);
        el.dataset.ready = "true";
      }).catch(function () {
        el.dataset.ready = "error";
        canvas.textContent = el.dataset.labelError;
      }).finally(function () { el.removeAttribute("aria-busy"); });
    }
    el.querySelectorAll("[data-map-param]").forEach(function (input) { input.addEventListener("change", refresh); });
    window.addEventListener("resize", function () { chart.resize(); });
    refresh();
  }

  document.querySelectorAll(".province-map").forEach(start);
})();
