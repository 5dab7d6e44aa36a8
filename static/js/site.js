// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  var typing = function (el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  };

  // Keyboard: "/" focuses search; left/right arrows go to the previous/next chapter.
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(document.activeElement)) return;
    if (event.key === "/") {
      var box = document.getElementById("site-search") || document.getElementById("page-search");
      if (box) { event.preventDefault(); box.focus(); }
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      var rel = event.key === "ArrowLeft" ? "prev" : "next";
      var link = document.querySelector('a[rel="' + rel + '"]');
      if (link) { window.location.href = link.href; }
    }
  });

  // After an exam is submitted its local answer copy is no longer needed (shared computers).
  document.querySelectorAll("[data-clear-draft]").forEach(function (el) {
    try { localStorage.removeItem("crm-exam-draft:" + el.getAttribute("data-clear-draft")); } catch (e) { /* none kept */ }
  });

  // Buttons that print the page (错题本). Inline handlers are not allowed by the Content-Security-Policy.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Meters take their value from data-value: a style attribute would need 'unsafe-inline' in the CSP.
  document.querySelectorAll(".meter[data-value]").forEach(function (meter) {
    meter.style.setProperty("--value", meter.getAttribute("data-value") + "%");
  });

  // Heading anchors: a visible "#" link after each section heading, for sharing a section.
  document.querySelectorAll(".prose h2[id], .prose h3[id]").forEach(function (heading) {
    var link = document.createElement("a");
    link.className = "anchor-link";
    link.href = "#" + heading.id;
    link.textContent = "#";
    link.setAttribute("aria-label", "本节链接：" + heading.textContent);
    heading.appendChild(link);
  });

  // A formula or table wider than the screen scrolls inside its box (CSS shows the shadow hint);
  // such a box can take focus, so the arrow keys scroll it too, and says what it is.
  var markScrollable = function () {
    document.querySelectorAll(".math-block, .prose table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      box.classList.toggle("is-scrollable", scrolls);
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", box.tagName === "TABLE" ? "表格（可左右滚动）" : "公式（可左右滚动）");
      }
    });
  };
  markScrollable();
  var scrollTimer = null;
  window.addEventListener("resize", function () { clearTimeout(scrollTimer); scrollTimer = setTimeout(markScrollable, 150); });

  // Phones: the table of contents starts folded and folds again after a jump.
  var tocDetails = document.querySelector(".toc__details");
  if (tocDetails && window.matchMedia("(max-width: 63.99rem)").matches) {
    tocDetails.open = false;
    tocDetails.addEventListener("click", function (event) {
      if (event.target.closest("a")) tocDetails.open = false;
    });
  }

  // Table of contents that follows the reader.
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll(".toc__list a"));
  if (!tocLinks.length || !("IntersectionObserver" in window)) return;
  var byId = {};
  tocLinks.forEach(function (a) { byId[decodeURIComponent(a.hash.slice(1))] = a; });
  var headings = Array.prototype.slice.call(document.querySelectorAll(".prose h2[id], .prose h3[id]"));
  var visible = new Set();
  var mark = function () {
    var current = null;
    headings.forEach(function (h) { if (h.getBoundingClientRect().top < window.innerHeight * 0.35) current = h; });
    if (!current) current = headings[0];
    tocLinks.forEach(function (a) { a.classList.remove("is-current"); a.removeAttribute("aria-current"); });
    var link = current && byId[current.id];
    if (link) {
      link.classList.add("is-current");
      link.setAttribute("aria-current", "location");
      var toc = document.querySelector(".toc");
      if (toc && toc.scrollHeight > toc.clientHeight) {
        var top = link.offsetTop - toc.clientHeight / 2;
        toc.scrollTop = Math.max(0, top);
      }
    }
  };
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (e) { if (e.isIntersecting) visible.add(e.target); else visible.delete(e.target); });
    mark();
  }, { rootMargin: "0px 0px -60% 0px" });
  headings.forEach(function (h) { observer.observe(h); });
  window.addEventListener("hashchange", mark);
  mark();
})();
