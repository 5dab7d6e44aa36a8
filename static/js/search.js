// Search page: the result groups (课程内容 / 题目 / 课堂模拟) become tabs. Without this script they are
// listed one after another and the links in the overview jump to each group.
(function () {
  "use strict";
  var nav = document.querySelector("[data-search-tabs]");
  if (!nav) return;
  var tabs = Array.prototype.slice.call(nav.querySelectorAll("[data-panel]"));
  var panels = tabs.map(function (tab) { return document.getElementById(tab.dataset.panel); });
  nav.setAttribute("role", "tablist");
  tabs.forEach(function (tab, i) {
    tab.setAttribute("role", "tab");
    tab.id = "tab-" + tab.dataset.panel;
    tab.setAttribute("aria-controls", tab.dataset.panel);
    panels[i].setAttribute("role", "tabpanel");
    panels[i].setAttribute("aria-labelledby", tab.id);
    panels[i].tabIndex = -1;
  });
  document.body.classList.add("search-tabbed");

  function select(index, focus) {
    tabs.forEach(function (tab, i) {
      var on = i === index;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panels[i].hidden = !on;
    });
    if (focus) tabs[index].focus();
  }

  function count(tab) { return parseInt(tab.querySelector(".search-tab__count").textContent, 10) || 0; }

  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      select(i, false);
      history.replaceState(null, "", location.pathname + location.search + "#" + tab.dataset.panel);
    });
    tab.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      event.preventDefault();
      select((i + step + tabs.length) % tabs.length, true);
    });
  });

  var wanted = tabs.findIndex(function (tab) { return "#" + tab.dataset.panel === location.hash; });
  if (wanted < 0) wanted = tabs.findIndex(function (tab) { return count(tab) > 0; });
  select(Math.max(0, wanted), false);
})();
