"""Rollouts done the way the seed asks: the readiness check drawn from tracks 1–3, who may start
one and own it, the 30-day plan, "Det venter på dig" and the reminders."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core import queries as core_queries
from forankring.core.models import AuditEvent
from forankring.direction.models import Tool
from forankring.notifications.models import Notification
from forankring.pilots import actions_rollout as actions
from forankring.pilots import queries_rollout as queries
from forankring.pilots import waiting_rollout
from forankring.pilots.models import Rollout, RolloutWeek
from forankring.privacy.models import DataClass
from tests.factories import Personas, make_person, make_use_case
from tests.pilots.helpers_rollout import make_rollout, tick, tool_training, train


def _ready_rollout(p: Personas, **kwargs: object) -> Rollout:
    """A rollout to the team that meets every condition: its leader owns it and has had the
    tool's training, and the team has a use case with the tool in operation."""
    rollout = make_rollout(p.team, owner=p.team_leader, **kwargs)  # type: ignore[arg-type]
    train(p.team_leader, tool_training(rollout.tool))
    make_use_case(p.municipality, unit=p.team, status="operation", tools=(rollout.tool,), data=("internal",))
    return rollout


def _checks(rollout: Rollout, person: object) -> dict[str, queries.Check]:
    return {c.key: c for c in queries.readiness(rollout, person).checks}  # type: ignore[arg-type]


# --- The readiness check ---------------------------------------------------------------------


def test_it_shows_a_rollout_whose_unit_leaders_lack_the_hands_on_training_as_not_ready(personas, client_for):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)
    tool_training(rollout.tool)  # the activity exists; the leader has not done it
    make_use_case(p.municipality, unit=p.team, status="operation", tools=(rollout.tool,), data=("internal",))

    page = client_for("executive").get(reverse("pilots:rollout", args=[rollout.pk])).content.decode()

    assert "Ikke klar endnu: 1 betingelse mangler." in page
    assert "Mangler:</span> Lederne har prøvet værktøjet først" in page
    assert "1 leder mangler at have prøvet værktøjet i en læringsaktivitet." in page
    assert reverse("competence:activity_detail", args=[tool_training(rollout.tool).pk]) in page
    assert "Opfyldt:</span> Konkrete opgaver er fundet" in page


def test_it_shows_a_rollout_as_ready_when_every_condition_holds(personas, client_for):
    rollout = _ready_rollout(personas)

    page = client_for("team_leader").get(reverse("pilots:rollout", args=[rollout.pk])).content.decode()

    assert "Enheden er klar: alle fire betingelser er opfyldt." in page
    assert "Du har selv gennemført den." in page


def test_it_counts_a_training_past_its_refresh_date_as_missing(personas):
    p = personas
    rollout = _ready_rollout(p)
    from forankring.competence.models import Record

    Record.objects.filter(person=p.team_leader).update(next_refresh=timezone.localdate() - datetime.timedelta(days=1))

    assert not _checks(rollout, p.executive)["leaders"].ok


def test_it_does_not_count_a_general_leader_course_as_hands_on_with_the_tool(personas):
    from tests.factories import make_activity

    p = personas
    rollout = _ready_rollout(p)
    from forankring.competence.models import Record

    Record.objects.filter(person=p.team_leader).delete()
    train(p.team_leader, make_activity(p.municipality, title="Lederforløb", level_key="leaders", form="leader_course"))

    assert not _checks(rollout, p.executive)["leaders"].ok


def test_it_says_what_is_missing_without_tasks_or_owner_and_links_to_the_fix(personas):
    p = personas
    rollout = make_rollout(p.team)

    checks = _checks(rollout, p.executive)

    assert not checks["tasks"].ok
    assert reverse("practice:use_case_new") in [f.url for f in checks["tasks"].fixes]
    assert not checks["owner"].ok
    assert checks["owner"].missing == "Der er ikke valgt en ejer."
    assert reverse("pilots:rollout_owner", args=[rollout.pk]) in [f.url for f in checks["owner"].fixes]


def test_it_says_when_no_learning_activity_teaches_the_tool(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)

    check = _checks(rollout, p.executive)["leaders"]

    assert not check.ok
    assert "ingen læringsaktivitet" in check.missing


def test_it_refuses_readiness_when_the_tasks_use_data_the_tool_may_not_take(personas):
    p = personas
    rollout = _ready_rollout(p)
    make_use_case(p.municipality, unit=p.team, status="pilot", tools=(rollout.tool,), data=("cpr",))

    check = _checks(rollout, p.executive)["data"]

    assert not check.ok
    cpr = DataClass.objects.get(municipality=p.municipality, key="cpr")
    assert any(line.startswith(cpr.name) for line in check.details)


