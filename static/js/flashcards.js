// Flashcards: space flips, 1/2 (or 1–4) grades, cram mode steps through the deck in the page, and the
// overview draws its forecast chart. Progressive enhancement: every page works without this script.
(function () {
  "use strict";
  var typing = function (el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  };
  var plain = function (event) {
    return !(event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement));
  };

  // ---- review: flip and grade -------------------------------------------------------------------
  var back = document.getElementById("fc-back");
  var grade = document.getElementById("fc-grade");
  var flip = document.getElementById("fc-flip");
  var shownAt = Date.now();

  function reveal() {
    if (!back || !grade) return;
    back.hidden = false;
    grade.hidden = false;
    if (flip) flip.hidden = true;
    back.focus({ preventScroll: true });   // not a grade button: a second space must not grade the card
    if (grade.getBoundingClientRect().bottom > window.innerHeight) grade.scrollIntoView({ block: "end", behavior: "smooth" });
  }

  if (grade) {
    if (flip) flip.addEventListener("click", function (event) { event.preventDefault(); reveal(); });
    grade.addEventListener("submit", function (event) {
      var duration = document.getElementById("fc-duration");
      if (duration) duration.value = String(Math.min(Date.now() - shownAt, 3600000));
      if (grade.dataset.sent) { event.preventDefault(); return; }   // one grade per card, even on a double tap
      grade.dataset.sent = "1";
    });
    document.addEventListener("keydown", function (event) {
      if (!plain(event)) return;
      if (event.key === " ") {
        event.preventDefault();
        if (grade.hidden) reveal();
        return;
      }
      if (grade.hidden || !/^[1-4]$/.test(event.key)) return;
      var button = grade.querySelector('button[data-key="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }

  // ---- cram: one card at a time, nothing sent to the server ---------------------------------------
  var cramList = document.getElementById("fc-cram-list");
  if (cramList) {
    var items = Array.prototype.slice.call(cramList.querySelectorAll(".fc-cram__item"));
    var controls = document.getElementById("fc-cram-controls");
    var cramFlip = document.getElementById("fc-cram-flip");
    var cramGrade = document.getElementById("fc-cram-grade");
    var progress = document.getElementById("fc-cram-progress");
    var done = document.getElementById("fc-cram-done");
    var queue = items.slice();
    var total = items.length, remembered = 0, forgotten = 0, current = null;
    document.getElementById("fc-cram").classList.add("fc-cram--js");
    controls.hidden = false;

    var show = function () {
      items.forEach(function (li) { li.hidden = true; });
      current = queue.shift() || null;
      if (!current) {
        controls.hidden = true;
        done.hidden = false;
        document.getElementById("fc-cram-summary").textContent =
          "共 " + total + " 张：一次记得 " + remembered + " 张，忘了 " + forgotten + " 次（这些卡已在本轮重复出现）。冲刺结果不写入复习计划。";
        progress.textContent = "已完成";
        done.focus();
        return;
      }
      current.hidden = false;
      current.querySelector("details").open = false;
      cramFlip.hidden = false;
      cramGrade.hidden = true;
      progress.textContent = "还剩 " + (queue.length + 1) + " 张 · 记得 " + remembered + " 张";
    };
    var flipCram = function () {
      if (!current) return;
      current.querySelector("details").open = true;
      cramFlip.hidden = true;
      cramGrade.hidden = false;
    };
    var answer = function (again) {
      if (!current || cramGrade.hidden) return;
      if (again) { forgotten += 1; current.dataset.again = "1"; queue.push(current); }
      else if (!current.dataset.again) { remembered += 1; }
      show();
    };
    cramFlip.addEventListener("click", flipCram);
    cramList.addEventListener("click", function (event) {
      if (event.target.closest("summary")) { event.preventDefault(); flipCram(); }
    });
    cramGrade.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-cram]");
      if (button) answer(button.getAttribute("data-cram") === "again");
    });
    document.addEventListener("keydown", function (event) {
      if (!plain(event)) return;
      if (event.key === " ") { event.preventDefault(); flipCram(); }
      else if (event.key === "1") { event.preventDefault(); answer(true); }
      else if (event.key === "2") { event.preventDefault(); answer(false); }
    });
    show();
  }

  // ---- overview: predicted recall on the exam day per chapter -----------------------------------
  var chart = document.getElementById("fc-chart");
  var data = document.getElementById("fc-chart-data");
  var draw = function () {
    if (!chart || !data || !window.Plotly) return;
    var rows = JSON.parse(data.textContent);
    var phone = window.matchMedia("(max-width: 40rem)").matches;
    var labels = rows.map(function (r) { return phone ? r.short : r.label; });   // phones: 第1章, the table has the titles
    window.Plotly.newPlot(chart, [{
      type: "bar", orientation: "h", x: rows.map(function (r) { return r.recall; }), y: labels,
      text: rows.map(function (r) { return r.recall + "%"; }), textposition: "outside", cliponaxis: false,
      marker: { color: rows.map(function (r) { return r.recall >= 80 ? "#17663a" : r.recall >= 50 ? "#0b5cad" : "#a4161a"; }) },
      customdata: rows.map(function (r) { return r.label; }),
      hovertemplate: "%{customdata}<br>预计记忆率 %{x}%<extra></extra>"
    }], {
      height: Math.max(220, rows.length * (phone ? 34 : 30) + 70),
      margin: { l: 8, r: 40, t: 10, b: 40 },
      xaxis: { range: [0, 105], ticksuffix: "%", fixedrange: true, title: { text: "考试当天预计记忆率" } },
      yaxis: { autorange: "reversed", automargin: true, fixedrange: true, tickfont: { size: phone ? 11 : 13 } },
      font: { family: getComputedStyle(document.body).fontFamily },
      paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)"
    }, { displayModeBar: false, responsive: true });
  };
  if (chart) {
    if (window.Plotly) draw(); else window.addEventListener("load", draw);
  }
})();
