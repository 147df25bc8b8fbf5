// Tiny inline trend lines for target cards: <svg class="sparkline" data-values="[1, 2, null, 4]">.
// The values are JSON (machine numbers, "." decimals), never a localised string.
document.querySelectorAll("svg.sparkline").forEach(function (svg) {
  var values;
  try { values = JSON.parse(svg.dataset.values); } catch (e) { return; }
  values = values.map(function (v) { return typeof v === "number" && isFinite(v) ? v : null; });
  var known = values.filter(function (v) { return v !== null; });
  if (known.length < 2) return;
  var min = Math.min.apply(null, known), max = Math.max.apply(null, known), span = max - min || 1;
  var points = values.map(function (v, i) {
    return v === null ? null : (i * 100 / (values.length - 1)).toFixed(1) + "," + (max === min ? 12 : 22 - (v - min) * 20 / span).toFixed(1);
  }).filter(Boolean);
  var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points.join(" "));
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "1.5");
  line.setAttribute("vector-effect", "non-scaling-stroke");
  svg.appendChild(line);
});
