// Horizontal bar charts drawn from a JSON data block: per-resident amounts on the peers page (the
// government itself highlighted among its nearest peers, the peer median as a line and the middle half of the
// group as a band) and the largest changes on the compare page.
"use strict";
(function () {
  var esc = function (s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); };
  var font = getComputedStyle(document.documentElement).getPropertyValue("--font") || "sans-serif";
  document.querySelectorAll(".plot-bars, .plot-peers").forEach(function (element) {
    var block = document.getElementById(element.getAttribute("data-chart"));
    if (!block || !window.Plotly) return;
    var data = JSON.parse(block.textContent);
    var bars = data.bars.filter(function (bar) { return bar.value !== null; });
    var withLang = function (url) {
      if (!url || data.lang !== "en") return url;
      return url + (url.indexOf("?") >= 0 ? "&" : "?") + "lang=en";
    };
    // Category labels must be unique: number repeated names.
    var seen = {};
    var labels = bars.map(function (bar) {
      var label = esc(bar.label);
      seen[label] = (seen[label] || 0) + 1;
      return seen[label] > 1 ? label + " (" + seen[label] + ")" : label;
    });
    var colors = bars.map(function (bar) {
      if (bar.me) return "#a14a00";
      if (data.diverging) return bar.value >= 0 ? "#0b5cad" : "#c0641b";
      return "#5b8fd0";
    });
    var trace = {
      type: "bar", orientation: "h", y: labels, x: bars.map(function (bar) { return bar.value; }),
      marker: { color: colors }, text: bars.map(function (bar) { return esc(bar.text); }),
      textposition: "auto", cliponaxis: false,
      customdata: bars.map(function (bar) { return [esc(bar.text), withLang(bar.url) || ""]; }),
      hovertemplate: "<b>%{y}</b><br>%{customdata[0]}<extra></extra>"
    };
    var layout = {
      height: Math.max(280, 26 * bars.length + 90),
      margin: { t: 30, r: 30, b: 40, l: Math.min(320, 14 + 13 * Math.max.apply(null, labels.map(function (l) { return l.length; }))) },
      font: { family: font, size: 13 },
      yaxis: { autorange: "reversed", automargin: true },
      xaxis: { zeroline: true, zerolinecolor: "#4d5660", showticklabels: false, showgrid: false },
      shapes: [], annotations: [], showlegend: false, bargap: 0.25
    };
    if (data.band && data.band[0] !== null && data.band[1] !== null) {
      // The peer group's middle half (lower to upper quartile) behind the bars.
      layout.shapes.push({ type: "rect", layer: "below", x0: data.band[0], x1: data.band[1], yref: "paper", y0: 0, y1: 1,
        fillcolor: "rgba(91, 143, 208, 0.15)", line: { width: 0 } });
      layout.annotations.push({ x: (data.band[0] + data.band[1]) / 2, yref: "paper", y: 0, yanchor: "top",
        showarrow: false, font: { size: 12, color: "#4d5660" }, text: esc(data.band_label) });
      layout.margin.b = 50;
    }
    if (data.median !== undefined && data.median !== null) {
      layout.shapes.push({ type: "line", x0: data.median, x1: data.median, yref: "paper", y0: 0, y1: 1,
        line: { color: "#1b1f24", width: 2, dash: "dot" } });
      layout.annotations.push({ x: data.median, yref: "paper", y: 1.0, yanchor: "bottom", showarrow: false,
        text: esc(data.median_label) + " " + esc(data.median_text) });
    }
    element.style.height = layout.height + "px";
    Plotly.newPlot(element, [trace], layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"] });
    element.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var url = point && point.customdata && point.customdata[1];
      if (url) window.location.assign(url);
    });
  });
})();
