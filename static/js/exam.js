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
  var warning = "";   // an answer kept from elsewhere: said until the student saves something new
  var draftKey = "crm-exam-draft:" + saveUrl;
  // The attempt's number can come back after 删除我的数据; its start time makes a draft this paper's own.
  var paper = root.dataset.paper;

  // Only the answers changed here travel, each with the server time the copy it changed was based on
  // (`base`: when this page was drawn, or when the server last acknowledged this question from here). The
  // server keeps an answer saved elsewhere after that time instead of taking this older copy, so an old tab
  // or a device returned to never overwrites what was saved since. A question merely shown (or clicked in
  // and left as it was) is not sent at all. Each changed answer is also kept in this browser, per question,
  // so a dropped connection or a closed tab loses nothing: the next visit puts back what the server never
  // acknowledged, unless the server has a newer save of that question.
  var touched = {}, seq = 0;   // question (q3) -> edit number, for answers the server has not acknowledged
  var base = {}, shown = {};   // question -> server time its copy is based on; its values as last acknowledged

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) { return /^q\d/.test(el.name); });
  }
  function question(name) { return name.split("_")[0]; }
  function valuesOf(name) {    // a question's answer as {field: [values]}
    var values = {};
    fields().forEach(function (el) {
      if (question(el.name) !== name || el.type === "hidden") return;
      values[el.name] = values[el.name] || [];
      if ((el.type !== "radio" && el.type !== "checkbox") || el.checked) values[el.name].push(el.value);
    });
    return values;
  }
  function questions() {
    var names = {};
    fields().forEach(function (el) { names[question(el.name)] = true; });
    return Object.keys(names);
  }
  questions().forEach(function (name) { base[name] = root.dataset.renderedAt; shown[name] = JSON.stringify(valuesOf(name)); });

  function since() {   // the server time each unsaved answer's copy was based on, as the server reads it
    var out = {};
    Object.keys(touched).forEach(function (name) { out[name] = base[name]; });
    return JSON.stringify(out);
  }
  function unsaved() {
    var all = new FormData(form), body = new FormData();
    all.forEach(function (value, name) {
      if (name === "csrf_token" || touched.hasOwnProperty(question(name))) body.append(name, value);
    });
    body.append("since", since());
    return body;
  }
  function readDraft() {
    var draft = null;
    try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { draft = null; }
    return draft && draft.paper === paper && draft.questions ? draft : { paper: paper, questions: {} };
  }
  // Merged question by question: two tabs of one paper each keep their own changes in the one draft.
  function keepLocal(done, dropped) {
    var draft = readDraft();
    Object.keys(touched).forEach(function (name) { draft.questions[name] = { values: valuesOf(name), base: base[name] }; });
    (done || []).forEach(function (name) {
      var mine = draft.questions[name];
      if (mine && !touched.hasOwnProperty(name) && (JSON.stringify(mine.values) === shown[name] ||
                                                     (dropped || []).indexOf(name) !== -1)) delete draft.questions[name];
    });
    try { localStorage.setItem(draftKey, JSON.stringify(draft)); } catch (e) { /* private mode: server copy only */ }
  }
  function restoreLocal() {
    var draft = readDraft(), newer = false;
    Object.keys(draft.questions).forEach(function (name) {
      var kept = draft.questions[name], item = document.getElementById("item-" + name.slice(1));
      if (!item) return;
      var server = item.dataset.savedAt || "";
      if (server && server > kept.base) { newer = true; return; }   // saved elsewhere after this copy: it stays
      if (JSON.stringify(kept.values) === shown[name]) return;     // the server has it already
      fields().forEach(function (el) {
        var values = kept.values[el.name];
        if (question(el.name) !== name || !values || el.type === "hidden") return;
        if (el.type === "radio" || el.type === "checkbox") el.checked = values.indexOf(el.value) !== -1;
        else el.value = values[0] || "";
      });
      touched[name] = ++seq;
      base[name] = kept.base;
    });
    if (newer) show("另一个窗口或设备保存过更新的答案，这些题显示的是服务器上的答案");
    return Object.keys(touched).length > 0;
  }
  function sendOnlyUnsaved() {   // 交卷: what the server already has is not sent again
    fields().forEach(function (el) { if (!touched.hasOwnProperty(question(el.name))) el.disabled = true; });
    var field = document.createElement("input");
    field.type = "hidden"; field.name = "since"; field.value = since();
    form.appendChild(field);
  }

  function show(text, bad) {
    status.textContent = text;
    status.classList.toggle("is-bad", !!bad);
  }

  function save() {
    if (saving || submitted) return;
    saving = true; dirty = false;
    var sent = seq, sentValues = {};
    Object.keys(touched).forEach(function (name) { sentValues[name] = JSON.stringify(valuesOf(name)); });
    show("正在保存…");
    fetch(saveUrl, { method: "POST", body: unsaved(), credentials: "same-origin",
                     headers: { "Accept": "application/json" } })
      .then(function (res) {
        return res.json().then(function (data) { return { ok: res.ok, data: data }; });
      })
      .then(function (r) {
        if (r.ok) {
          var done = [], elsewhere = (r.data.kept_elsewhere || []).map(function (p) { return "q" + p; });
          Object.keys(sentValues).forEach(function (name) {
            // kept elsewhere: the student is told; a change they make after that is theirs to make
            base[name] = r.data.at;
            if (elsewhere.indexOf(name) === -1) shown[name] = sentValues[name];
            if (touched[name] <= sent) { delete touched[name]; done.push(name); }
          });
          keepLocal(done, elsewhere);
          var t = new Date();
          if (elsewhere.length) {
            warning = "第 " + elsewhere.map(function (n) { return Number(n.slice(1)) + 1; }).join("、") +
                      " 题已在另一个窗口或设备上改过，保留了那边的答案；刷新页面可看到最新答案";
            show(warning, true);
          } else if (warning && !Object.keys(sentValues).length) {
            show(warning, true);   // a save with nothing new (the retry timer, 保存答案) does not hide it
          } else {
            warning = "";
            show("已保存 " + t.toLocaleTimeString("zh-CN", { hour12: false }));
          }
        } else {
          show("保存失败：" + (r.data.message || r.data.error), true);
        }
      })
      .catch(function () { dirty = true; show("网络中断，答案暂未保存，恢复后会自动重试", true); })
      .then(function () { saving = false; });
  }

  function schedule(event) {
    if (!/^q\d/.test(event.target.name || "")) return;
    var name = question(event.target.name);
    if (JSON.stringify(valuesOf(name)) === shown[name]) {   // back as the server has it (or only clicked in and out)
      if (!touched.hasOwnProperty(name)) return;
      delete touched[name];
      keepLocal([name]);
      return;
    }
    touched[name] = ++seq;
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
