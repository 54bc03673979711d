"""The ``lms`` command: set-up, serving, content, images, and administration.

Every command that writes is one unit of work (:func:`transactional_command`): committed when it
ends well, rolled back when it fails, a domain error printed. Where a command must keep part of
its work whatever follows (each certificate issued by ``certificates evaluate --issue``, each
batch of surveys), that part is a unit of work of its own, and says why.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, routes_command, shell_command, with_appcontext
from flask_migrate import upgrade
from sqlalchemy import select
from werkzeug.serving import run_simple

from lms import audit as audit_chain
from lms import content as content_module
from lms import create_app
from lms.admin import operations as ops
from lms.admin.demo import DEMO_PASSWORD, create_demo
from lms.admin.demo_certificates import create_demo_certificates
from lms.audit.signing import ed25519_verifier, load_public_key
from lms.certification.auditing import checkpoints, regrading
from lms.certification.issuing import standing
from lms.config import grades_in_web_process
from lms.content.check import check
from lms.content.loader import load
from lms.content.releases import ReleaseError, ReleaseRefused, sync
from lms.errors import DomainError
from lms.extensions import db
from lms.grading import GRADERS_ROOT
from lms.headers import QuietRequestHandler
from lms.models import Cohort
from lms.outcomes.recording import surveys
from lms.queue import worker as queue_worker
from lms.submissions.worker import start_pool
from lms.transactions import unit_of_work
from sandbox import SandboxError
from sandbox.images import build_all
from sandbox.runner import client


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False)
def main() -> None:
    """Learning-management and assessment engine."""


main.add_command(shell_command)
main.add_command(routes_command)


def init_app(app: Flask) -> None:
    """Also expose the commands under ``flask`` (e.g. ``flask --app wsgi init``)."""
    commands = (
        init,
        run,
        worker,
        content,
        images,
        users,
        orgs,
        cohorts,
        audit,
        certificates,
        outcomes,
    )
    for command in commands:
        if command.name not in app.cli.commands:
            app.cli.add_command(command)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(1)


def transactional_command(command: Callable) -> Callable:
    """Run the command in the app's context as one unit of work: committed when it returns,
    rolled back when it raises or exits with an error; a domain error (an unknown cohort, a
    refused certificate...) is printed and exits 1."""

    @wraps(command)
    @with_appcontext
    def wrapped(*args, **kwargs):
        try:
            with unit_of_work():
                return command(*args, **kwargs)
        except DomainError as exc:
            _fail(str(exc))

    return wrapped


@main.command()
@click.option("--demo", is_flag=True, help="Also create the demo accounts and cohort.")
@transactional_command
def init(demo: bool) -> None:
    """Create or migrate the database, load the content and, with --demo, demo data."""
    upgrade(directory=str(Path(__file__).parent / "migrations"))
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")
    loaded = content_module.reload(current_app)
    click.echo(
        f"content {loaded.commit}: {len(loaded.tracks)} tracks, "
        f"{len(loaded.exercises)} exercises, {len(loaded.problems)} problems"
    )
    for problem in loaded.problems:
        click.secho(f"  {problem}", fg="yellow")
    if demo:
        # Committed before the demo certificates: they grade submissions as a worker does,
        # whose claims and results are units of work of their own.
        with unit_of_work():
            cohort = create_demo(set(loaded.tracks))
        if cohort.track == "python-backend":
            create_demo_certificates(cohort, loaded, click.echo)
        click.echo(
            f"demo cohort {cohort.name!r}; accounts learner|trainer|company|auditor|admin"
            f"@demo.test, password {DEMO_PASSWORD}"
        )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def run(host: str, port: int) -> None:
    """Serve the LMS with its in-process grading workers (for one machine; use gunicorn and
    `lms worker` beyond). Every request and every grading is a unit of work of its own."""
    app = current_app._get_current_object()
    if grades_in_web_process(app.config):
        start_pool(app)
        grading = f"{app.config['LMS_WORKERS']} grading workers"
    else:
        grading = f"grading left to other processes (LMS_QUEUE={app.config['LMS_QUEUE']})"
    click.echo(f"LMS on http://{host}:{port}/ ({grading})")
    # app.run() refuses to run inside a CLI command; werkzeug's server is what it would use.
    run_simple(
        host,
        port,
        app,
        threaded=True,
        use_reloader=False,
        use_debugger=False,
        request_handler=QuietRequestHandler,
    )


@main.command()
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    help="Gradings at once [default: LMS_WORKER_CONCURRENCY, the host's CPU count].",
)
@click.option(
    "--queues",
    default="grading,checks",
    show_default=True,
    help="Comma-separated queues: 'grading' (exercises), 'checks' (project deliverables).",
)
@click.option("--loglevel", default="INFO", show_default=True)
@with_appcontext
def worker(concurrency: int | None, queues: str, loglevel: str) -> None:
    """Grade from the message broker on this host's Docker engine (LMS_QUEUE=celery), and
    relay and reconcile the queue. Start one per Docker host. Every task and every chore is a
    unit of work of its own."""
    app = current_app._get_current_object()
    if app.config["LMS_QUEUE"] != "celery":
        _fail("`lms worker` serves the message queue: set LMS_QUEUE=celery and LMS_BROKER_URL")
    names = tuple(name.strip() for name in queues.split(",") if name.strip())
    unknown = sorted(set(names) - set(queue_worker.DEFAULT_QUEUES))
    if not names or unknown:
        _fail(f"unknown queues {unknown}; choose among {list(queue_worker.DEFAULT_QUEUES)}")
    concurrency = concurrency or app.config["LMS_WORKER_CONCURRENCY"]
    url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"lms worker: {concurrency} at once from {', '.join(names)}; database {url}")
    queue_worker.run(app, concurrency, names, loglevel)


@main.group()
def content() -> None:
    """Check the content repository."""


@content.command("check")
@with_appcontext
def content_check() -> None:
    """Validate every file, and grade every reference solution and starter for real."""
    loaded = load(Path(current_app.config["LMS_CONTENT_DIR"]))
    if not check(loaded, click.echo, current_app.config.get("LMS_DOCKER_URL")):
        _fail("content check failed")
    click.secho("content check passed", fg="green")


@content.command("sync")
@click.option("--ref", default="HEAD", show_default=True, help="Branch, tag or commit.")
@click.option(
    "--no-grade-check",
    is_flag=True,
    help="Publish without grading every solution and starter (not recommended).",
)
@with_appcontext
def content_sync(ref: str, no_grade_check: bool) -> None:
    """Pull LMS_CONTENT_DIR and publish REF as the live release if it passes the check (the
    refusal, with its reasons, is recorded too)."""
    try:
        release = sync(current_app._get_current_object(), ref, not no_grade_check, click.echo)
    except ReleaseRefused as exc:
        for problem in exc.problems:
            click.secho(f"  {problem}", fg="red", err=True)
        _fail(f"release {exc.release.commit} refused; the previous release stays live")
    except ReleaseError as exc:
        _fail(str(exc))
    click.secho(f"release {release.commit} is live", fg="green")


@main.group()
def images() -> None:
    """Grader images."""


@images.command("build")
@with_appcontext
def images_build() -> None:
    """Build the debootstrap base and every grader image whose recipe changed."""
    try:
        build_all(client(current_app.config.get("LMS_DOCKER_URL")), GRADERS_ROOT, click.echo)
    except SandboxError as exc:
        _fail(str(exc))


@main.group()
def users() -> None:
    """User accounts."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["learner", "trainer", "company", "auditor", "admin"]),
)
@click.option("--organization", help="Name of the operator or company.")
@click.option("--locale", type=click.Choice(["fr", "en"]))
@click.password_option()
@transactional_command
def users_create(email, name, role, organization, locale, password) -> None:
    """Create a user of any role."""
    user = ops.create_user(
        email,
        name,
        role,
        password,
        ops.find_organization(organization) if organization else None,
        locale,
    )
    click.echo(f"created {user.role} {user.email}")


