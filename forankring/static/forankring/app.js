// Starts the design system's components once the page has loaded. Kept in a static file
// because the Content-Security-Policy allows no inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
  }
});
// Content that htmx swaps in gets the same components started inside it.
document.addEventListener("htmx:afterSwap", function (event) {
  if (window.DKFDS && event.target) {
    window.DKFDS.init({ scope: event.target });
  }
});