def test_it_counts_a_use_case_joined_by_a_unit_above_as_a_task(personas):
    from forankring.practice.models import UseCaseUnit

    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)
    use_case = make_use_case(p.municipality, unit=p.other_team, status="pilot", tools=(rollout.tool,))
    assert not _checks(rollout, p.executive)["tasks"].ok
    UseCaseUnit.objects.create(municipality=p.municipality, use_case=use_case, unit=p.institution)

    assert _checks(rollout, p.executive)["tasks"].ok


def test_it_shows_the_readiness_detail_only_to_those_who_can_act_on_it(personas, client_for):
    rollout = make_rollout(personas.team, owner=personas.team_leader)
    tool_training(rollout.tool)
    url = reverse("pilots:rollout", args=[rollout.pk])

    assert "1 leder mangler" in client_for("centre_chief").get(url).content.decode()
    employee_page = client_for("employee").get(url).content.decode()
    assert "Ikke klar endnu" in employee_page
    assert "1 leder mangler" not in employee_page


def test_it_reads_the_rollout_page_in_a_fixed_number_of_queries(personas, client_for, assert_num_queries_stable):
    p = personas
    rollout = _ready_rollout(p)

    def grow() -> None:
        for n in range(5):
            leader = make_person(p.municipality, f"Ny leder {n}", unit=p.team, leader=True)
            train(leader, tool_training(rollout.tool))
            make_use_case(p.municipality, title=f"Opgave {n}", unit=p.team, status="pilot", tools=(rollout.tool,))
            tick(rollout, n + 1) if n < 3 else None

    assert_num_queries_stable(client_for("team_leader"), reverse("pilots:rollout", args=[rollout.pk]), grow)


# --- Starting a rollout and choosing its owner ----------------------------------------------


def test_it_lets_only_the_deciders_of_scale_or_stop_start_a_rollout(personas):
    p = personas
    tool = make_rollout(p.team).tool
    args = {"tool": tool, "unit": p.institution, "starts_on": timezone.localdate(), "purpose": "Ugeplaner"}

    for who in ("team_leader", "employee", "it"):
        with pytest.raises(Http404):
            actions.start_rollout(actor=getattr(p, who), **args)
    rollout = actions.start_rollout(actor=p.executive, **args)

    assert rollout.created_by == p.executive
    event = AuditEvent.objects.get(action="pilots.rollout.start")
    assert event.actor == p.executive and event.changes["unit"] == p.institution.name


def test_it_refuses_a_tool_that_is_not_approved_and_saves_nothing(personas):
    p = personas
    tool = make_rollout(p.team).tool
    Tool.objects.filter(pk=tool.pk).update(status=Tool.Status.REVIEW)
    tool.refresh_from_db()
    before = Rollout.objects.count()

    with pytest.raises(ValidationError) as refused:
        actions.start_rollout(
            actor=p.executive, tool=tool, unit=p.team, starts_on=timezone.localdate(), purpose="Ugeplaner"
        )

    assert "tool" in refused.value.message_dict
    assert Rollout.objects.count() == before
    assert not AuditEvent.objects.filter(action="pilots.rollout.start").exists()


def test_it_starts_a_rollout_through_the_page_once_when_the_form_is_sent_twice(personas, client_for):
    p = personas
    tool = make_rollout(p.other_team).tool
    client = client_for("executive")
    page = client.get(reverse("pilots:rollout_new"))
    token = page.context["form"]["submission_token"].value()
    data = {
        "tool": tool.pk,
        "unit": p.institution.pk,
        "starts_on": timezone.localdate().isoformat(),
        "purpose": "Nyhedsbreve til forældrene",
        "submission_token": token,
    }

    first = client.post(reverse("pilots:rollout_new"), data)
    second = client.post(reverse("pilots:rollout_new"), data)

    created = Rollout.objects.get(unit=p.institution)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("pilots:rollout", args=[created.pk])


def test_it_keeps_the_input_and_shows_the_error_beside_the_field(personas, client_for):
    p = personas
    tool = make_rollout(p.other_team).tool
    client = client_for("executive")
    token = client.get(reverse("pilots:rollout_new")).context["form"]["submission_token"].value()
    long_ago = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()

    response = client.post(
        reverse("pilots:rollout_new"),
        {"tool": tool.pk, "unit": p.team.pk, "starts_on": long_ago, "purpose": "Referater", "submission_token": token},
    )

    assert response.status_code == 200
    assert "starts_on" in response.context["form"].errors
    assert "Referater" in response.content.decode()
    assert Rollout.objects.filter(unit=p.team).count() == 0


def test_it_lets_a_leader_of_the_unit_choose_the_owner_and_tells_them(personas):
    p = personas
    rollout = make_rollout(p.team)

    actions.choose_owner(actor=p.centre_chief, rollout=rollout, owner=p.team_leader)

    rollout.refresh_from_db()
    assert rollout.owner == p.team_leader
    note = Notification.objects.get(recipient=p.team_leader, kind="rollout.owner")
    assert note.url == reverse("pilots:rollout", args=[rollout.pk])
    assert AuditEvent.objects.filter(action="pilots.rollout.owner", actor=p.centre_chief).exists()


