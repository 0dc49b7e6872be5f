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
// Escape closes the design system's dropdown menus (the phone menu's "Mere" among them) by hiding
// the list; a link inside it that had the focus then vanishes and the focus falls to the page
// body. Before that happens (the design system closes on keyup), the focus goes back to the
// menu's button, where a keyboard user opened it.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") {
    return;
  }
  document.querySelectorAll('.button-overflow-menu[aria-expanded="true"]').forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("data-js-target") || "");
    if (menu && menu.contains(document.activeElement)) {
      button.focus();
    }
  });
});
