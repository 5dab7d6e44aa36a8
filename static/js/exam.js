// Mock exam: server-enforced countdown shown locally, answers autosaved as the student goes.
(function () {
  "use strict";
  var root = document.querySelector(".exam");
  var form = document.getElementById("exam-form");
  if (!root || !form) return;
  var clock = document.getElementById("exam-clock");
  var status = document.getElementById("save-status");
  var saveUrl = root.dataset.saveUrl;
  var deadline = Date.now() + Number(root.dataset.remaining) * 1000;
  var dirty = false, saving = false, timer = null, submitted = false;
  var draftKey = "crm-exam-draft:" + saveUrl;

  // A copy of every answer in this browser, so a dropped connection or a closed tab loses nothing:
  // on the next visit the local copy is put back into the form and sent to the server.
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) { return /^q\d/.test(el.name); });
  }
  function keepLocal() {
    var draft = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        draft[el.name] = draft[el.name] || [];
        if (el.checked) draft[el.name].push(el.value);
      } else {
        draft[el.name] = [el.value];
      }
    });
    try { localStorage.setItem(draftKey, JSON.stringify(draft)); } catch (e) { /* private mode: server copy only */ }
  }
  function restoreLocal() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    if (!draft) return false;
    var changed = false;
    fields().forEach(function (el) {
      var values = draft[el.name];
      if (!values) return;
      if (el.type === "radio" || el.type === "checkbox") {
        var on = values.indexOf(el.value) !== -1;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.value !== values[0]) {
        el.value = values[0]; changed = true;
      }
    });
    return changed;
  }

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("is-bad", !!bad);
  }

  function save() {
    if (saving || submitted) return;
    saving = true; dirty = false;
    show("正在保存…");
    fetch(saveUrl, { method: "POST", body: new FormData(form), credentials: "same-origin",
                     headers: { "Accept": "application/json" } })
      .then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      })
      .then(function (r) {
        if (r.ok) {
          var t = new Date();
          show("已保存 " + t.toLocaleTimeString("zh-CN", { hour12: false }));
        } else {
          show("保存失败：" + (r.data.message || r.data.error), true);
        }
      })
      .catch(function () { dirty = true; show("网络中断，答案暂未保存，恢复后会自动重试", true); })
      .then(function () { saving = false; });
  }

  function schedule() {
    keepLocal();
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  form.addEventListener("change", schedule);
  form.addEventListener("input", schedule);
  document.getElementById("save-now").addEventListener("click", save);
  setInterval(function () { if (dirty) save(); }, 5000);
  window.addEventListener("online", function () { if (dirty) save(); });
  window.addEventListener("pagehide", function () {
    if (dirty && navigator.sendBeacon) navigator.sendBeacon(saveUrl, new FormData(form));
  });

  // The 交卷 question names what is still open, as the answer sheet counts it.
  function submitQuestion() {
    var sheet = window.crmAnswerSheet, text = "确定交卷吗？";
    if (sheet) {
      var s = sheet.summary();
      text += (s.unanswered ? "还有 " + s.unanswered + " 题未作答" : "所有题目都已作答") +
        (s.flagged ? "，" + s.flagged + " 题做了标记" : "") + "。";
    }
    return text + "交卷后不能再修改答案。";
  }

  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "flag") return;   // 标记 without the answer sheet's script
    var left = deadline - Date.now();
    if (left > 0 && !window.confirm(submitQuestion())) {
      event.preventDefault();
      return;
    }
    submitted = true;
    keepLocal();
  });

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    root.classList.toggle("is-ending", left <= 300);
    if (left === 0 && !submitted) {
      submitted = true;
      show("时间到，正在自动交卷…");
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  if (restoreLocal()) { show("已恢复本机保存的答案，正在同步…"); save(); }
  tick();
})();
