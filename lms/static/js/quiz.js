// Quizzes in lessons: collect the answers, submit them like any exercise, show the result.
(function () {
  "use strict";
  document.querySelectorAll("form.quiz").forEach(function (form) {
    var result = form.querySelector(".quiz-result");
    var button = form.querySelector('button[type="submit"]');
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = {};
      form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
        var id = fieldset.dataset.question;
        var text = fieldset.querySelector('input[type="text"]');
        var boxes = fieldset.querySelectorAll('input[type="checkbox"]:checked');
        var radio = fieldset.querySelector('input[type="radio"]:checked');
        if (text) answers[id] = text.value;
        else if (fieldset.querySelector('input[type="checkbox"]'))
          answers[id] = Array.prototype.map.call(boxes, function (box) { return box.value; });
        else answers[id] = radio ? radio.value : "";
      });
      button.disabled = true;
      window.lmsSubmit(form.action, { "answers.json": JSON.stringify(answers) })
        .then(function (reply) {
          window.lmsPoll(reply.url + "/status", result, function () { button.disabled = false; });
        })
        .catch(function (error) {
          button.disabled = false;
          result.textContent = error.message;
        });
    });
  });
})();
