// Exam history: times in the reader's own time zone, and the score trend drawn with the local plotly.js.
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var local = function (d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  };
  document.querySelectorAll("time[data-local-time]").forEach(function (el) {
    var d = new Date(el.getAttribute("datetime"));
    if (!isNaN(d)) el.textContent = local(d);
  });

  var box = document.getElementById("score-trend");
  if (!box || !window.Plotly) return;
  var scores = JSON.parse(box.dataset.points), dates = JSON.parse(box.dataset.dates);
  var labels = scores.map(function (_, i) { return "第 " + (i + 1) + " 次"; });
  var hover = dates.map(function (d, i) { return local(new Date(d)) + "<br>" + scores[i] + " 分"; });
  window.Plotly.newPlot(box, [{
    x: labels, y: scores, type: "scatter", mode: "lines+markers+text", text: scores.map(String),
    textposition: "top center", hovertext: hover, hoverinfo: "text",
    line: { color: "#0b5cad", width: 3 }, marker: { size: 9 }
  }], {
    margin: { l: 48, r: 16, t: 16, b: 40 }, height: 260,
    yaxis: { title: { text: "得分" }, range: [0, Number(box.dataset.max) * 1.08], fixedrange: true },
    xaxis: { fixedrange: true }, font: { family: getComputedStyle(document.body).fontFamily, size: 14 },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"
  }, { displayModeBar: false, responsive: true });
})();
