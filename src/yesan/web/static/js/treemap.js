// The explore page's treemap: one level of the hierarchy; a click on a tile opens the level below
// (the same URL the table's links go to), a click on the centre goes one level up.
"use strict";
(function () {
  var element = document.getElementById("treemap");
  var block = element && document.getElementById(element.getAttribute("data-chart"));
  if (!element || !block || !window.Plotly) return;
  var data = JSON.parse(block.textContent);
  // Plotly reads labels as pseudo-HTML: escape them so a name always shows as the text it is.
  var esc = function (s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"); };
  var withLang = function (url) {
    if (!url || data.lang !== "en") return url;
    return url + (url.indexOf("?") >= 0 ? "&" : "?") + "lang=en";
  };
  var ids = ["root"], labels = [esc(data.root)], parents = [""], total = 0;
  var rates = [data.root_rate == null ? 0 : data.root_rate];
  var custom = [data.root_text.map(esc).concat([data.up || ""])];
  data.tiles.forEach(function (tile, i) {
    ids.push("t" + i);
    labels.push(esc(tile.label));
    parents.push("root");
    rates.push(tile.rate == null ? 0 : tile.rate);
    custom.push(tile.text.map(esc).concat([withLang(tile.url) || ""]));
    total += tile.value;
  });
  var values = [total].concat(data.tiles.map(function (tile) { return tile.value; }));
  var L = data.labels;
  var hover = "<b>%{label}</b><br>" + esc(L.budget) + " %{customdata[0]}<br>" + esc(L.share) +
    " %{customdata[1]}<br>" + esc(L.execution) + " %{customdata[2]}<br>%{customdata[3]}<extra></extra>";
  var font = getComputedStyle(document.documentElement).getPropertyValue("--font") || "sans-serif";
  var trace = {
    type: "treemap", ids: ids, labels: labels, parents: parents, values: values, customdata: custom,
    branchvalues: "total", sort: true, maxdepth: 2,
    texttemplate: "<b>%{label}</b><br>%{customdata[0]}", textposition: "top left",
    hovertemplate: hover, pathbar: { visible: false },
    marker: {
      colors: rates, colorscale: [[0, "#dbe8f6"], [0.5, "#6d9fd6"], [1, "#0b3d73"]], cmin: 0, cmax: 1,
      showscale: true, line: { width: 1, color: "#ffffff" },
      colorbar: { title: { text: esc(L.execution) }, tickformat: ".0%", thickness: 12, len: 0.8 }
    }
  };
  var layout = { margin: { t: 8, l: 8, r: 8, b: 8 }, font: { family: font, size: 13 } };
  Plotly.newPlot(element, [trace], layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"] });
  element.on("plotly_treemapclick", function (event) {
    var point = event && event.points && event.points[0];
    if (!point) return false;
    var url = point.customdata && point.customdata[4];
    if (url) window.location.assign(url);
    return false; // the page, not the chart, changes level: the URL stays the state
  });
})();