@main.group()
def orgs() -> None:
    """Operators, companies, the programme."""


@orgs.command("create")
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice(["operator", "company", "programme"]))
@transactional_command
def orgs_create(name, kind) -> None:
    """Create an organisation."""
    org = ops.create_organization(name, kind)
    click.echo(f"created {org.kind} {org.name}")


@main.group()
def cohorts() -> None:
    """Cohorts and enrolments."""


@cohorts.command("create")
@click.option("--name", required=True)
@click.option("--operator", required=True, help="Name of the training operator.")
@click.option("--track", required=True)
@click.option("--region", required=True)
@click.option("--starts", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--ends", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--trainer", "trainers", multiple=True, help="Trainer email (repeatable).")
@transactional_command
def cohorts_create(name, operator, track, region, starts, ends, trainers) -> None:
    """Create a cohort of an operator on a track, in a region."""
    cohort = ops.create_cohort(
        name,
        ops.find_organization(operator),
        track,
        region,
        date.fromordinal(starts.toordinal()),
        date.fromordinal(ends.toordinal()),
        set(content_module.current().tracks),
    )
    for email in trainers:
        ops.assign_trainer(cohort, ops.find_user(email))
    click.echo(f"created cohort {cohort.name}")


@cohorts.command("enrol")
@click.option("--cohort", "cohort_name", required=True)
@click.option("--learner", "emails", required=True, multiple=True, help="Learner email.")
@transactional_command
def cohorts_enrol(cohort_name, emails) -> None:
    """Enrol learners in a cohort (idempotent)."""
    cohort = ops.find_cohort(cohort_name)
    enrolled = [ops.enrol(cohort, ops.find_user(email)) for email in emails]
    click.echo(f"{len(enrolled)} learner(s) enrolled in {cohort_name}")


