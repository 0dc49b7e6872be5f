// Starts the design system's components once the page has loaded. Kept in a static file
// because the Content-Security-Policy allows no inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  if (window.DKFDS) {
    window.DKFDS.init();
    translateMoreButton();
  }
});
// The design system writes the label of its overflow menu button ("Mere") in Danish; the page
// carries the label in its own language on the menu, so English pages say "More".
function translateMoreButton() {
  var nav = document.querySelector(".navigation-menu .nav[data-more-label]");
  if (!nav) {
    return;
  }
  document.querySelectorAll(".navigation-menu .more-button > span").forEach(function (label) {
    label.textContent = nav.getAttribute("data-more-label");
  });
}
// Content that htmx swaps in gets the same components started inside it.
document.addEventListener("htmx:afterSwap", function (event) {
  if (window.DKFDS && event.target) {
    window.DKFDS.init({ scope: event.target });
  }
});
