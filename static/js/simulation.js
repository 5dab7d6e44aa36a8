// Simulation pages: sliders → data.json → Plotly.react, numbers and tables; URL, presentation, predict.
// The model runs once, on the server (simulations/*.py); this script only draws what it returns.
(function () {
  "use strict";
  var bootEl = document.getElementById("sim-boot");
  var form = document.getElementById("sim-form");
  if (!bootEl || !form) return;
  var boot = JSON.parse(bootEl.textContent);
  var view = boot.view;
  var declared = {};
  boot.params.forEach(function (p) { declared[p.name] = p; });
  var body = document.body;
  var veil = document.getElementById("sim-veil");
  var errorBox = document.getElementById("sim-error");
  var predict = document.getElementById("sim-predict");
  var presentButton = document.getElementById("sim-present");
  var state = { inFlight: null, pending: false, inputAt: 0, seq: 0 };
  window.simulation = { renders: 0, last: null, busy: false };  // read by the browser tests and the benchmark

  // ---- parameters <-> controls <-> URL ---------------------------------------------------------
  function values() {
    var out = {};
    boot.params.forEach(function (p) {
      if (p.values) {
        var checked = form.querySelector('input[name="' + p.name + '"]:checked');
        out[p.name] = checked ? checked.value : p.default;
      } else {
        var box = form.querySelector('.sim-number[data-for="' + p.name + '"]');  // exact; the slider snaps to its step
        out[p.name] = box && acceptable(p, box.value) ? box.value : form.elements[p.name].value;
      }
    });
    return out;
  }

  // A typed number is used as it is typed when it is a number inside the range (whole for an integer
  // parameter); otherwise it is clamped when the box is left or Enter is pressed, with a message.
  function acceptable(p, raw) {
    if (String(raw).trim() === "") return false;
    var x = Number(raw);
    return isFinite(x) && x >= p.min && x <= p.max && (!p.integer || x === Math.round(x));
  }

  function fmt(x) { return String(Math.round(x * 1e6) / 1e6); }

  function clamp(box) {
    var p = declared[box.dataset.for];
    if (!p || acceptable(p, box.value)) { box.removeAttribute("aria-invalid"); return false; }
    var message = document.getElementById("msg-" + p.name);
    var slider = form.elements[p.name];
    var x = Number(box.value), text;
    if (String(box.value).trim() === "" || !isFinite(x)) {
      x = Number(slider.value);
      text = "请输入数字，已恢复为 " + fmt(x);
    } else if (x < p.min) {
      x = p.min;
      text = "最小为 " + fmt(p.min) + "，已改为 " + fmt(p.min);
    } else if (x > p.max) {
      x = p.max;
      text = "最大为 " + fmt(p.max) + "，已改为 " + fmt(p.max);
    } else {
      x = Math.round(x);
      text = "须为整数，已改为 " + fmt(x);
    }
    box.value = fmt(x);
    slider.value = fmt(x);
    box.removeAttribute("aria-invalid");
    if (message) message.textContent = text;
    return true;
  }

  function clearMessage(name) {
    var message = document.getElementById("msg-" + name);
    if (message) message.textContent = "";
  }

  function setControl(name, value) {
    var p = declared[name];
    if (!p) return;
    if (p.values) {
      var radio = form.querySelector('input[name="' + name + '"][value="' + value + '"]');
      if (radio) radio.checked = true;
    } else {
      form.elements[name].value = value;
      var box = form.querySelector('.sim-number[data-for="' + name + '"]');
      if (box) { box.value = form.elements[name].value; box.removeAttribute("aria-invalid"); }
      clearMessage(name);
    }
  }

  function query(vals) {
    var q = new URLSearchParams(vals);
    if (body.classList.contains("sim-presenting")) q.set("present", "1");
    if (predict && predict.checked) q.set("predict", "1");
    return q.toString();
  }

  function syncUrl() {
    history.replaceState(null, "", location.pathname + "?" + query(values()) + location.hash);
    scheduleQr();
  }

  // ---- drawing -------------------------------------------------------------------------------
  // Presentation sizes, in px: tick numbers and axis titles at least 24 px on a 1920×1080 projector.
  var BIG = { font: 24, title: 28, axisTitle: 26, legend: 22, line: 4, marker: 1.4 };

  function legendRows(fig, width, fontSize) {
    // Plotly does not make room for a legend placed below the plot in container coordinates, so
    // estimate how many rows it wraps into at this width (a CJK character is about one em wide).
    if (fig.layout.showlegend === false) return 0;
    var rows = 0, x = 0, avail = width - 24;
    fig.data.forEach(function (trace) {
      if (trace.showlegend === false || !trace.name) return;
      var w = 44 + String(trace.name).length * fontSize;
      if (rows === 0 || (x > 0 && x + w > avail)) { rows += 1; x = 0; }
      x += w;
    });
    return rows;
  }

  function decorate(fig, el) {
    var presenting = body.classList.contains("sim-presenting");
    var copy = JSON.parse(JSON.stringify(fig));
    var layout = copy.layout;
    var legendBelow = layout.legend && layout.legend.yref === "container";
    if (legendBelow && el) {
      var size = presenting ? BIG.legend : 13;
      var rows = legendRows(copy, el.clientWidth || 600, size);
      layout.margin = Object.assign({}, layout.margin);
      layout.margin.b = Math.max(layout.margin.b || 0, 64 + rows * (size + 10));
    }
    if (!presenting) return copy;
    // Presentation mode: large type, black on white, heavier lines.
    layout.font = Object.assign({}, layout.font, { size: BIG.font, color: "#000" });
    if (layout.title && typeof layout.title === "object") {
      layout.title.font = Object.assign({}, layout.title.font, { size: BIG.title, color: "#000" });
    }
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        var axis = layout[key] = Object.assign({}, layout[key], { gridcolor: "#bbb", linecolor: "#000", automargin: true,
                                                                  tickfont: { size: BIG.font, color: "#000" } });
        // One chart at a time is drawn here, so plotly may size the margins itself: titles clear the ticks.
        if (axis.title && axis.title.text) axis.title = Object.assign({}, axis.title, { standoff: 14, font: { size: BIG.axisTitle, color: "#000" } });
      }
    });
    layout.legend = Object.assign({}, layout.legend, { font: { size: BIG.legend, color: "#000" } });
    layout.hoverlabel = { font: { size: BIG.legend } };
    (layout.annotations || []).forEach(function (a) { a.font = Object.assign({}, a.font, { size: BIG.legend, color: "#000" }); });
    copy.data.forEach(function (trace) {
      if (trace.line) trace.line.width = Math.max(BIG.line, trace.line.width || 0);
      if (trace.marker && typeof trace.marker.size === "number") trace.marker.size *= BIG.marker;
      if (trace.textfont) trace.textfont.size = BIG.font; else trace.textfont = { size: BIG.legend };
    });
    layout.margin = Object.assign({}, layout.margin, { l: Math.max(96, (layout.margin || {}).l || 0), r: 32,
                                                       t: Math.max(56, (layout.margin || {}).t || 0) });
    return copy;
  }

  var PLOT_CONFIG = { responsive: true, displayModeBar: false, scrollZoom: false };

  // Charts on screen are redrawn at once; those scrolled away are redrawn when the browser is idle or
  // when they come into view, so a phone showing one chart pays for one chart per slider step.
  var drawn = {};    // chart → JSON last drawn: a figure that did not change is not redrawn
  var onScreen = {}; // chart → true / false; unknown until the observer has reported
  var idle = window.requestIdleCallback || function (fn) { return setTimeout(fn, 50); };
  var idlePending = false;

  function drawOne(key, force) {
    var el = document.getElementById("chart-" + key);
    var figure = view.figures[key];
    if (!el || !figure || !window.Plotly) return null;
    if (!el.getClientRects().length) return null;  // not shown (presentation shows one chart): drawn when shown
    var json = (body.classList.contains("sim-presenting") ? "P" : "N") + JSON.stringify(figure);
    if (!force && drawn[key] === json) return null;
    drawn[key] = json;
    var fig = decorate(figure, el);
    return window.Plotly.react(el, fig.data, fig.layout, PLOT_CONFIG);
  }

  function drawCharts(figures, force) {
    var keys = Object.keys(figures);
    if (force) drawn = {};
    var later = keys.filter(function (key) { return onScreen[key] === false; });
    if (later.length && !idlePending) {
      idlePending = true;
      idle(function () { idlePending = false; Object.keys(view.figures).forEach(function (key) { drawOne(key); }); }, { timeout: 1500 });
    }
    return Promise.all(keys.filter(function (key) { return onScreen[key] !== false; }).map(function (key) { return drawOne(key); }));
  }

  if ("IntersectionObserver" in window) {
    var watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var key = entry.target.dataset.chart;
        onScreen[key] = entry.isIntersecting;
        if (entry.isIntersecting) drawOne(key);
      });
    }, { rootMargin: "200px 0px" });
    document.querySelectorAll("[data-chart]").forEach(function (chart) { watcher.observe(chart); });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderStats(summary) {
    var dl = document.getElementById("sim-stats");
    var frag = document.createDocumentFragment();
    summary.forEach(function (s) {
      var div = el("div", "sim-stat");
      div.dataset.stat = s.key;
      if (s.tone) div.dataset.tone = s.tone;
      div.appendChild(el("dt", "", s.label));
      div.appendChild(el("dd", "sim-stat__value", s.text));
      if (s.note) div.appendChild(el("dd", "sim-stat__note", s.note));
      frag.appendChild(div);
    });
    dl.replaceChildren(frag);
    showComparison();
    var worked = document.getElementById("sim-worked");
    var lines = document.createDocumentFragment();
    summary.forEach(function (s) {
      if (!s.html) return;
      var p = el("p", "sim-worked__line");
      p.appendChild(el("span", "sim-worked__label", s.label));
      var math = el("span", "sim-worked__math");
      math.innerHTML = s.html;  // MathML the server made from numbers; no user text
      p.appendChild(math);
      lines.appendChild(p);
    });
    worked.replaceChildren(lines);
  }

  function renderTables(tables) {
    var box = document.getElementById("sim-tables");
    var frag = document.createDocumentFragment();
    tables.forEach(function (t) {
      var figure = el("figure", "sim-table");
      figure.dataset.table = t.key;
      figure.appendChild(el("figcaption", "", t.caption));
      var scroll = el("div", "sim-table__scroll");
      scroll.tabIndex = 0;
      scroll.setAttribute("role", "region");
      scroll.setAttribute("aria-label", t.caption);
      var table = el("table"), thead = el("thead"), head = el("tr"), tbody = el("tbody");
      t.columns.forEach(function (c, i) {
        var th = el("th", (t.text_columns || []).indexOf(i) >= 0 ? "is-text" : "", c);
        th.scope = "col";
        head.appendChild(th);
      });
      thead.appendChild(head);
      t.rows.forEach(function (row) {
        var tr = el("tr");
        row.forEach(function (cell, i) {
          var td = el(i === 0 ? "th" : "td", (t.text_columns || []).indexOf(i) >= 0 ? "is-text" : "", cell);
          if (i === 0) td.scope = "row";
          tr.appendChild(td);
        });
        tbody.appendChild(tr);
      });
      table.appendChild(thead);
      table.appendChild(tbody);
      scroll.appendChild(table);
      figure.appendChild(scroll);
      frag.appendChild(figure);
    });
    box.replaceChildren(frag);
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = message || "";
    errorBox.hidden = !message;
  }

  function render(newView, inputAt) {
    view = newView;
    renderStats(view.summary);
    renderTables(view.tables);
    updateChartLabel();
    if (presenting()) fitChart();
    return drawCharts(view.figures).then(function () {
      // Two frames: the charts' SVG is laid out and painted before we call it done.
      return new Promise(function (resolve) { requestAnimationFrame(function () { requestAnimationFrame(resolve); }); });
    }).then(function () {
      window.simulation.renders += 1;
      window.simulation.last = { inputAt: inputAt, drawnAt: performance.now() };
      document.dispatchEvent(new CustomEvent("simulation:rendered", { detail: window.simulation.last }));
    });
  }

  // ---- fetching: one request in flight, the latest values win ---------------------------------
  function update() {
    if (state.inFlight) { state.pending = true; return; }
    window.simulation.busy = true;
    var inputAt = state.inputAt;
    var url = boot.dataUrl + "?" + new URLSearchParams(values()).toString();
    state.inFlight = fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) throw new Error(data.error || "计算失败");
          return data;
        });
      })
      .then(function (data) { showError(""); return render(data.view, inputAt); })
      .catch(function (err) { showError(err.message === "Failed to fetch" ? "无法连接服务器，结果没有更新。" : err.message); })
      .then(function () {
        state.inFlight = null;
        if (state.pending) { state.pending = false; update(); } else { window.simulation.busy = false; }
      });
  }

  function changed() {
    state.inputAt = performance.now();
    if (predict && predict.checked) conceal(true);
    syncUrl();
    update();
  }

  form.addEventListener("input", function (event) {
    var target = event.target;
    if (target.classList.contains("sim-number")) {
      if (!acceptable(declared[target.dataset.for], target.value)) { target.setAttribute("aria-invalid", "true"); return; }
      target.removeAttribute("aria-invalid");
      clearMessage(target.dataset.for);
      form.elements[target.dataset.for].value = target.value;
    } else if (target.type === "range") {
      var box = form.querySelector('.sim-number[data-for="' + target.name + '"]');
      if (box) { box.value = target.value; box.removeAttribute("aria-invalid"); }
      clearMessage(target.name);
    }
    changed();
  });
  form.addEventListener("change", function (event) {
    if (event.target.classList.contains("sim-number") && clamp(event.target)) changed();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelectorAll(".sim-number").forEach(clamp);
    changed();
  });

  function applyPreset(preset) {
    boot.params.forEach(function (p) { setControl(p.name, p.default); });
    Object.keys(preset).forEach(function (name) { setControl(name, preset[name]); });
    changed();
  }

  document.querySelectorAll("[data-preset]").forEach(function (button) {
    button.addEventListener("click", function () { applyPreset(JSON.parse(button.dataset.preset)); });
  });
  var reset = document.getElementById("sim-reset");
  if (reset) reset.addEventListener("click", function () { applyPreset({}); });

  var copy = document.getElementById("sim-copy");
  if (copy) copy.addEventListener("click", function () {
    var url = location.href;
    var done = function () { copy.textContent = "已复制链接"; setTimeout(function () { copy.textContent = "复制本场景链接"; }, 2000); };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, function () { window.prompt("复制这个链接：", url); });
    else window.prompt("复制这个链接：", url);
  });

  var sheetToggle = document.getElementById("sim-sheet-toggle");  // phones: the sliders' bottom sheet
  if (sheetToggle) sheetToggle.addEventListener("click", function () {
    var collapsed = form.classList.toggle("is-collapsed");
    sheetToggle.setAttribute("aria-expanded", collapsed ? "false" : "true");
    sheetToggle.textContent = collapsed ? "展开参数" : "收起参数";
  });

  // ---- predict, then reveal ------------------------------------------------------------------
  // Turning the mode on (or the first change after a reveal) starts a round: the numbers on screen are
  // "before", the class writes a prediction per number, the teacher changes parameters with the results
  // hidden, and the reveal puts before → after beside each prediction.
  var predictFields = document.getElementById("sim-predict-fields");
  var round = null;  // { before: {key: stat}, revealed: bool }

  function statsByKey(summary) {
    var out = {};
    summary.forEach(function (s) { out[s.key] = s; });
    return out;
  }

  function predictable(s) { return s.value !== null && s.value !== undefined; }

  function startRound() {
    round = { before: statsByKey(view.summary), revealed: false };
    if (!predictFields) return;
    var frag = document.createDocumentFragment();
    view.summary.filter(predictable).forEach(function (s) {
      var row = el("div", "sim-predict__field");
      var label = el("label", "sim-predict__label", s.label);
      label.htmlFor = "predict-" + s.key;
      var input = el("input", "sim-predict__input");
      input.type = "number";
      input.step = "any";
      input.id = "predict-" + s.key;
      input.dataset.predict = s.key;
      input.inputMode = "decimal";
      input.autocomplete = "off";
      row.appendChild(label);
      row.appendChild(el("span", "sim-predict__before", "之前 " + s.text));
      row.appendChild(input);
      frag.appendChild(row);
    });
    predictFields.replaceChildren(frag);
  }

  function decimals(x) {
    var text = String(x);
    return text.indexOf(".") < 0 ? 0 : Math.min(6, text.length - text.indexOf(".") - 1);
  }

  function signed(x, digits) {
    if (Math.abs(x) < Math.pow(10, -digits) / 2) return "±0";
    var text = Math.abs(x).toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
    return (x > 0 ? "+" : "−") + text;
  }

  function showComparison() {
    if (!round || !round.revealed) return;
    var predictions = {};
    document.querySelectorAll("[data-predict]").forEach(function (input) {
      if (input.value.trim() !== "" && isFinite(Number(input.value))) predictions[input.dataset.predict] = Number(input.value);
    });
    view.summary.filter(predictable).forEach(function (after) {
      var card = document.querySelector('.sim-stat[data-stat="' + after.key + '"]');
      var before = round.before[after.key];
      if (!card) return;
      var box = el("dd", "sim-stat__compare");
      if (before && predictable(before)) {
        var digits = Math.max(decimals(before.value), decimals(after.value));
        var change = el("span", "sim-compare__change", "之前 " + before.text + " → 之后 " + after.text + "（" + signed(after.value - before.value, digits) + "）");
        change.dataset.delta = String(after.value - before.value);
        box.appendChild(change);
      } else {
        box.appendChild(el("span", "sim-compare__change", "之后 " + after.text));
      }
      var guess = predictions[after.key];
      var line = el("span", "sim-compare__prediction", guess === undefined ? "没有写预测" :
        "预测 " + guess.toLocaleString("en-US", { maximumFractionDigits: 6 }) + "，相差 " +
        signed(after.value - guess, Math.max(decimals(guess), decimals(after.value))));
      if (guess !== undefined) line.dataset.off = String(after.value - guess);
      box.appendChild(line);
      card.appendChild(box);
    });
  }

  function conceal(hidden) {
    var wasHidden = body.classList.contains("sim-concealed");
    if (hidden && !wasHidden) startRound();
    body.classList.toggle("sim-concealed", hidden);
    if (veil) veil.hidden = !hidden;
    updateChartLabel();
  }
  if (predict) predict.addEventListener("change", function () {
    if (!predict.checked) round = null;
    conceal(predict.checked);
    if (!predict.checked) renderStats(view.summary);
    syncUrl();
  });
  var reveal = document.getElementById("sim-reveal");
  if (reveal) reveal.addEventListener("click", function () {
    if (round) round.revealed = true;
    conceal(false);
    renderStats(view.summary);
  });

  // ---- charts: one at a time in presentation mode, saved as PNG --------------------------------
  var figureBoxes = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  var chartLabel = document.getElementById("sim-chart-label");
  var currentChart = 0;

  function presenting() { return body.classList.contains("sim-presenting"); }

  function chartTitle(index) {
    var box = figureBoxes[index];
    var fig = view.figures[box.dataset.figure];
    var title = fig && fig.layout && fig.layout.title && fig.layout.title.text;
    return title || box.dataset.title;
  }

  function updateChartLabel() {
    if (!chartLabel || !figureBoxes.length) return;
    var place = "图 " + (currentChart + 1) + " / " + figureBoxes.length;
    // While results are hidden the title stays hidden too: it often holds the result (NPS = 25.0).
    chartLabel.textContent = body.classList.contains("sim-concealed") ? place : place + "：" + chartTitle(currentChart);
  }

  function fitChart() {
    figureBoxes.forEach(function (box, i) {
      var chart = box.querySelector("[data-chart]");
      var height = "";
      if (presenting() && i === currentChart) {
        var top = chart.getBoundingClientRect().top + window.scrollY;
        height = Math.floor(Math.max(0.6 * window.innerHeight, window.innerHeight - top - 16)) + "px";
      }
      if (chart.style.height !== height) { chart.style.height = height; drawn[box.dataset.figure] = null; }
    });
  }

  function showChart(index) {
    if (!figureBoxes.length) return;
    currentChart = (index + figureBoxes.length) % figureBoxes.length;
    figureBoxes.forEach(function (box, i) { box.classList.toggle("is-current", i === currentChart); });
    updateChartLabel();
    fitChart();
    var key = figureBoxes[currentChart].dataset.figure, chart = document.getElementById("chart-" + key);
    Promise.resolve(drawOne(key)).then(function () { return fitDrawn(chart); });
  }

  // plotly keeps the size a chart had when it was last drawn; its box may have changed size since
  function fitDrawn(chart) {
    if (window.Plotly && chart && chart._fullLayout && Math.abs(chart._fullLayout.width - chart.clientWidth) > 1) {
      return window.Plotly.Plots.resize(chart);
    }
  }

  function saveChart(key) {
    var chart = document.getElementById("chart-" + key);
    if (!window.Plotly || !chart) return;
    Promise.resolve(drawOne(key)).then(function () {
      return window.Plotly.downloadImage(chart, { format: "png", filename: boot.name + "-" + key, scale: 2,
                                                  width: chart.clientWidth || 960, height: chart.clientHeight || 540 });
    }).catch(function () { showError("图片没有保存成功，请再试一次。"); });
  }

  document.querySelectorAll("[data-save]").forEach(function (button) {
    button.addEventListener("click", function () { saveChart(button.dataset.save); });
  });
  var saveCurrent = document.getElementById("sim-chart-save");
  if (saveCurrent) saveCurrent.addEventListener("click", function () { saveChart(figureBoxes[currentChart].dataset.figure); });
  var prevChart = document.getElementById("sim-chart-prev"), nextChart = document.getElementById("sim-chart-next");
  if (prevChart) prevChart.addEventListener("click", function () { showChart(currentChart - 1); });
  if (nextChart) nextChart.addEventListener("click", function () { showChart(currentChart + 1); });

  // ---- QR code: the current scenario on a phone -------------------------------------------------
  var qrPanel = document.getElementById("sim-qr"), qrToggle = document.getElementById("sim-qr-toggle");
  var qrTimer = null;

  function updateQr() {
    if (!qrPanel || qrPanel.hidden) return;
    // The parameters, and predict=1 while the class is predicting (the phone starts with the results hidden
    // too, and a student can write a prediction there); never present=1: a phone shows the normal page.
    var params = new URLSearchParams(values());
    if (predict && predict.checked) params.set("predict", "1");
    var scenario = params.toString();
    var url = location.origin + location.pathname + "?" + scenario;
    document.getElementById("sim-qr-img").src = boot.qrUrl + "?" + scenario;
    var link = document.getElementById("sim-qr-url");
    link.href = url;
    link.textContent = url;
    document.getElementById("sim-qr-local").hidden = !/^(localhost|127\.|\[::1\]$)/.test(location.hostname);
  }

  function scheduleQr() {
    clearTimeout(qrTimer);
    qrTimer = setTimeout(updateQr, 250);
  }

  function openQr(open) {
    if (!qrPanel) return;
    qrPanel.hidden = !open;
    qrToggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) updateQr(); else qrToggle.focus();
  }
  if (qrToggle) qrToggle.addEventListener("click", function () { openQr(qrPanel.hidden); });
  var qrClose = document.getElementById("sim-qr-close");
  if (qrClose) qrClose.addEventListener("click", function () { openQr(false); });

  // ---- presentation mode ---------------------------------------------------------------------
  function present(on, fullscreen) {
    body.classList.toggle("sim-presenting", on);
    if (presentButton) {
      presentButton.setAttribute("aria-pressed", on ? "true" : "false");
      presentButton.textContent = on ? "退出演示" : "演示模式";
    }
    if (fullscreen && on && document.documentElement.requestFullscreen && !document.fullscreenElement) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
    if (!on && document.fullscreenElement && document.exitFullscreen) document.exitFullscreen().catch(function () {});
    syncUrl();
    fitChart();
    // The layout just changed size (projector mode, or back): plotly keeps the size it drew at, so a chart
    // drawn for the page would be cut off or leave half the screen empty until the window is resized.
    drawCharts(view.figures, true).then(function () { document.querySelectorAll("[data-chart]").forEach(fitDrawn); });
  }
  if (presentButton) presentButton.addEventListener("click", function () {
    present(!presenting(), true);
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && presenting()) present(false, false);
  });
  var typing = function (node) {
    return node && (node.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(node.tagName));
  };
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (qrPanel && !qrPanel.hidden) { openQr(false); return; }
      if (presenting()) present(false, false);
      return;
    }
    if (!presenting() || event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement)) return;
    var key = event.key;  // a slider or number box keeps its own arrow keys
    if (key === "ArrowRight" || key === "PageDown") showChart(currentChart + 1);
    else if (key === "ArrowLeft" || key === "PageUp") showChart(currentChart - 1);
    else if (/^[1-9]$/.test(key) && Number(key) <= figureBoxes.length) showChart(Number(key) - 1);
    else return;
    event.preventDefault();
  });

  var resizeTimer = null;  // the legend's room depends on the width: redraw after a resize settles
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { fitChart(); drawCharts(view.figures, true); }, 200);
  });

  // ---- start -------------------------------------------------------------------------------------
  var start = new URLSearchParams(location.search);
  if (start.get("present") === "1") body.classList.add("sim-presenting");
  if (start.get("present") === "1" && presentButton) { presentButton.setAttribute("aria-pressed", "true"); presentButton.textContent = "退出演示"; }
  showChart(0);
  if (start.get("predict") === "1" && predict) { predict.checked = true; conceal(true); }
  body.classList.add("sim-ready");
  render(view, performance.now());
})();
