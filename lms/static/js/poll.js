// Shared by the exercise and quiz scripts: follow a submission until it is final.
window.lmsPoll = function poll(url, target, onFinal) {
  "use strict";
  fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      target.innerHTML = data.html;
      if (data.final) { if (onFinal) onFinal(data); }
      else setTimeout(function () { poll(url, target, onFinal); }, 700);
    })
    .catch(function () { setTimeout(function () { poll(url, target, onFinal); }, 2000); });
};

// POST files as JSON with the page's CSRF token; resolves to the reply or rejects with its error.
window.lmsSubmit = function (action, files) {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  return fetch(action, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
    body: JSON.stringify({ files: files }),
  }).then(function (response) {
    return response.json().then(function (data) {
      if (!response.ok) throw new Error(data.error || "error");
      return data;
    });
  });
};