def test_it_refuses_an_owner_who_does_not_lead_the_unit(personas):
    p = personas
    rollout = make_rollout(p.team)

    with pytest.raises(ValidationError):
        actions.choose_owner(actor=p.executive, rollout=rollout, owner=p.employee)
    with pytest.raises(Http404):
        actions.choose_owner(actor=p.employee, rollout=rollout, owner=p.team_leader)

    rollout.refresh_from_db()
    assert rollout.owner is None


def test_it_offers_only_leaders_of_the_unit_and_above_as_owners(personas, client_for):
    p = personas
    rollout = make_rollout(p.team)

    page = client_for("executive").get(reverse("pilots:rollout_owner", args=[rollout.pk])).content.decode()

    assert p.team_leader.name in page and p.centre_chief.name in page
    assert p.employee.name not in page


# --- The 30 days -----------------------------------------------------------------------------


def test_it_lets_the_owner_tick_a_week_off_with_a_note(personas, client_for):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=8)

    response = client_for("team_leader").post(
        reverse("pilots:rollout_week", args=[rollout.pk, 2]), {"note": "Alle fandt et problem."}
    )

    assert response.status_code == 302
    week = RolloutWeek.objects.get(rollout=rollout)
    assert (week.week, week.note, week.done_by) == (2, "Alle fandt et problem.", p.team_leader)
    assert AuditEvent.objects.filter(action="pilots.rollout.week").exists()


def test_it_refuses_a_week_that_has_not_begun_or_is_already_ticked(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=3)

    with pytest.raises(ValidationError):
        actions.tick_week(actor=p.team_leader, rollout=rollout, week=2, note="")
    actions.tick_week(actor=p.team_leader, rollout=rollout, week=1, note="")
    with pytest.raises(ValidationError):
        actions.tick_week(actor=p.team_leader, rollout=rollout, week=1, note="igen")

    assert RolloutWeek.objects.filter(rollout=rollout).count() == 1


def test_it_lets_nobody_but_the_owner_tick_the_plan(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)

    for who in ("centre_chief", "admin", "executive"):
        with pytest.raises(Http404):
            actions.tick_week(actor=getattr(p, who), rollout=rollout, week=1, note="")


def test_it_takes_the_closing_note_only_from_the_last_week_and_then_closes(personas):
    p = personas
    early = make_rollout(p.team, owner=p.team_leader, days_ago=10)
    with pytest.raises(ValidationError) as refused:
        actions.close_rollout(actor=p.team_leader, rollout=early, gains="Tid", barriers="Ingen")
    assert "gains" in refused.value.message_dict
    due = make_rollout(p.other_team, owner=p.team_leader, days_ago=29)

    with pytest.raises(ValidationError) as empty:
        actions.close_rollout(actor=p.team_leader, rollout=due, gains="Mere tid", barriers=" ")
    assert list(empty.value.message_dict) == ["barriers"]
    actions.close_rollout(actor=p.team_leader, rollout=due, gains="Mere tid", barriers="Licenser kom sent")

    due.refresh_from_db()
    assert due.closed_at is not None and due.barriers == "Licenser kom sent"


def test_it_shows_this_weeks_prompt_and_the_closing_note_under_det_venter_paa_dig(personas):
    p = personas
    today = timezone.localdate()
    running = make_rollout(p.team, owner=p.team_leader, days_ago=9)
    done = make_rollout(p.other_team, owner=p.team_leader, days_ago=30)

    items = waiting_rollout.items_for(p.team_leader, today=today)
    urls = [item.url for item in items]

    assert reverse("pilots:rollout_week", args=[running.pk, 2]) in urls
    assert reverse("pilots:rollout_close", args=[done.pk]) in urls
    tick(running, 2)
    urls = [item.url for item in waiting_rollout.items_for(p.team_leader, today=today)]
    assert reverse("pilots:rollout_week", args=[running.pk, 2]) not in urls


def test_it_asks_each_member_for_their_one_concrete_problem_until_they_write_it(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=4)
    url = reverse("pilots:rollout_problem", args=[rollout.pk])

    assert url in [item.url for item in waiting_rollout.items_for(p.employee)]
    assert url not in [item.url for item in waiting_rollout.items_for(p.med)]  # works in another team
    actions.save_concrete_problem(actor=p.employee, rollout=rollout, text="Ugeplanen", solved=False)
    assert url not in [item.url for item in waiting_rollout.items_for(p.employee)]


