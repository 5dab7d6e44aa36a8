// Print pages: the toolbar's print button (no inline script: the CSP allows only our files).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
