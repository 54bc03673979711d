// The review form keeps what the reviewer types: saved on the server a moment after each
// change, and in this browser's localStorage first, so an expired session or a lost
// connection never loses a review in progress.
(function () {
  "use strict";
  var form = document.getElementById("review-form");
  if (!form) return;
  var status = document.getElementById("draft-status");
  var messages = document.getElementById("review-messages").dataset;
  var key = form.dataset.storageKey;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var timer = null;
  var lastSaved = form.dataset.savedAt; // the server's time of its newest copy of this review

  function collect() {
    var data = { levels: {}, comments: {}, overall: form.elements.overall.value };
    form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
      var name = fieldset.dataset.criterion;
      var checked = fieldset.querySelector("input[type=radio]:checked");
      if (checked) data.levels[name] = Number(checked.value);
      data.comments[name] = fieldset.querySelector("textarea").value;
    });
    return data;
  }

  function apply(data) {
    form.querySelectorAll("fieldset.criterion").forEach(function (fieldset) {
      var name = fieldset.dataset.criterion;
      if (name in data.levels) {
        var radio = fieldset.querySelector('input[type=radio][value="' + data.levels[name] + '"]');
        if (radio) radio.checked = true;
      }
      if (data.comments[name]) fieldset.querySelector("textarea").value = data.comments[name];
    });
    if (data.overall) form.elements.overall.value = data.overall;
  }

  function save() {
    var data = collect();
    localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), data: data, synced: false }));
    fetch(form.dataset.draftUrl, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(data),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (body) {
      lastSaved = body.saved_at;
      localStorage.setItem(key, JSON.stringify({ at: body.saved_at, data: data, synced: true }));
      status.textContent = messages.saved.replace("{time}", new Date().toLocaleTimeString());
      status.classList.remove("flash-error");
    }).catch(function () {
      status.textContent = messages.offline;
      status.classList.add("flash-error");
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  // A copy this browser kept that the server never got (the session had expired): bring it back.
  var kept = JSON.parse(localStorage.getItem(key) || "null");
  if (kept && !kept.synced && (!form.dataset.savedAt || kept.at >= form.dataset.savedAt)) {
    apply(kept.data);
    status.textContent = messages.restored;
    save();
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", function () {
    // This POST carries what a pending autosave would send; sent after it, that autosave would
    // come back as a new draft once the review is submitted.
    clearTimeout(timer);
    // Kept until the server has it, dated with the server's newest copy: if this POST fails
    // (session expired, connection lost) that copy is still the newest and this one is
    // restored on the next visit; once the server took it (submitted, or kept as the draft when
    // refused), it is not.
    localStorage.setItem(key, JSON.stringify({ at: lastSaved, data: collect(), synced: false }));
  });
})();
