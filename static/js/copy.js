// Copy buttons: <button data-copy="INPUT-ID" hidden>. Without JavaScript the readonly input
// stays selectable; with it, the button appears and copies the value.
(function () {
  "use strict";
  function status(button, text) {
    var box = button.closest("section") || document;
    var live = box.querySelector("[data-copy-status]");
    if (live) { live.textContent = text || live.getAttribute("data-copied") || ""; }
  }
  function copy(button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    if (!input) { return; }
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(function () { status(button); },
        function () { document.execCommand("copy"); status(button); });
    } else {
      document.execCommand("copy");
      status(button);
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
  document.querySelectorAll("input[readonly]").forEach(function (input) {
    input.addEventListener("focus", function () { input.select(); });
  });
}());
