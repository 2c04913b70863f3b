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

  // A long list of people (select data-filter="people") gets a box above it that
  // hides the options whose name or e-mail does not match what is typed; chosen
  // options stay chosen.
  document.querySelectorAll("select[data-filter]").forEach((select, index) => {
    const box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.id = `${select.id || "select"}-filter-${index}`;
    box.setAttribute("autocomplete", "off");
    box.setAttribute("aria-controls", select.id);
    const label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = box.id;
    label.textContent = "Find a person in the list by name or e-mail";
    box.placeholder = "Find by name or e-mail";
    select.before(label, box);
    box.addEventListener("input", () => {
      const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.from(select.options).forEach((option) => {
        const text = option.textContent.toLowerCase();
        option.hidden = !option.selected && !words.every((w) => text.includes(w));
      });
    });
  });
  document.body.addEventListener("htmx:afterSwap", (event) => focusableScrollers(event.target));
  window.addEventListener("resize", () => focusableScrollers(document));
});
