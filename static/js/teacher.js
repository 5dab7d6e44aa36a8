// Teacher pages: the live results table refreshes itself, the score histogram, and the grading form
// (ticking a key point updates the suggested score).
(function () {
  "use strict";

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text == null ? "" : text;
    return td;
  }

  function localTime(iso) {
    if (!iso) return "";
    var d = new Date(iso);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  var live = document.querySelector("[data-live-url]");
  if (live) {
    var body = document.querySelector("#live-table tbody");
    var stamp = document.getElementById("live-updated");
    var refresh = function () {
      fetch(live.dataset.liveUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
        .then(function (data) {
          Object.keys(data.counts).forEach(function (key) {
            var el = live.querySelector('[data-count="' + key + '"]');
            if (el) el.textContent = data.counts[key];
          });
          if (!data.rows.length) return;
          var rows = data.rows.map(function (r) {
            var tr = document.createElement("tr");
            tr.appendChild(cell(r.student_no));
            var name = cell(r.url ? "" : r.name);
            if (r.url) { var a = document.createElement("a"); a.href = r.url; a.textContent = r.name; name.appendChild(a); }
            tr.appendChild(name);
            var status = cell("");
            var pill = document.createElement("span");
            pill.className = "status-pill status-pill--" + r.status;
            pill.textContent = r.status_text;
            status.appendChild(pill);
            tr.appendChild(status);
            tr.appendChild(cell(r.total ? r.answered + "/" + r.total : "", "num"));
            tr.appendChild(cell(localTime(r.last_saved)));
            tr.appendChild(cell(r.score == null ? "" : String(r.score), "num"));
            return tr;
          });
          body.replaceChildren.apply(body, rows);
          stamp.textContent = "（每 5 秒自动刷新，最近 " + new Date().toLocaleTimeString("zh-CN", { hour12: false }) + "）";
        })
        .catch(function () { stamp.textContent = "（刷新失败，稍后重试）"; });
    };
    setInterval(function () { if (!document.hidden) refresh(); }, 5000);
  }

  var chart = document.getElementById("score-histogram");
  if (chart && window.Plotly) {
    var data = JSON.parse(chart.dataset.chart);
    var share = data.fulls.length > 1;   // papers worth different marks: bands of the score's share
    // Bands are counted on the server: the local plotly bundle ("basic") draws bars, not histograms.
    window.Plotly.newPlot(chart, [{ type: "bar", x: data.labels, y: data.counts, marker: { color: "#0b5cad" },
      hovertemplate: share ? "得分率 %{x}：%{y} 人<extra></extra>" : "%{x} 分：%{y} 人<extra></extra>" }],
      { margin: { t: 10, r: 10, b: 60, l: 50 }, bargap: 0.05,
        // automargin: on a phone the band labels turn sideways, and the axis title moves below them
        xaxis: { title: { text: share ? "得分率" : "得分" }, type: "category", automargin: true }, yaxis: { title: { text: "人数" }, rangemode: "tozero", dtick: 1 },
        font: { family: '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif' } },
      { displayModeBar: false, responsive: true });
  }

  var score = document.getElementById("grade-score");
  if (score) {
    var boxes = document.querySelectorAll('input[name="ticked"]');
    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", function () {
        var got = 0;
        Array.prototype.forEach.call(boxes, function (b) { if (b.checked) got += Number(b.dataset.points); });
        var total = Number(score.dataset.total) || 1;
        score.value = Math.round(Number(score.dataset.max) * got / total * 2) / 2;
      });
    });
  }

  // A form that removes something asks first (its data-confirm says what); without JavaScript it just posts.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-confirm]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
