// Practice and drilling: empty-answer check, keyboard and one-tap answering, auto-advance,
// bookmarks without a page reload, covering answers in recite mode. Every page works without it.
(function () {
  "use strict";
  var SETTINGS_KEY = "crm-drill-settings";
  function settings() {
    try { return JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") || {}; } catch (e) { return {}; }
  }
  function saveSetting(name, on) {
    var s = settings();
    s[name] = on;
    try { localStorage.setItem(SETTINGS_KEY, JSON.stringify(s)); } catch (e) { /* private mode: this page only */ }
  }
  function typing(el) {
    return el && (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT" ||
      (el.tagName === "INPUT" && !/^(radio|checkbox)$/.test(el.type)));
  }

  // ---- bookmarks: toggle in place -------------------------------------------------------------
  document.querySelectorAll("form[data-bookmark]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                           headers: { "Accept": "application/json" } })
        .then(function (res) { if (!res.ok) throw new Error(res.status); return res.json(); })
        .then(function (data) {
          button.setAttribute("aria-pressed", data.bookmarked ? "true" : "false");
          button.querySelector(".bookmark-toggle__star").textContent = data.bookmarked ? "★" : "☆";
          button.querySelector(".bookmark-toggle__text").textContent = data.bookmarked ? "已收藏" : "收藏";
        })
        .catch(function () { form.submit(); })
        .then(function () { button.disabled = false; });
    });
  });

  // ---- answering: empty check, keys, one-tap ---------------------------------------------------
  var form = document.querySelector(".question-form");
  var error = document.getElementById("answer-error");
  if (form) {
    var choices = Array.prototype.slice.call(form.querySelectorAll(".choices input"));
    var texts = Array.prototype.slice.call(form.querySelectorAll("input[type=text], textarea"));
    var subjective = form.dataset.confirmEmpty === "1";
    var isEmpty = function () {
      if (choices.length) return !choices.some(function (c) { return c.checked; });
      return !texts.some(function (t) { return t.value.trim(); });
    };
    var showError = function (text) {
      error.textContent = text;
      error.hidden = false;
      (choices[0] || texts[0]).focus();
    };
    form.addEventListener("submit", function (event) {
      if (!isEmpty() || form.querySelector("input[name=confirm_empty]")) return;
      if (subjective && window.confirm(form.dataset.emptyMessage)) {
        var confirmed = document.createElement("input");
        confirmed.type = "hidden"; confirmed.name = "confirm_empty"; confirmed.value = "1";
        form.appendChild(confirmed);
        return;
      }
      event.preventDefault();
      showError(subjective ? "请写下你的答案再提交。" : form.dataset.emptyMessage);
    });
    form.addEventListener("change", function (event) {
      if (!isEmpty()) error.hidden = true;
      if (settings()["one-tap"] && event.target.type === "radio") {   // one answer only: 单选, 判断
        form.requestSubmit();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement)) return;
      var key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
      var index = "12345678".indexOf(key) !== -1 ? Number(key) - 1 : "ABCDEFGH".indexOf(key);
      if (key.length === 1 && index >= 0 && index < choices.length) {
        event.preventDefault();
        var input = choices[index];
        input.checked = input.type === "checkbox" ? !input.checked : true;
        input.focus();
        input.dispatchEvent(new Event("change", { bubbles: true }));
      } else if (key === "Enter" && !/^(BUTTON|A)$/.test(document.activeElement.tagName)) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  }

  // ---- after answering: → next, auto-advance after a right answer ------------------------------
  var next = document.getElementById("next-question");
  var feedback = document.getElementById("feedback");
  if (next) {
    document.addEventListener("keydown", function (event) {
      if (event.key === "ArrowRight" && !event.altKey && !event.ctrlKey && !event.metaKey && !typing(document.activeElement)) {
        event.preventDefault();
        window.location.href = next.href;
      }
    });
  }
  if (next && feedback && feedback.dataset.correct === "1" && settings()["auto-next"]) {
    var note = document.createElement("p");
    note.className = "auto-next";
    note.setAttribute("role", "status");
    note.textContent = "答对了，1.5 秒后自动进入下一题（按 Esc 或点击页面取消）";
    next.parentNode.appendChild(note);
    var timer = setTimeout(function () { window.location.href = next.href; }, 1500);
    var cancel = function () { clearTimeout(timer); note.textContent = "已取消自动进入下一题"; };
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") cancel(); }, { once: true });
    document.addEventListener("pointerdown", cancel, { once: true });
  }

  // ---- settings: shown only where this script runs ---------------------------------------------
  document.querySelectorAll(".drill-settings").forEach(function (box) {
    box.hidden = false;
    box.querySelectorAll("input[data-setting]").forEach(function (input) {
      input.checked = !!settings()[input.dataset.setting];
      input.addEventListener("change", function () { saveSetting(input.dataset.setting, input.checked); });
    });
  });

  // ---- recite: cover the answers, reveal one by one ---------------------------------------------
  var recite = document.querySelector(".recite");
  var cover = document.getElementById("cover-answers");
  if (recite && cover) {
    cover.closest("label").hidden = false;
    var apply = function () {
      recite.classList.toggle("is-covered", cover.checked);
      recite.querySelectorAll(".recite-item").forEach(function (item) { item.classList.remove("is-revealed"); });
    };
    cover.addEventListener("change", apply);
    recite.querySelectorAll(".recite-item__answer").forEach(function (answer) {
      answer.addEventListener("click", function () {
        if (recite.classList.contains("is-covered")) answer.closest(".recite-item").classList.add("is-revealed");
      });
    });
  }
})();
