"""Pilots: the form with its checklist and the EU AI Act screen, approval by track 1's decision
rights, the status steps with their history and audit rows, and the pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core.models import AuditEvent, Role, RoleAssignment
from forankring.notifications.models import Notification
from forankring.pilots import actions, rules
from forankring.pilots.models import Pilot, PilotPulse, PilotStatusChange
from forankring.pilots.queries import USE_CASE_SEARCH_LIMIT
from forankring.practice.models import UseCase
from forankring.privacy.data_classes import ensure_default_data_classes
from forankring.privacy.models import DataClass
from tests.factories import make_tool, make_unit, make_use_case
from tests.pilots.helpers_core import make_pilot

S = Pilot.Status


def _no_to_everything() -> dict[str, str]:
    return {f"ai_{key}": "nej" for key in rules.QUESTION_KEYS}


def _form(personas: Any, **changes: Any) -> dict[str, Any]:
    use_case = UseCase.objects.filter(municipality=personas.municipality).first() or make_use_case(
        personas.municipality, unit=personas.team
    )
    today = timezone.localdate()
    data = {
        "title": "AI til ugeplaner i 4 uger",
        "use_case": use_case.pk,
        "team_1": personas.team.pk,
        "leader": personas.team_leader.pk,
        "goal": "Ugeplanen tager højst en halv time.",
        "look_at": "Tid og om forældrene læser den.",
        "starts_on": today.isoformat(),
        "ends_on": (today + datetime.timedelta(weeks=4)).isoformat(),
        "small_and_safe": "on",
        "med_considered": "on",
        "human_decides": "Pædagogen godkender hver plan.",
        **_no_to_everything(),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _save(personas: Any, **changes: Any) -> Pilot:
    use_case = make_use_case(personas.municipality, unit=personas.team)
    today = timezone.localdate()
    values: dict[str, Any] = {
        "actor": personas.team_leader,
        "title": "AI til ugeplaner",
        "use_case": use_case,
        "units": [personas.team],
        "leader": personas.team_leader,
        "goal": "Mindre tid.",
        "look_at": "Tid.",
        "starts_on": today,
        "ends_on": today + datetime.timedelta(weeks=4),
        "small_and_safe": True,
        "data_classes": [],
        "tools": [],
        "med_considered": True,
        "human_decides": "Pædagogen.",
        "ai_act_answers": {},
    }
    values.update(changes)
    return actions.save_pilot(**values)


# --- The EU AI Act screen ----------------------------------------------------------------------


def test_it_refuses_a_pilot_for_emotion_recognition_of_employees_with_a_clear_reason(personas, client_for):
    response = client_for("team_leader").post(reverse("pilots:new"), _form(personas, ai_emotion="ja"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Afprøvningen er afvist efter EU&#x27;s AI-forordning" in page or "Afprøvningen er afvist efter EU" in page
    assert "artikel 5, stk. 1, litra f" in page
    assert "udleder følelser hos personer på en arbejdsplads" in page
    assert not Pilot.objects.exists()


def test_it_refuses_a_forbidden_use_in_the_action_too(personas):
    with pytest.raises(ValidationError) as refused:
        _save(personas, ai_act_answers={"emotion": True, "social_scoring": True})
    assert set(refused.value.error_dict) == {"emotion", "social_scoring"}
    assert "artikel 5" in str(refused.value)
    assert not Pilot.objects.exists()


def test_it_flags_a_high_risk_area_and_approves_only_with_a_legal_review(personas):
    pilot = _save(personas, ai_act_answers={"employment": True})
    assert pilot.ai_act_flag == Pilot.AiActFlag.HIGH_RISK
    assert [q.key for q in rules.high_risk_areas(pilot)] == ["employment"]
    with pytest.raises(ValidationError) as refused:
        actions.approve_pilot(actor=personas.centre_chief, pilot=pilot)
    assert "legal_review_note" in refused.value.error_dict
    assert Pilot.objects.get(pk=pilot.pk).status == S.IDEA
    approved = actions.approve_pilot(
        actor=personas.centre_chief, pilot=pilot, legal_review_note="Vurderet af Jura: må afprøves uden afgørelser."
    )
    assert approved.status == S.APPROVED
    assert approved.legal_review_note.startswith("Vurderet af Jura")


def test_it_shows_the_legal_review_field_and_its_error_on_the_detail_page(personas, client_for):
    pilot = _save(personas, ai_act_answers={"public_services": True})
    client = client_for("centre_chief")
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "Højrisikoområde efter EU" in page and "bilag III, punkt 5" in page
    assert 'name="legal_review_note"' in page
    response = client.post(reverse("pilots:approve", args=[pilot.pk]), {"note": ""})
    assert response.status_code == 400
    assert "Skriv den juridiske vurdering" in response.content.decode()


# --- The form ----------------------------------------------------------------------------------


def test_it_proposes_a_pilot_through_the_form_with_an_audit_row(personas, client_for):
    response = client_for("team_leader").post(reverse("pilots:new"), _form(personas))
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("pilots:detail", args=[pilot.pk])
    assert pilot.status == S.IDEA and list(pilot.units.all()) == [personas.team]
    assert pilot.history.count() == 1
    assert AuditEvent.objects.filter(action="pilot.add", object_id=str(pilot.pk)).exists()


def test_it_tells_whoever_may_approve_when_a_pilot_is_proposed(personas):
    pilot = _save(personas)
    told = set(Notification.objects.filter(kind="pilot.proposed").values_list("recipient_id", flat=True))
    # Leaders of Team Sol and above decide (the proposer is not told of their own proposal).
    assert told == {personas.centre_chief.pk}
    assert pilot.title in Notification.objects.filter(kind="pilot.proposed").first().subject  # type: ignore[union-attr]


def test_it_takes_several_teams_with_add_another_without_javascript(personas, client_for):
    client = client_for("centre_chief")
    data = _form(personas, leader=personas.centre_chief.pk, add_team="1")
    # "Tilføj et team mere" shows a second picker and saves nothing.
    response = client.post(reverse("pilots:new"), data)
    page = response.content.decode()
    assert response.status_code == 200 and not Pilot.objects.exists()
    assert 'name="team_2_soeg"' in page
    assert "AI til ugeplaner i 4 uger" in page  # what was typed is kept
    # "Søg" in the second picker finds the other team.
    data.pop("add_team")
    response = client.post(reverse("pilots:new"), {**data, "team_2_soeg": "Måne", "team_2_find": "1"})
    assert f'value="{personas.other_team.pk}"' in response.content.decode()
    assert not Pilot.objects.exists()
    response = client.post(reverse("pilots:new"), {**data, "team_2": personas.other_team.pk})
    assert response.status_code == 302
    assert set(Pilot.objects.get().units.all()) == {personas.team, personas.other_team}


def test_it_needs_a_reason_beyond_twelve_weeks_beside_the_field(personas, client_for):
    today = timezone.localdate()
    long_end = (today + datetime.timedelta(weeks=13)).isoformat()
    response = client_for("team_leader").post(reverse("pilots:new"), _form(personas, ends_on=long_end))
    page = response.content.decode()
    assert response.status_code == 200 and not Pilot.objects.exists()
    assert 'id="id_long_reason-error"' in page
    response = client_for("team_leader").post(
        reverse("pilots:new"), _form(personas, ends_on=long_end, long_reason="Vi skal nå en hel sæson.")
    )
    assert response.status_code == 302
    assert Pilot.objects.get().long_reason == "Vi skal nå en hel sæson."


def test_it_suggests_four_weeks_by_default(personas, client_for):
    page = client_for("team_leader").get(reverse("pilots:new")).content.decode()
    today = timezone.localdate()
    assert f'value="{(today + datetime.timedelta(weeks=4)).isoformat()}"' in page


def test_it_creates_the_use_case_in_place_through_track_2(personas, client_for):
    ensure_default_data_classes(personas.municipality)
    area = personas.team_leader.memberships.get().professional_area
    data = _form(
        personas,
        use_case="",
        uc_title="Skrive referat af forældremøder",
        uc_today="En pædagog skriver i hånden.",
        uc_ai_help="Et udkast ud fra stikord.",
        uc_area=area.pk,
    )
    response = client_for("team_leader").post(reverse("pilots:new"), data)
    assert response.status_code == 302
    pilot = Pilot.objects.get()
    assert pilot.use_case.title == "Skrive referat af forældremøder"
    assert pilot.use_case.unit == personas.team
    assert AuditEvent.objects.filter(action="practice.use_case.add").exists()


def test_it_asks_for_a_use_case_or_a_new_one(personas, client_for):
    response = client_for("team_leader").post(reverse("pilots:new"), _form(personas, use_case=""))
    assert 'id="id_use_case-error"' in response.content.decode()
    assert not Pilot.objects.exists()


def test_it_refuses_a_team_outside_the_persons_reach(personas):
    far = make_unit(personas.municipality, "Team Langt Væk", personas.root)
    with pytest.raises(ValidationError) as refused:
        _save(personas, units=[far])
    assert "units" in refused.value.error_dict


def test_it_posts_the_same_form_twice_and_creates_one_pilot(personas, client_for):
    client = client_for("team_leader")
    page = client.get(reverse("pilots:new")).content.decode()
    token = page.split('name="submission_token" value="')[1].split('"')[0]
    data = _form(personas, submission_token=token)
    assert client.post(reverse("pilots:new"), data).status_code == 302
    assert client.post(reverse("pilots:new"), data).status_code == 302
    assert Pilot.objects.count() == 1


def test_it_lets_an_employee_read_but_not_propose(personas, client_for):
    client = client_for("employee")
    assert client.get(reverse("pilots:new")).status_code == 404
    pilot = make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team])
    assert client.get(reverse("pilots:detail", args=[pilot.pk])).status_code == 200
    assert client.get(reverse("pilots:edit", args=[pilot.pk])).status_code == 404


# --- Checklist and approval ----------------------------------------------------------------------


def test_it_blocks_approval_when_the_tool_may_not_take_the_data(personas, client_for):
    chatbot = make_tool(personas.municipality, name="Gratis chatbot", tier="consumer", data=("public",))
    cpr = DataClass.objects.get(municipality=personas.municipality, key="cpr")
    pilot = _save(personas, tools=[chatbot], data_classes=[cpr])
    page = client_for("team_leader").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "Ikke tilladt:" in page and "Gratis chatbot" in page
    with pytest.raises(ValidationError) as refused:
        actions.approve_pilot(actor=personas.team_leader, pilot=pilot)
    assert "Gratis chatbot" in str(refused.value)
    assert Pilot.objects.get(pk=pilot.pk).status == S.IDEA


def test_it_blocks_approval_until_the_checklist_holds(personas):
    pilot = _save(personas, med_considered=False)
    with pytest.raises(ValidationError) as refused:
        actions.approve_pilot(actor=personas.team_leader, pilot=pilot)
    assert "MED" in str(refused.value)


def test_it_lets_only_whom_the_decision_rights_name_approve(personas):
    pilot = _save(personas)
    for who in ("employee", "lighthouse", "med", "it"):
        with pytest.raises(Http404):
            actions.approve_pilot(actor=getattr(personas, who), pilot=pilot)
    actions.approve_pilot(actor=personas.centre_chief, pilot=pilot, note="God idé.")
    assert Pilot.objects.get(pk=pilot.pk).approved_by == personas.centre_chief


def test_it_needs_a_decider_for_every_team_of_the_pilot(personas):
    pilot = _save(personas, actor=personas.centre_chief, units=[personas.team, personas.other_team])
    with pytest.raises(Http404):  # the team leader leads Team Sol, not Team Måne
        actions.approve_pilot(actor=personas.team_leader, pilot=pilot)
    actions.approve_pilot(actor=personas.centre_chief, pilot=pilot)


def test_it_walks_the_statuses_with_history_audit_and_notifications(personas):
    pilot = _save(personas)
    pilot = actions.approve_pilot(actor=personas.centre_chief, pilot=pilot, note="Godkendt.")
    told = set(Notification.objects.filter(kind="pilot.approved").values_list("recipient_id", flat=True))
    assert {personas.team_leader.pk, personas.employee.pk, personas.lighthouse.pk} <= told
    pilot = actions.start_pilot(actor=personas.team_leader, pilot=pilot)
    assert PilotPulse.objects.filter(pilot=pilot).exists()
    pilot = actions.evaluate_pilot(actor=personas.team_leader, pilot=pilot)
    pilot = actions.close_pilot(actor=personas.executive, pilot=pilot, decision="stop", note="Det virkede ikke.")
    assert (pilot.status, pilot.decision) == (S.CLOSED, "stop")
    steps = list(PilotStatusChange.objects.filter(pilot=pilot).values_list("from_status", "to_status"))
    assert steps == [
        (S.IDEA, S.IDEA),
        (S.IDEA, S.APPROVED),
        (S.APPROVED, S.RUNNING),
        (S.RUNNING, S.EVALUATING),
        (S.EVALUATING, S.CLOSED),
    ]
    codes = set(AuditEvent.objects.filter(object_id=str(pilot.pk)).values_list("action", flat=True))
    assert {"pilot.add", "pilot.approve", "pilot.start", "pilot.evaluate", "pilot.close"} <= codes


def test_it_closes_only_by_the_scale_or_stop_rights(personas):
    pilot = make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.EVALUATING)
    with pytest.raises(Http404):
        actions.close_pilot(actor=personas.team_leader, pilot=pilot, decision="scale", note="Godt.")
    with pytest.raises(ValidationError):
        actions.close_pilot(actor=personas.executive, pilot=pilot, decision="scale", note=" ")
    RoleAssignment.objects.create(
        municipality=personas.municipality, person=personas.med, role=Role.EXECUTIVE, unit=personas.root
    )
    actions.close_pilot(actor=personas.med, pilot=pilot, decision="adjust", note="Vi justerer.")
    assert Pilot.objects.get(pk=pilot.pk).decision == "adjust"


def test_it_extends_only_with_a_reason_and_a_later_date(personas, client_for):
    pilot = make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.RUNNING)
    later = pilot.ends_on + datetime.timedelta(weeks=1)
    client = client_for("team_leader")
    response = client.post(reverse("pilots:extend", args=[pilot.pk]), {"ends_on": later.isoformat(), "reason": ""})
    assert response.status_code == 400 and 'id="id_reason-error"' in response.content.decode()
    response = client.post(
        reverse("pilots:extend", args=[pilot.pk]), {"ends_on": pilot.ends_on.isoformat(), "reason": "Ferie."}
    )
    assert response.status_code == 400 and "efter den nuværende" in response.content.decode()
    response = client.post(
        reverse("pilots:extend", args=[pilot.pk]), {"ends_on": later.isoformat(), "reason": "Ferie."}
    )
    assert response.status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).ends_on == later
    assert PilotStatusChange.objects.filter(pilot=pilot, note="Ferie.").exists()
    assert AuditEvent.objects.filter(action="pilot.extend").exists()


def test_it_shows_each_viewer_only_the_steps_they_may_take(personas, client_for):
    pilot = _save(personas)
    url = reverse("pilots:detail", args=[pilot.pk])
    assert (
        'action="' + reverse("pilots:approve", args=[pilot.pk]) in client_for("team_leader").get(url).content.decode()
    )
    assert reverse("pilots:approve", args=[pilot.pk]) not in client_for("employee").get(url).content.decode()
    assert client_for("employee").post(reverse("pilots:approve", args=[pilot.pk]), {}).status_code == 404


def test_it_approves_and_starts_through_the_pages(personas, client_for):
    pilot = _save(personas)
    client = client_for("team_leader")
    assert client.post(reverse("pilots:approve", args=[pilot.pk]), {"note": "Ja."}).status_code == 302
    assert client.post(reverse("pilots:start", args=[pilot.pk]), {"start-note": ""}).status_code == 302
    assert Pilot.objects.get(pk=pilot.pk).status == S.RUNNING
    again = client.post(reverse("pilots:start", args=[pilot.pk]), {"start-note": ""})
    assert again.status_code == 400 and "skiftet status" in again.content.decode()


# --- The pages -------------------------------------------------------------------------------------


def test_it_filters_the_list_by_status_area_and_unit(personas, client_for):
    make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], title="Sol kører")
    make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.other_team], title="Måne er idé")
    Pilot.objects.filter(title="Sol kører").update(status=S.RUNNING)
    client = client_for("employee")
    page = client.get(reverse("pilots:list") + "?status=running").content.decode()
    assert "Sol kører" in page and "Måne er idé" not in page
    page = client.get(reverse("pilots:list") + f"?enhed={personas.other_team.pk}").content.decode()
    assert "Måne er idé" in page and "Sol kører" not in page
    area = UseCase.objects.first().area  # type: ignore[union-attr]
    page = client.get(reverse("pilots:list") + f"?fagomraade={area.pk}").content.decode()
    assert "Måne er idé" in page and "Sol kører" in page


def test_it_shows_the_landing_page_with_running_and_waiting_pilots(personas, client_for):
    make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], title="Venter på svar")
    make_pilot(
        personas.municipality, leader=personas.team_leader, units=[personas.team], title="Kører nu", status=S.RUNNING
    )
    page = client_for("centre_chief").get(reverse("pilots:index")).content.decode()
    assert "Venter på din godkendelse" in page and "Venter på svar" in page and "Kører nu" in page
    assert "Venter på din godkendelse" not in client_for("employee").get(reverse("pilots:index")).content.decode()


def test_it_lists_pilots_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    def grow() -> None:
        start = Pilot.objects.count()
        for n in range(start, start + 5):
            unit = make_unit(personas.municipality, f"Team {n}", personas.institution)
            make_pilot(personas.municipality, leader=personas.team_leader, units=[unit, personas.team], title=f"P{n}")

    make_pilot(personas.municipality, leader=personas.team_leader, units=[personas.team], status=S.RUNNING)
    for url in (reverse("pilots:list"), reverse("pilots:index")):
        assert_num_queries_stable(client_for("centre_chief"), url, grow)


def test_it_refuses_emotion_recognition_with_the_reason_in_english_too(personas, client_for):
    client = client_for("team_leader")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("pilots:new"), _form(personas, ai_emotion="ja")).content.decode()
    assert "The pilot is refused under the EU AI Act" in page
    assert "Article 5(1)(f) of the AI Act" in page
    assert not Pilot.objects.exists()


def test_it_finds_the_use_case_by_searching_never_a_list_of_every_one(personas, client_for):
    """A large municipality has hundreds of use cases: a `<select>` of them all was most of the
    proposal page. The form shows a search, and the matches (at most 20) to choose from."""
    for i in range(USE_CASE_SEARCH_LIMIT + 5):
        make_use_case(personas.municipality, title=f"Skrive referat nummer {i}", unit=personas.team)
    make_use_case(personas.municipality, title="Oversætte forældrebreve", unit=personas.team)
    client = client_for("team_leader")
    url = reverse("pilots:new")
    page = client.get(url).content.decode()
    assert "Skrive referat nummer" not in page and "Oversætte forældrebreve" not in page
    assert 'name="use_case_soeg"' in page and 'hx-select="#id_use_case-matches"' in page
    # "Søg" without JavaScript: the form comes back with the matches and keeps what was typed.
    found = client.post(url, {"title": "Min afprøvning", "use_case_soeg": "forældrebreve", "use_case_find": "1"})
    text = found.content.decode()
    assert found.status_code == 200 and not Pilot.objects.exists()
    assert "Oversætte forældrebreve" in text and "Skrive referat nummer" not in text and "Min afprøvning" in text
    many = client.get(url, {"use_case_soeg": "referat"}).content.decode()
    assert many.count('name="use_case" id=') == USE_CASE_SEARCH_LIMIT and "Der er flere anvendelser" in many


def test_it_keeps_the_chosen_use_case_and_refuses_one_that_cannot_be_tried(personas, client_for):
    stopped = make_use_case(personas.municipality, title="Stoppet anvendelse", unit=personas.team, status="stopped")
    response = client_for("team_leader").post(reverse("pilots:new"), _form(personas, use_case=stopped.pk))
    assert 'id="id_use_case-error"' in response.content.decode() and not Pilot.objects.exists()
    chosen = make_use_case(personas.municipality, title="Skrive ugeplaner med AI", unit=personas.team)
    again = client_for("team_leader").post(
        reverse("pilots:new"), {**_form(personas, use_case=chosen.pk), "add_team": "1"}
    )
    assert f'value="{chosen.pk}" checked' in again.content.decode()
