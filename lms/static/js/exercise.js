// Exercise page: CodeMirror editors in tabs, submission without reload, status polling.
// Also used on the submission page, for polling only.
(function () {
  "use strict";
  var script = document.currentScript;
  var MODES = { python: "python", javascript: "javascript", sql: "text/x-sql", shell: "shell" };

  function modeFor(name, grader) {
    if (/\.py$/.test(name)) return "python";
    if (/\.(m?js)$/.test(name)) return "javascript";
    if (/\.sql$/.test(name)) return "text/x-sql";
    if (/\.sh$/.test(name)) return "shell";
    return MODES[grader] || null;
  }

  function setUpEditors(form) {
    var editors = {};
    form.querySelectorAll("textarea[data-file]").forEach(function (area) {
      if (!window.CodeMirror) return;
      var editor = CodeMirror.fromTextArea(area, {
        mode: modeFor(area.dataset.file, form.dataset.grader),
        lineNumbers: true, indentUnit: 4, tabSize: 4, indentWithTabs: false,
        matchBrackets: true, autoCloseBrackets: true, direction: "ltr",
        extraKeys: {
          // Tab indents with spaces (Python cares), Shift-Tab dedents.
          Tab: function (cm) {
            if (cm.somethingSelected()) cm.indentSelection("add");
            else cm.replaceSelection(" ".repeat(cm.getOption("indentUnit")), "end");
          },
          "Shift-Tab": function (cm) { cm.indentSelection("subtract"); },
          "Ctrl-/": "toggleComment", "Cmd-/": "toggleComment",
          "Ctrl-Enter": function () { form.requestSubmit(); },
          "Cmd-Enter": function () { form.requestSubmit(); },
        },
      });
      editors[area.dataset.file] = editor;
    });
    form.querySelectorAll('[role="tab"]').forEach(function (tab) {
      tab.addEventListener("click", function () {
        form.querySelectorAll('[role="tab"]').forEach(function (other) {
          var selected = other === tab;
          other.setAttribute("aria-selected", selected ? "true" : "false");
          document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
        });
        var editor = editors[tab.dataset.file];
        if (editor) { editor.refresh(); editor.focus(); }
      });
    });
    return editors;
  }

  var poll = window.lmsPoll;

  var form = document.getElementById("submit-form");
  var result = document.getElementById("result");
  if (form) {
    var editors = setUpEditors(form);
    var button = document.getElementById("submit-button");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var files = {};
      form.querySelectorAll("textarea[data-file]").forEach(function (area) {
        var editor = editors[area.dataset.file];
        files[area.dataset.file] = editor ? editor.getValue() : area.value;
      });
      if (button) button.disabled = true;
      result.innerHTML = '<p class="muted">' + script.dataset.msgSending + "</p>";
      window.lmsSubmit(form.action, files).then(function (reply) {
        poll(reply.url + "/status", result, function () {
          if (button) button.disabled = false;
          var best = document.getElementById("best-score");
          var score = result.querySelector(".score");
          if (best && score) {
            var value = parseInt(score.textContent, 10);
            if (best.textContent === "–" || value > parseInt(best.textContent, 10)) best.textContent = value;
          }
        });
      }).catch(function (error) {
        if (button) button.disabled = false;
        result.innerHTML = '<p class="flash flash-error" role="alert"></p>';
        result.firstChild.textContent = script.dataset.msgFailed + " " + error.message;
      });
    });
  } else if (result && result.dataset.poll) {
    var current = result.querySelector(".result");
    if (current && ["queued", "running"].indexOf(current.dataset.status) >= 0) {
      poll(result.dataset.poll, result);
    }
  }
})();
