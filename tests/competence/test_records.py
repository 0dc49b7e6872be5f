"""Records and the AI-literacy register: self-registration with a confirmation, the export an
auditor opens in a spreadsheet, and who may see names."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forankring.competence import actions, dates
from forankring.competence.models import CompetenceSettings, Record
from forankring.competence.queries import REGISTER_HEADER
from forankring.core.models import AuditEvent
from tests.factories import make_activity, make_person, make_tool


def test_it_registers_a_completion_only_when_the_person_confirms_it(client_for, personas):
    activity = make_activity(personas.municipality, refresh_months=6)
    url = reverse("competence:activity_complete", kwargs={"pk": activity.pk})
    day = timezone.localdate() - datetime.timedelta(days=3)
    refused = client_for("employee").post(url, {"completed_on": day.isoformat(), "evidence": "Kursusbevis"})
    assert refused.status_code == 200
    assert "Bekræft, at du har gennemført aktiviteten." in refused.content.decode()
    assert 'value="Kursusbevis"' in refused.content.decode()
    assert not Record.objects.exists()
    client_for("employee").post(url, {"completed_on": day.isoformat(), "evidence": "Kursusbevis", "confirmed": "on"})
    record = Record.objects.get()
    assert (record.person, record.completed_on, record.source) == (personas.employee, day, Record.Source.SELF)
    assert record.next_refresh == dates.add_months(day, 6)
    assert record.version == activity.version
    assert AuditEvent.objects.filter(action="competence.complete").count() == 1


def test_it_refuses_a_completion_in_the_future(personas):
    with pytest.raises(ValidationError):
        actions.complete(
            actor=personas.employee,
            activity=make_activity(personas.municipality),
            completed_on=timezone.localdate() + datetime.timedelta(days=1),
            evidence="",
            confirmed=True,
        )
    assert not Record.objects.exists()


def test_it_refuses_a_cpr_number_in_the_evidence_beside_the_field(client_for, personas):
    activity = make_activity(personas.municipality)
    url = reverse("competence:activity_complete", kwargs={"pk": activity.pk})
    data = {"completed_on": timezone.localdate().isoformat(), "evidence": "Bevis 150372-1240", "confirmed": "on"}
    response = client_for("employee").post(url, data)
    assert response.status_code == 200
    assert "id_evidence-error" in response.content.decode()
    assert not Record.objects.exists()


def test_it_shows_the_person_their_own_records_and_nobody_elses(client_for, personas):
    activity = make_activity(personas.municipality, title="Persondata og AI")
    actions.complete(
        actor=personas.employee, activity=activity, completed_on=timezone.localdate(), evidence="", confirmed=True
    )
    assert "Persondata og AI" in client_for("employee").get(reverse("competence:mine")).content.decode()
    assert "Persondata og AI" not in client_for("lighthouse").get(reverse("competence:mine")).content.decode()


def _records(personas, count: int) -> None:
    tool = make_tool(personas.municipality, name="Kontorassistenten")
    activity = make_activity(personas.municipality, title='=HYPERLINK("http://x")', tools=(tool,))
    for i in range(count):
        person = make_person(personas.municipality, f"Person {i}", unit=personas.team, employee_id=f"P{i}")
        actions.complete(
            actor=person, activity=activity, completed_on=timezone.localdate(), evidence="Bevis", confirmed=True
        )


def test_it_exports_the_register_as_a_spreadsheet_with_every_field(client_for, personas):
    tool = make_tool(personas.municipality, name="Kontorassistenten")
    activity = make_activity(personas.municipality, title='=HYPERLINK("http://x")', tools=(tool,), refresh_months=12)
    day = timezone.localdate()
    actions.complete(
        actor=personas.employee, activity=activity, completed_on=day, evidence="Kursusbevis", confirmed=True
    )
    response = client_for("admin").get(reverse("competence:register_export", kwargs={"fmt": "xlsx"}))
    assert response["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert tuple(rows[0]) == REGISTER_HEADER
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Navn"] == personas.employee.name
    assert line["Medarbejdernummer"] == "E1"
    assert line["Enhed"] == personas.team.name
    assert line["Stilling"] == "Tester"
    assert "Medarbejder" in str(line["Roller"])
    assert line["Værktøjer"] == "Kontorassistenten"
    # Text, never a formula, even when it looks like one.
    assert line["Modul"] == '=HYPERLINK("http://x")'
    assert sheet.cell(row=2, column=7).data_type == "s"
    assert line["Version"] == activity.version
    assert line["Niveau"] == activity.level.name
    assert line["Form"] == "Workshop"
    assert line["Gennemført"] == day.isoformat()
    assert line["Næste genopfriskning"] == dates.add_months(day, 12).isoformat()
    assert line["Registreret"] == "Registreret af personen selv"
    assert line["Dokumentation"] == "Kursusbevis"


def test_it_exports_the_register_as_csv_with_formulas_neutralised(client_for, personas):
    _records(personas, 2)
    response = client_for("admin").get(reverse("competence:register_export", kwargs={"fmt": "csv"}))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(";")[0] == "Navn" and len(lines) == 3
    assert "'=HYPERLINK" in text


def test_it_keeps_the_register_from_everyone_but_administrators(client_for, personas):
    for who in ("team_leader", "med", "executive", "it", "facilitator"):
        assert client_for(who).get(reverse("competence:register")).status_code == 404
        assert client_for(who).get(reverse("competence:register_export", kwargs={"fmt": "csv"})).status_code == 404


def test_it_lists_the_register_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    _records(personas, 1)
    activity = make_activity(personas.municipality, title="Endnu en")

    def grow():
        for i in range(4):
            person = make_person(personas.municipality, f"Ny {i}", unit=personas.other_team)
            actions.complete(
                actor=person, activity=activity, completed_on=timezone.localdate(), evidence="", confirmed=True
            )

    assert_num_queries_stable(client_for("admin"), reverse("competence:register"), grow=grow)


def test_it_lists_my_learning_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    made = iter(range(100))

    def grow():
        for i in [next(made) for _ in range(4)]:
            actions.complete(
                actor=personas.employee,
                activity=make_activity(personas.municipality, title=f"Modul {i}"),
                completed_on=timezone.localdate(),
                evidence="",
                confirmed=True,
            )

    grow()
    assert_num_queries_stable(client_for("employee"), reverse("competence:mine"), grow=grow)


# --- Names for mandatory training: only when the municipality switches it on ------------------


def test_it_shows_leaders_no_names_until_the_municipality_switches_it_on(client_for, personas):
    make_activity(personas.municipality, title="Obligatorisk grundkursus", mandatory=True)
    url = reverse("competence:mandatory")
    assert client_for("team_leader").get(url).status_code == 404
    index = client_for("employee").get(reverse("competence:index")).content.decode()
    assert "ledere ikke kan se navne" in index
    actions.save_settings(actor=personas.admin, leaders_see_mandatory=True)
    page = client_for("team_leader").get(url).content.decode()
    assert personas.employee.name in page  # in the team leader's team, without the training
    assert personas.med.name not in page  # in another team
    assert "ledere kan se navnene" in client_for("employee").get(reverse("competence:index")).content.decode()
    assert client_for("med").get(url).status_code == 404  # MED leads nothing
    assert AuditEvent.objects.filter(action="competence.settings").count() == 1


def test_it_lets_only_administrators_change_who_sees_names(personas):
    with pytest.raises(Http404):
        actions.save_settings(actor=personas.team_leader, leaders_see_mandatory=True)
    assert not CompetenceSettings.objects.exists()


def test_it_lists_who_lacks_mandatory_training_in_a_fixed_number_of_queries(
    client_for, personas, assert_num_queries_stable
):
    actions.save_settings(actor=personas.admin, leaders_see_mandatory=True)
    make_activity(personas.municipality, title="Obligatorisk 0", mandatory=True)
    made = iter(range(1, 100))

    def grow():
        for i in [next(made) for _ in range(3)]:
            make_activity(personas.municipality, title=f"Obligatorisk {i}", mandatory=True)
            make_person(personas.municipality, f"Ny {i}", unit=personas.team)

    assert_num_queries_stable(client_for("team_leader"), reverse("competence:mandatory"), grow=grow)


def test_it_links_to_the_names_page_only_for_those_who_may_open_it(client_for, personas):
    actions.save_settings(actor=personas.admin, leaders_see_mandatory=True)
    link = reverse("competence:mandatory")
    assert link in client_for("team_leader").get(reverse("competence:index")).content.decode()
    assert link not in client_for("employee").get(reverse("competence:index")).content.decode()


def test_it_shows_who_lacks_mandatory_training_a_page_at_a_time(client_for, personas):
    from forankring.competence.queries import MISSING_PER_PAGE

    first = make_activity(personas.municipality, title="Obligatorisk A", mandatory=True)
    second = make_activity(personas.municipality, title="Obligatorisk B", mandatory=True)
    extra = [make_person(personas.municipality, f"Ansat {i:03d}", unit=personas.team) for i in range(MISSING_PER_PAGE)]
    for person in extra:
        actions.complete(actor=person, activity=second, completed_on=timezone.localdate(), evidence="", confirmed=True)
    client = client_for("admin")
    page = client.get(reverse("competence:mandatory")).content.decode()
    # Everyone lacks A, so the first page holds MISSING_PER_PAGE names, never the whole municipality.
    assert page.count("Ansat ") <= MISSING_PER_PAGE and "side=2" in page
    assert f"?aktivitet={second.pk}" in page and f"aktivitet={first.pk}&amp;side=2" in page
    only_b = client.get(reverse("competence:mandatory"), {"aktivitet": second.pk}).content.decode()
    assert "Ansat 000" not in only_b and personas.employee.name in only_b