@main.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
@click.option(
    "--public-key",
    "public_keys",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="PEM Ed25519 public key that signs checkpoints (repeatable); by default, every key "
    "of the issuer's key store.",
)
@with_appcontext
def audit_verify(public_keys: tuple[Path, ...]) -> None:
    """Recompute the chain, compare its facts with the database, check its checkpoints;
    exit 1 at the first broken event. Refuses to run (exit 2) while a kind of event has
    nothing registered to check it."""
    check = checkpoints.verifier()  # every key the issuer ever published
    if public_keys:
        try:
            check = ed25519_verifier([load_public_key(path) for path in public_keys])
        except ValueError as exc:
            _fail(str(exc))
    try:
        report = audit_chain.verify(db.session, check)
    except audit_chain.UncheckedKinds as exc:
        click.secho(str(exc), fg="red", err=True)
        sys.exit(2)
    if not report.ok:
        where = f" at event #{report.first_broken_seq}" if report.first_broken_seq else ""
        _fail(f"BROKEN{where}: {report.reason}")
    click.secho(
        f"audit chain OK: {report.checked} events, {report.checkpoints} checkpoints",
        fg="green",
    )


@audit.command("checkpoint")
@transactional_command
def audit_checkpoint() -> None:
    """Sign the chain's head now with the issuer's key (workers also do it every
    LMS_CHECKPOINT_SECONDS); published at /issuer/audit-checkpoints."""
    point = checkpoints.make()
    click.echo(f"checkpoint of event #{point.seq}: {point.head_hash} signed by {point.key_id}")


@audit.command("regrade")
@click.option("--new", is_flag=True, help="Start a new run even if one is unfinished.")
@click.option(
    "--every",
    default=10,
    show_default=True,
    type=click.IntRange(min=1),
    help="Print the progress every N submissions.",
)
@with_appcontext
def audit_regrade(new: bool, every: int) -> None:
    """Grade again, under the current graders, every submission a certificate cites, and list
    the certificates whose evidence no longer meets their policy (exit 1 when any does, or
    when something could not be checked). Resumes the unfinished run: Ctrl-C stops it, and
    running this again grades only what it lacks. The recorded scores are never changed.
    Each result is a unit of work of its own (lms.certification.auditing.regrading)."""
    worker = regrading.worker_name()
    docker_url = current_app.config.get("LMS_DOCKER_URL")
    try:
        run = regrading.begin(None, worker, new)
        run = regrading.work(run.id, worker, docker_url, _regrade_progress(every))
    except regrading.RegradeError as exc:
        _fail(f"{exc}; the run stays unfinished: `lms audit regrade` resumes it")
    except KeyboardInterrupt:
        _fail("interrupted; the run stays unfinished: `lms audit regrade` resumes it")
    click.echo(f"run #{run.id} finished: {run.done} re-graded, {run.failed} failed")
    for flag, certificate in regrading.flagged_certificates(run):
        click.secho(
            f"FLAGGED {certificate.public_id} {certificate.learner.email} {certificate.track} "
            f"[{certificate.status}]",
            fg="red",
        )
        for change in flag["changes"]:
            click.echo(
                f"  submission #{change['submission']} {change['exercise']}: "
                f"{change['old_score']}/{change['old_max']} -> "
                f"{change['new_score']}/{change['new_max']}"
            )
        for threshold in flag["failing"]:
            click.echo(
                f"  {threshold['name']} not met: requires {threshold['required']:g}, "
                f"{threshold['recorded']} at issuance, {threshold['now']:g} now"
            )
    click.echo(
        f"{len(run.flagged)} certificate(s) no longer meet their policy, "
        f"{len(run.unchecked)} could not be checked; see /audit/regrade/{run.id}"
    )
    if run.flagged or run.failed or run.unchecked:
        sys.exit(1)


