// Mock exam answer sheet (答题卡): answered / unanswered / flagged per question, jump links, 标记 toggles.
// Without this script the sheet still links to every question and 标记 posts the paper (answers included).
(function () {
  "use strict";
  var root = document.querySelector(".exam");
  var form = document.getElementById("exam-form");
  var sheet = document.getElementById("answer-sheet");
  if (!root || !form || !sheet) return;
  var phone = window.matchMedia("(max-width: 63.99rem)");
  var questions = Array.prototype.slice.call(form.querySelectorAll(".exam-question"));
  var links = {};
  sheet.querySelectorAll(".sheet-link").forEach(function (a) { links[a.dataset.position] = a; });

  function answered(li) {
    return Array.prototype.some.call(li.querySelectorAll("input, textarea"), function (el) {
      if (el.type === "radio" || el.type === "checkbox") return el.checked;
      if (el.type === "hidden" || el.type === "submit") return false;
      return el.value.trim() !== "";
    });
  }
  function paint(li) {
    var link = links[li.dataset.position];
    if (!link) return;
    var done = answered(li), flagged = li.classList.contains("is-flagged");
    link.classList.toggle("is-answered", done);
    link.classList.toggle("is-flagged", flagged);
    link.querySelector(".sheet-link__state").textContent = "（" + (done ? "已作答" : "未作答") + (flagged ? "，已标记" : "") + "）";
  }
  function summary() {
    var s = { answered: 0, unanswered: 0, flagged: 0 };
    questions.forEach(function (li) {
      if (answered(li)) s.answered += 1; else s.unanswered += 1;
      if (li.classList.contains("is-flagged")) s.flagged += 1;
    });
    return s;
  }
  function count() {
    var s = summary();
    document.getElementById("sheet-answered").textContent = s.answered;
    document.getElementById("sheet-flagged").textContent = s.flagged;
  }
  function refresh(event) {
    var li = event && event.target.closest && event.target.closest(".exam-question");
    (li ? [li] : questions).forEach(paint);
    count();
  }
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);

  // 标记: toggled in place, kept on the server so a reload or another device shows it too.
  var status = document.getElementById("save-status");
  form.querySelectorAll(".flag-toggle").forEach(function (button) {
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var li = button.closest(".exam-question");
      var on = !li.classList.contains("is-flagged");
      var body = new FormData();
      body.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
      body.append("flag", li.dataset.position);
      body.append("on", on ? "1" : "0");
      fetch(root.dataset.flagUrl, { method: "POST", body: body, credentials: "same-origin",
                                    headers: { "Accept": "application/json" } })
        .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
        .then(function (data) {
          li.classList.toggle("is-flagged", data.flagged);
          button.setAttribute("aria-pressed", data.flagged ? "true" : "false");
          paint(li);
          count();
        })
        .catch(function () {
          status.textContent = "标记没有保存（网络中断？），请稍后再试";
          status.classList.add("is-bad");
        });
    });
  });

  // Phones: the sheet is a bar at the bottom that opens upwards and closes again after a jump.
  if (phone.matches) sheet.open = false;
  sheet.addEventListener("click", function (event) {
    var link = event.target.closest(".sheet-link");
    if (!link) return;
    if (phone.matches) sheet.open = false;
    var target = document.getElementById("item-" + link.dataset.position);
    var field = target && target.querySelector("input:not([type=hidden]), textarea");
    if (field) setTimeout(function () { field.focus({ preventScroll: true }); }, 0);
  });

  window.crmAnswerSheet = { summary: summary };
  refresh();
})();
