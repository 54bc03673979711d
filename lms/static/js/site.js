// Behaviour every page may use, declared in the markup: the Content-Security-Policy allows no
// inline script and no on*= attribute (lms/headers.py), so pages say what they want with
// data- attributes and this script does it.
(function () {
  "use strict";
  // <select data-autosubmit>: choosing an option submits its form (the language menu).
  document.querySelectorAll("[data-autosubmit]").forEach(function (field) {
    field.addEventListener("change", function () { field.form.submit(); });
  });
  // <element data-reload-after="3000">: reload the page after that many milliseconds
  // (a re-grade in progress).
  var reloading = document.querySelector("[data-reload-after]");
  if (reloading) {
    var delay = parseInt(reloading.dataset.reloadAfter, 10);
    if (delay > 0) setTimeout(function () { location.reload(); }, delay);
  }
  // <form data-confirm="Question?">: ask before submitting (revoking an API token).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