def test_it_asks_about_the_week_the_plan_is_in_on_each_day(personas):
    p = personas
    today = timezone.localdate()
    owner = p.centre_chief  # placed above the team: only the owner's items, not a member's
    for days_ago, week in ((0, 1), (6, 1), (7, 2), (13, 2), (14, 3), (20, 3), (21, 4), (27, 4)):
        rollout = make_rollout(p.team, owner=owner, days_ago=days_ago)
        assert queries.current_week(rollout, today) == week
        tick(rollout, 2 if week == 1 else 1)  # another week ticked off does not count
        urls = [item.url for item in waiting_rollout.items_for(owner, today=today)]
        assert reverse("pilots:rollout_week", args=[rollout.pk, week]) in urls, days_ago
        tick(rollout, week)
        assert waiting_rollout.items_for(owner, today=today) == [], days_ago
    closing = make_rollout(p.team, owner=owner, days_ago=28)
    tick(closing, 4)
    urls = [item.url for item in waiting_rollout.items_for(owner, today=today)]
    assert reverse("pilots:rollout_close", args=[closing.pk]) in urls


def test_it_asks_for_the_concrete_problem_below_the_units_rollout_but_not_above_it(personas):
    p = personas
    rollout = make_rollout(p.institution, owner=p.centre_chief, days_ago=3)
    url = reverse("pilots:rollout_problem", args=[rollout.pk])

    assert url in [item.url for item in waiting_rollout.items_for(p.employee)]  # in a team below
    assert url in [item.url for item in waiting_rollout.items_for(p.med)]  # in the other team below
    assert url not in [item.url for item in waiting_rollout.items_for(p.centre_chief)]  # above: the owner only
    assert url not in [item.url for item in waiting_rollout.items_for(p.outsider)]


def test_it_reads_the_waiting_items_in_one_query(personas, django_assert_num_queries):
    p = personas
    for days in (2, 9, 16, 29):
        make_rollout(p.team, owner=p.team_leader, days_ago=days)
    core_queries.placements(p.team_leader)  # the home page has read them already

    with django_assert_num_queries(1):
        waiting_rollout.items_for(p.team_leader)


def test_it_reminds_the_owner_of_each_week_and_of_the_closing_note_once(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=8)
    start = rollout.starts_on

    assert actions.remind_rollout_owners(municipality=p.municipality, today=start + datetime.timedelta(days=8)) == 1
    assert actions.remind_rollout_owners(municipality=p.municipality, today=start + datetime.timedelta(days=9)) == 0
    assert actions.remind_rollout_owners(municipality=p.municipality, today=start + datetime.timedelta(days=28)) == 1

    kinds = list(Notification.objects.filter(recipient=p.team_leader).order_by("pk").values_list("kind", flat=True))
    assert kinds == ["rollout.week", "rollout.closing_due"]
    call_command("remind_rollouts", stdout=__import__("io").StringIO())
    assert Notification.objects.filter(recipient=p.team_leader).count() == 2


def test_it_preselects_a_scaled_pilot_given_in_the_link(personas, client_for):
    from forankring.pilots.models import Pilot
    from tests.factories import make_use_case as use_case

    p = personas
    pilot = Pilot.objects.create(
        municipality=p.municipality,
        title="AI til ugeplaner i fire uger",
        use_case=use_case(p.municipality, unit=p.team),
        leader=p.team_leader,
        goal="Mindre tid ved computeren",
        look_at="Tid og kvalitet",
        human_decides="Pædagogen godkender",
        starts_on=timezone.localdate() - datetime.timedelta(days=40),
        ends_on=timezone.localdate() - datetime.timedelta(days=12),
        status=Pilot.Status.CLOSED,
        decision=Pilot.Decision.SCALE,
    )

    page = client_for("executive").get(reverse("pilots:rollout_new") + f"?afproevning={pilot.pk}")

    assert page.context["form"]["pilot"].value() == str(pilot.pk)
    assert f'<option value="{pilot.pk}" selected>AI til ugeplaner i fire uger</option>' in page.content.decode()


def test_it_refuses_to_scale_a_pilot_that_was_not_decided_scaled(personas):
    from forankring.pilots.models import Pilot

    p = personas
    tool = make_rollout(p.other_team).tool
    pilot = Pilot.objects.create(
        municipality=p.municipality,
        title="AI til referater",
        use_case=make_use_case(p.municipality, unit=p.team),
        leader=p.team_leader,
        goal="Hurtigere referater",
        look_at="Tid",
        human_decides="Mødelederen godkender",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + datetime.timedelta(days=28),
        status=Pilot.Status.RUNNING,
    )

    with pytest.raises(ValidationError) as refused:
        actions.start_rollout(
            actor=p.executive, tool=tool, unit=p.team, pilot=pilot, starts_on=timezone.localdate(), purpose="Referater"
        )

    assert "pilot" in refused.value.message_dict
    assert not Rollout.objects.filter(unit=p.team).exists()
