// Site behaviour without inline script (the content security policy forbids it).
document.addEventListener("DOMContentLoaded", () => {
  // Forms marked data-confirm ask before an irreversible action.
  document.body.addEventListener("submit", (event) => {
    const message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
});
