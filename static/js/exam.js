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
  // The attempt's number can come back after 删除我的数据; its start time makes a draft this paper's own.
  var paper = root.dataset.paper;
  var acked = "";          // server time of this page's last acknowledged save
  var touched = {}, seq = 0;   // question (q3) -> edit number, for answers the server has not acknowledged

  // Only the answers changed here travel: an old tab or another device never sends back what it merely
  // showed, so it cannot overwrite answers saved since from elsewhere. A copy of every answer is kept in
  // this browser, so a dropped connection or a closed tab loses nothing: on the next visit the answers
  // the server never acknowledged are put back into the form and sent.
  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) { return /^q\d/.test(el.name); });
  }
  function question(name) { return name.split("_")[0]; }
  function unsaved() {
    var all = new FormData(form), body = new FormData();
    all.forEach(function (value, name) {
      if (name === "csrf_token" || touched.hasOwnProperty(question(name))) body.append(name, value);
    });
    return body;
  }
  function keepLocal() {
    var answers = {};
    fields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        answers[el.name] = answers[el.name] || [];
        if (el.checked) answers[el.name].push(el.value);
      } else if (el.type !== "hidden") {
        answers[el.name] = [el.value];
      }
    });
    var draft = { paper: paper, acked: acked, pending: Object.keys(touched), answers: answers };
    try { localStorage.setItem(draftKey, JSON.stringify(draft)); } catch (e) { /* private mode: server copy only */ }
  }
  function restoreLocal() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    if (!draft || draft.paper !== paper || !draft.answers || !(draft.pending || []).length) return false;
    var newer = false;
    draft.pending.forEach(function (name) {
      var item = document.getElementById("item-" + name.slice(1));
      var server = item ? item.dataset.savedAt || "" : "";
      // Saved from another tab or device after this browser last heard back: the newer answer stays.
      if (server && (!draft.acked || server > draft.acked)) newer = true;
      else touched[name] = ++seq;
    });
    if (newer) show("另一个窗口或设备保存过更新的答案，这些题显示的是服务器上的答案");
    if (!Object.keys(touched).length) return false;
    fields().forEach(function (el) {
      var values = draft.answers[el.name];
      if (!values || !touched.hasOwnProperty(question(el.name))) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
      else if (el.type !== "hidden") el.value = values[0];
    });
    return true;
  }
  function sendOnlyUnsaved() {   // 交卷: what the server already has is not sent again
    fields().forEach(function (el) { if (!touched.hasOwnProperty(question(el.name))) el.disabled = true; });
  }

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("is-bad", !!bad);
  }

  function save() {
    if (saving || submitted) return;
    saving = true; dirty = false;
    var sent = seq;
    show("正在保存…");
    fetch(saveUrl, { method: "POST", body: unsaved(), credentials: "same-origin",
                     headers: { "Accept": "application/json" } })
      .then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      })
      .then(function (r) {
        if (r.ok) {
          acked = r.data.at || acked;
          Object.keys(touched).forEach(function (name) { if (touched[name] <= sent) delete touched[name]; });
          keepLocal();
          var t = new Date();
          show("已保存 " + t.toLocaleTimeString("zh-CN", { hour12: false }));
        } else {
          show("保存失败：" + (r.data.message || r.data.error), true);
        }
      })
      .catch(function () { dirty = true; show("网络中断，答案暂未保存，恢复后会自动重试", true); })
      .then(function () { saving = false; });
  }

  function schedule(event) {
    if (!/^q\d/.test(event.target.name || "")) return;
    touched[question(event.target.name)] = ++seq;
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
    if (dirty && navigator.sendBeacon) navigator.sendBeacon(saveUrl, unsaved());
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
    sendOnlyUnsaved();
  });

  function tick() {
    var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    clock.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    root.classList.toggle("is-ending", left <= 300);
    if (left === 0 && !submitted) {
      submitted = true;
      show("时间到，正在自动交卷…");
      sendOnlyUnsaved();
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  if (restoreLocal()) { show("已恢复本机保存的答案，正在同步…"); save(); }
  tick();
})();
