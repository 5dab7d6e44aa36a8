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
        out[p.name] = box && box.value !== "" && box.validity.valid ? box.value : form.elements[p.name].value;
      }
    });
    return out;
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
      if (box) box.value = form.elements[name].value;
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
  }

  // ---- drawing -------------------------------------------------------------------------------
  var BIG = { font: 20, title: 24, line: 4, marker: 1.4 };

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
      var size = presenting ? BIG.font - 2 : 13;
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
        layout[key] = Object.assign({}, layout[key], { gridcolor: "#bbb", linecolor: "#000", tickfont: { size: BIG.font - 2, color: "#000" } });
      }
    });
    (layout.annotations || []).forEach(function (a) { a.font = Object.assign({}, a.font, { size: BIG.font - 2, color: "#000" }); });
    copy.data.forEach(function (trace) {
      if (trace.line) trace.line.width = Math.max(BIG.line, trace.line.width || 0);
      if (trace.marker && typeof trace.marker.size === "number") trace.marker.size *= BIG.marker;
      if (trace.textfont) trace.textfont.size = BIG.font; else trace.textfont = { size: BIG.font - 2 };
    });
    layout.margin = Object.assign({}, layout.margin, { l: Math.max(80, (layout.margin || {}).l || 0) });
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
      if (!target.validity.valid || target.value === "") { target.setAttribute("aria-invalid", "true"); return; }
      target.removeAttribute("aria-invalid");
      form.elements[target.dataset.for].value = target.value;
    } else if (target.type === "range") {
      var box = form.querySelector('.sim-number[data-for="' + target.name + '"]');
      if (box) { box.value = target.value; box.removeAttribute("aria-invalid"); }
    }
    changed();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); changed(); });

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
  function conceal(hidden) {
    body.classList.toggle("sim-concealed", hidden);
    if (veil) veil.hidden = !hidden;
  }
  if (predict) predict.addEventListener("change", function () { conceal(predict.checked); syncUrl(); });
  var reveal = document.getElementById("sim-reveal");
  if (reveal) reveal.addEventListener("click", function () { conceal(false); });

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
    drawCharts(view.figures, true);
  }
  if (presentButton) presentButton.addEventListener("click", function () {
    present(!body.classList.contains("sim-presenting"), true);
  });
  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && body.classList.contains("sim-presenting")) present(false, false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && body.classList.contains("sim-presenting")) present(false, false);
  });

  var resizeTimer = null;  // the legend's room depends on the width: redraw after a resize settles
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { drawCharts(view.figures, true); }, 200);
  });

  // ---- start -------------------------------------------------------------------------------------
  var start = new URLSearchParams(location.search);
  if (start.get("present") === "1") body.classList.add("sim-presenting");
  if (start.get("present") === "1" && presentButton) { presentButton.setAttribute("aria-pressed", "true"); presentButton.textContent = "退出演示"; }
  if (start.get("predict") === "1" && predict) { predict.checked = true; conceal(true); }
  body.classList.add("sim-ready");
  render(view, performance.now());
})();
