"""The lms command."""

import pytest

from lms.certification.issuing import operations as certification
from lms.extensions import db
from lms.models import Certificate, Cohort, Enrollment, ProjectBrief, ProjectTeam, User
from lms.projects import operations as service


def test_init_demo_creates_one_account_per_role_and_a_cohort(runner):
    result = runner.invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    emails = {u.email for u in db.session.query(User)}
    for role in ["learner", "trainer", "company", "auditor", "admin"]:
        assert f"{role}@demo.test" in emails
    learner = db.session.query(User).filter_by(email="learner@demo.test").one()
    assert learner.check_password("demo1234")
    cohort = db.session.query(Cohort).filter_by(name="Cohorte démo Python back-end 2026").one()
    assert cohort.track == "python-backend"
    assert db.session.query(Enrollment).filter_by(learner_id=learner.id).count() == 1
    again = runner.invoke(args=["init", "--demo"])
    assert again.exit_code == 0, again.output
    assert db.session.query(User).count() == len(emails)


def test_init_demo_shows_two_companies_projects_with_a_final_review_each(runner):
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0, "idempotent"
    second = db.session.query(User).filter_by(email="company2@demo.test").one()
    assert second.check_password("demo1234") and second.role == "company"
    briefs = db.session.query(ProjectBrief).all()
    companies = {b.company_id for b in briefs}
    assert len(briefs) == 2 and len(companies) == 2
    finals = db.session.scalars(service.final_reviews()).all()
    assert {r.team.offer.version.brief.company_id for r in finals} == companies
    assert all(service.verify_review(r) for r in finals)
    assert db.session.query(ProjectTeam).count() == 3


def test_admin_creates_operator_users_cohort_and_enrolments(runner):
    def ok(*args, input=None):
        result = runner.invoke(args=list(args), input=input)
        assert result.exit_code == 0, result.output
        return result.output

    ok("orgs", "create", "--name", "Simplon Rabat", "--kind", "operator")
    ok(
        "users",
        "create",
        "--email",
        "T@Ma.test",
        "--name",
        "Tarik",
        "--role",
        "trainer",
        "--organization",
        "Simplon Rabat",
        "--password",
        "longenough",
    )
    ok(
        "users",
        "create",
        "--email",
        "l@ma.test",
        "--name",
        "Leila",
        "--role",
        "learner",
        "--password",
        "longenough",
    )
    ok(
        "cohorts",
        "create",
        "--name",
        "C1",
        "--operator",
        "Simplon Rabat",
        "--track",
        "python-backend",
        "--region",
        "Rabat-Salé-Kénitra",
        "--starts",
        "2026-09-01",
        "--ends",
        "2027-01-31",
        "--trainer",
        "t@ma.test",
    )
    assert "1 learner(s) enrolled" in ok(
        "cohorts", "enrol", "--cohort", "C1", "--learner", "l@ma.test"
    )
    cohort = db.session.query(Cohort).one()
    assert [t.email for t in cohort.trainers] == ["t@ma.test"]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            [
                "users",
                "create",
                "--email",
                "x@y.z",
                "--name",
                "X",
                "--role",
                "learner",
                "--password",
                "short",
            ],
            "at least 8 characters",
        ),
        (["orgs", "create", "--name", "A", "--kind", "operator"], None),
        (["cohorts", "enrol", "--cohort", "nope", "--learner", "a@b.c"], "no cohort named 'nope'"),
    ],
)
def test_admin_errors_are_clear_and_exit_non_zero(runner, args, message):
    result = runner.invoke(args=args)
    if message is None:
        assert result.exit_code == 0
        result = runner.invoke(args=args)
        message = "exists already"
    assert result.exit_code == 1
    assert message in result.output


@pytest.mark.docker
# The check grades every exercise twice and reads no database: once, on the embedded default,
# is enough (on both databases it was a tenth of the suite's time).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_content_check_passes_on_the_sample_track(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.count("ok    python-backend/") >= 8
    # Each exercise graded on both paths: a first submission's, and the next ones'.
    assert result.output.count("warm: solution") >= 40
    assert "content check passed" in result.output


@pytest.mark.docker
def test_content_check_fails_when_a_solution_is_wrong_or_a_starter_already_passes(
    app, runner, tmp_path
):
    from tests.content.builder import make_content, write

    root = make_content(tmp_path / "content")
    app.config["LMS_CONTENT_DIR"] = str(root)
    write(root, "exercises/demo/somme/solution/somme.py", "def somme(liste):\n    return 0\n")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "FAIL  demo/somme: cold: the solution scores 1/3" in result.output
    write(root, "exercises/demo/somme/starter/somme.py", "somme = sum\n")
    write(root, "exercises/demo/somme/solution/somme.py", "somme = sum\n")
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "the starter already scores full marks" in result.output


@pytest.mark.docker
def test_init_demo_issues_one_certificate_and_revokes_another(runner, app, tmp_path):
    app.config["LMS_KEYS_DIR"] = str(tmp_path / "keys")
    result = runner.invoke(args=["init", "--demo"])
    assert result.exit_code == 0, result.output
    certificates = {c.learner.email: c for c in db.session.query(Certificate)}
    assert certificates["learner2@demo.test"].status == "issued"
    assert certificates["learner3@demo.test"].status == "revoked"
    assert certificates["learner3@demo.test"].revocation_reason
    issued = certificates["learner2@demo.test"]
    assert certification.verify_credential(issued.credential).ok
    digests = [
        e["image_digest"]
        for t in issued.manifest["thresholds"]
        for e in t["evidence"]
        if e["type"] == "submission"
    ]
    # Issued automatically by the grading that met the policy (6 of 8 at full marks: 0.75).
    assert len(digests) >= 6 and all(d.startswith("sha256:") for d in digests)
    assert runner.invoke(args=["init", "--demo"]).exit_code == 0
    assert db.session.query(Certificate).count() == 2, "idempotent"
    verified = runner.invoke(args=["audit", "verify"])
    assert verified.exit_code == 0 and "audit chain OK" in verified.output, verified.output
