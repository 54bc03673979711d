"""The attendance page's session form, on a French page: a session without its date comes
back with the message beside the date, in French, and the title typed kept."""

from __future__ import annotations

from sqlalchemy import select

from lms.extensions import db
from lms.models.certification import CohortSession


def test_a_session_without_its_date_is_refused_beside_the_field_in_french(
    client, auth, trainer, create_cohort
):
    cohort = create_cohort(trainers=[trainer])
    client.set_cookie("locale", "fr")
    auth.login(trainer.email)
    path = f"/trainer/cohorts/{cohort.id}/attendance"
    data = {"csrf_token": auth.csrf_token(path), "action": "add_session", "title": "Jour 1"}
    response = client.post(path, data={**data, "held_on": ""})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<span class="field-error" id="session-held_on-error" role="alert">' in html
    assert "Indiquez la date de la séance." in html
    assert 'aria-describedby="session-held_on-error"' in html
    assert 'name="title" maxlength="200" value="Jour 1"' in html, "the title typed is kept"
    assert db.session.scalars(select(CohortSession)).all() == []

    written_wrong = client.post(path, data={**data, "held_on": "01/09/2026"})
    assert written_wrong.status_code == 400
    assert "Les dates s&#39;écrivent AAAA-MM-JJ." in written_wrong.get_data(as_text=True)

    assert client.post(path, data={**data, "held_on": "2026-09-01"}).status_code == 302
    (session,) = db.session.scalars(select(CohortSession)).all()
    assert (session.held_on.isoformat(), session.title) == ("2026-09-01", "Jour 1")
