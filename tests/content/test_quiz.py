"""Quizzes written in lessons: parsed strictly, graded in the application."""

import json

import pytest

from lms import content as content_module
from lms import grading
from lms.content.quiz import QuizError, parse
from tests.content.builder import make_content, write

QUIZ = """Titre du quiz : SAP
? Quel module gère la comptabilité ?
- [ ] SD
- [x] FI
- [ ] MM

? Quels objets sont standard dans Salesforce ?
- [x] Account
- [x] Contact
- [ ] Facture__c

? Table des incidents dans ServiceNow ?
= incident
= /^incidents?$/i
"""


def test_question_kinds_follow_the_options():
    quiz = parse("sap", QUIZ)
    assert quiz.title == "SAP"
    assert [q.kind for q in quiz.questions] == ["single", "multiple", "short"]
    assert quiz.questions[1].correct == (0, 1)


@pytest.mark.parametrize(
    "answers, score",
    [
        ({"q1": "1", "q2": ["0", "1"], "q3": "incident"}, 3),
        ({"q1": "1", "q2": ["0"], "q3": "  INCIDENTS "}, 2),
        ({"q1": "1", "q2": ["0", "1", "2"], "q3": "incident table"}, 1),
        ({}, 0),
        ({"q1": ["not a number"], "q2": "x", "q3": 42}, 0),
    ],
)
def test_answers_are_graded_exactly(answers, score):
    from lms.content.quiz import grade

    result = grade(parse("sap", QUIZ), json.dumps(answers))
    assert result["score"] == score and result["max_score"] == 3
    assert sum(t["points"] for t in result["tests"]) == score


def test_a_multiple_answer_question_says_every_right_answer_is_needed():
    from lms.content.quiz import grade

    result = grade(parse("sap", QUIZ), json.dumps({"q2": ["0"]}))
    assert "toutes les bonnes réponses" in result["tests"][1]["message"]


def test_malformed_answers_json_scores_zero_rather_than_failing():
    from lms.content.quiz import grade

    assert grade(parse("sap", QUIZ), "not json")["score"] == 0


@pytest.mark.parametrize(
    "body, message",
    [
        ("? sans titre\n- [x] a\n- [ ] b\n", "first line must be"),
        ("Titre du quiz : T\n? Q\n- [ ] a\n- [ ] b\n", "no correct answer"),
        ("Titre du quiz : T\n? Q\n- [x] a\n", "at least 2 options"),
        ("Titre du quiz : T\n? Q\n= /(unclosed/\n", "invalid regex"),
        ("Titre du quiz : T\n? Q\n- [x] a\n- [ ] b\n= a\n", "mixes options and short answers"),
        ("Titre du quiz : T\nune ligne perdue\n", "expected a question"),
    ],
)
def test_malformed_quizzes_are_refused_with_the_reason(body, message):
    with pytest.raises(QuizError, match=message):
        parse("q", body)


def test_a_broken_quiz_is_reported_by_file_and_the_lesson_still_loads(tmp_path):
    from lms.content.loader import load

    make_content(tmp_path)
    write(
        tmp_path,
        "curricula/demo/01-base/02-suite.md",
        '+++\ntitle = "S"\n+++\n::: quiz casse\nTitre du quiz : T\n? Q\n- [ ] a\n- [ ] b\n'
        ":::\n::: exercise somme\n:::\n",
    )
    loaded = load(tmp_path)
    assert [str(p) for p in loaded.problems] == [
        "curricula/demo/01-base/02-suite.md: quiz 'casse': question 1 (line 2): "
        "no correct answer marked with [x]"
    ]
    assert loaded.lesson("demo/01-base/02-suite") is not None


def test_a_quiz_is_graded_through_the_api_without_docker(
    app, tmp_path, client, learner, create_cohort, api_token, grade_all
):
    app.config["LMS_CONTENT_DIR"] = str(make_content(tmp_path / "content"))
    app.config["LMS_DOCKER_URL"] = "unix:///nonexistent/docker.sock"
    loaded = content_module.reload(app)
    create_cohort(learners=[learner], track="demo")
    headers = api_token(learner)
    listed = {e["id"]: e for e in client.get("/api/v1/exercises", headers=headers).json}
    assert listed["demo/verifier-bases"]["grader"] == "quiz"
    assert listed["demo/verifier-bases"]["files"] == ["answers.json"]
    quiz = loaded.exercises["demo/verifier-bases"]
    response = client.post(
        "/api/v1/exercises/demo/verifier-bases/submissions",
        headers=headers,
        json={"files": quiz.solution()},
    )
    assert response.status_code == 202
    assert grade_all() == 1
    body = client.get(f"/api/v1/submissions/{response.json['id']}", headers=headers).json
    assert body["status"] == "graded" and body["score"] == body["max_score"] == 3


def test_the_quiz_grader_checks_solution_and_starter(tmp_path):
    from lms.content.check import check_exercise
    from lms.content.loader import load

    quiz = load(make_content(tmp_path)).exercises["demo/verifier-bases"]
    verdict = check_exercise(quiz)
    assert verdict.ok, verdict.message
    assert grading.get("quiz").grade(quiz, quiz.starter()).score == 0