def _regrade_progress(every: int):
    """A line per changed score or failed grading, and where the run stands every ``every``
    submissions."""
    graded = 0

    def report(run, result) -> None:
        nonlocal graded
        if result is None:
            click.echo(
                f"re-grade run #{run.id}: {run.total - run.done} of {run.total} submission(s) "
                f"to grade ({run.done} already re-graded)"
            )
            return
        graded += 1
        if result.error:
            click.secho(f"  submission #{result.submission_id}: {result.error}", fg="yellow")
        elif result.changed:
            click.echo(
                f"  submission #{result.submission_id} {result.exercise_id}: recorded "
                f"{result.recorded_score}/{result.recorded_max}, "
                f"now {result.new_score}/{result.new_max}"
            )
        if graded % every == 0 or run.done + run.failed == run.total:
            click.echo(f"{run.done}/{run.total} re-graded, {run.failed} failed")

    return report


@main.group()
def certificates() -> None:
    """Certification: evaluate learners against their track's policy, issue certificates."""


@certificates.command("evaluate")
@click.option("--cohort", "cohort_name", help="Only this cohort (by name); all cohorts by default.")
@click.option(
    "--issue",
    is_flag=True,
    help="Issue a certificate to every learner who meets the policy (signed at once, or "
    "pending a trainer's approval when the track asks for it).",
)
@transactional_command
def certificates_evaluate(cohort_name: str | None, issue: bool) -> None:
    """Print each learner's standing, one line each, then a summary. Each certificate issued
    is a unit of work of its own: one learner's refusal undoes no other's certificate."""
    if cohort_name:
        cohorts = [ops.find_cohort(cohort_name)]
    else:
        cohorts = list(db.session.scalars(select(Cohort).order_by(Cohort.name)))
    loaded = content_module.current()
    counts = {"evaluated": 0, "met": 0, "issued": 0, "pending": 0, "errors": 0}
    for cohort in cohorts:
        found = standing.cohort_standing(cohort, loaded)
        if found.error:
            click.secho(f"{cohort.name}: {found.error}", fg="red", err=True)
            counts["errors"] += 1
            continue
        for learner_standing in found.standings:
            counts["evaluated"] += 1
            line = _standing_line(cohort.name, learner_standing)
            if learner_standing.evaluation.met:
                counts["met"] += 1
            if issue and learner_standing.can_issue:
                try:
                    with unit_of_work():
                        certificate = standing.issue(learner_standing, None)
                except DomainError as exc:
                    line += f" -> not issued: {exc}"
                    counts["errors"] += 1
                else:
                    counts[str(certificate.status)] += 1
                    line += f" -> {certificate.status} {certificate.public_id}"
            click.echo(line)
    click.echo(
        f"{counts['evaluated']} learner(s) evaluated, {counts['met']} meet the policy, "
        f"{counts['issued']} certificate(s) issued, {counts['pending']} pending approval, "
        f"{counts['errors']} error(s)"
    )
    if counts["errors"]:
        sys.exit(1)


def _standing_line(cohort_name: str, learner_standing) -> str:
    evaluation = learner_standing.evaluation
    parts = [
        f"{t.name} {'met' if t.met else 'MISSING'} ({t.achieved:.2f}/{t.required:g})"
        for t in evaluation.thresholds
    ]
    verdict = "MET" if evaluation.met else "not met"
    line = f"{cohort_name} · {learner_standing.learner.email}: {verdict}: {', '.join(parts)}"
    if learner_standing.certificate is not None:
        line += f" [certificate {learner_standing.certificate.status}]"
    return line


@main.group()
def outcomes() -> None:
    """Placement outcomes: the 90- and 180-day surveys."""


@outcomes.command("survey")
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Ask as if it were this day (YYYY-MM-DD); today by default.",
)
@transactional_command
def outcomes_survey(today) -> None:
    """Ask every learner whose 90- or 180-day window has come (once per window), in the app
    and by e-mail; batch after batch, each a unit of work of its own: a backlog is spread over
    short transactions, and what was asked stays asked if a later batch fails."""
    day = date.fromordinal(today.toordinal()) if today else date.today()
    total = 0
    while True:
        with unit_of_work():
            sent = surveys.send_due(day)
        if not sent:
            break
        total += sent
    click.echo(f"{total} learner(s) asked for their situation")
