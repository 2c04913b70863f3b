// Site behaviour without inline script (the content security policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-confirm ask before an irreversible action.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A table wider than the screen scrolls sideways: let keyboard users reach and
  // scroll it too (WCAG 2.1.1), and name the region after the table's caption.
  const focusableScrollers = (root) => {
    root.querySelectorAll(".table-responsive").forEach((box) => {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table");
      }
    });
  };
  focusableScrollers(document);
  document.body.addEventListener("htmx:afterSwap", (event) => focusableScrollers(event.target));
  window.addEventListener("resize", () => focusableScrollers(document));
});
