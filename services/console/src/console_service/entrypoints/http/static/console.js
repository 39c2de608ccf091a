// The console's only script besides htmx (no inline script anywhere: the Content Security Policy forbids it).
// 1. Every htmx request carries the page's CSRF secret (the forms carry it too, as a field).
// 2. A dialog the server sends (the step-up code, a two-step confirmation) opens as a modal: focus inside,
//    Escape or its Cancel button closes it.
(function () {
  "use strict";
  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRF-Token"] = csrf();
  });
  function openDialogs(root) {
    (root || document).querySelectorAll("dialog[data-modal]").forEach(function (dialog) {
      if (dialog.dataset.opened) { return; }
      dialog.dataset.opened = "1";
      if (dialog.open) { dialog.close(); }
      dialog.showModal();
      var first = dialog.querySelector("[autofocus], input:not([type=hidden]), button");
      if (first) { first.focus(); }
    });
  }
  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close]");
    if (closer) {
      var dialog = closer.closest("dialog");
      if (dialog) { dialog.close(); dialog.remove(); }
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) { openDialogs(event.target); });
  document.addEventListener("DOMContentLoaded", function () { openDialogs(document); });
})();
