// The dashboard's "Print" button (shown only where JavaScript runs; the browser's own print works anyway).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  });
});
