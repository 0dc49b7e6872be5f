"""Training per tool, learning paths, the prompt library and what waits on the home page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone

from forankring.competence import actions
from forankring.competence.models import PathStep, Prompt, Record, UsefulMark
from forankring.competence.waiting import items_for
from forankring.core.models import AuditEvent
from forankring.privacy.models import ToolTier
from tests.factories import make_activity, make_prompt, make_session, make_tool


def _done(person, activity) -> None:
    actions.complete(actor=person, activity=activity, completed_on=timezone.localdate(), evidence="", confirmed=True)


# --- Training per tool ---------------------------------------------------------------------


def test_it_tells_a_person_what_a_tool_needs_and_where_they_stand(client_for, personas):
    tool = make_tool(personas.municipality, name="Kontorassistenten")
    first = make_activity(personas.municipality, title="Kom i gang med Kontorassistenten", tools=(tool,))
    second = make_activity(personas.municipality, title="Persondata og AI", tools=(tool,))
    _done(personas.employee, first)
    page = client_for("employee").get(reverse("competence:tools")).content.decode()
    assert "For at bruge Kontorassistenten skal du have gennemført:" in page
    assert "Du mangler noget af træningen." in page
    _done(personas.employee, second)
    assert (
        "Du har den træning, værktøjet kræver."
        in client_for("employee").get(reverse("competence:tools")).content.decode()
    )


def test_it_shows_training_per_tool_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    made = iter(range(100))

    def grow():
        for i in [next(made) for _ in range(3)]:
            tool = make_tool(personas.municipality, name=f"Værktøj {i}")
            make_activity(personas.municipality, title=f"Kursus {i}", tools=(tool,))

    grow()
    assert_num_queries_stable(client_for("employee"), reverse("competence:tools"), grow=grow)


# --- Learning paths ----------------------------------------------------------------------


def test_it_builds_a_learning_path_and_shows_each_step_done_or_not(client_for, personas):
    basics = make_activity(personas.municipality, title="Grundkursus")
    leader = make_activity(personas.municipality, title="Lederforløb", level_key="leaders")
    client = client_for("admin")
    client.post(reverse("competence:paths"), {"role": "team_leader", "activity": basics.pk, "note": "Først"})
    client.post(reverse("competence:paths"), {"role": "team_leader", "activity": leader.pk, "note": ""})
    assert list(PathStep.objects.order_by("position").values_list("activity__title", flat=True)) == [
        "Grundkursus",
        "Lederforløb",
    ]
    _done(personas.team_leader, basics)
    page = client_for("team_leader").get(reverse("competence:paths")).content.decode()
    assert page.index("Grundkursus") < page.index("Lederforløb")
    assert "gennemført" in page
    assert AuditEvent.objects.filter(action="competence.path.add").count() == 2


def test_it_refuses_to_let_anyone_but_an_administrator_change_a_path(client_for, personas):
    basics = make_activity(personas.municipality)
    response = client_for("team_leader").post(reverse("competence:paths"), {"role": "employee", "activity": basics.pk})
    assert response.status_code == 404
    assert not PathStep.objects.exists()


# --- Prompt library ----------------------------------------------------------------------


def _propose(client, personas, **overrides):
    tier = ToolTier.objects.get(municipality=personas.municipality, key="enterprise")
    data = {
        "title": "Ugeplan",
        "task": "Ugeplan",
        "text": "Lav en ugeplan med temaet [tema].",
        "tier": tier.pk,
        "anonymise_first": "on",
        **overrides,
    }
    return client.post(reverse("competence:prompt_new"), data)


def test_it_shows_a_proposal_to_others_only_once_a_lighthouse_approves_it(client_for, personas):
    make_prompt(personas.municipality, title="Noget andet")  # makes the tiers too
    _propose(client_for("employee"), personas)
    prompt = Prompt.objects.get(title="Ugeplan")
    assert prompt.status == Prompt.Status.PROPOSED and prompt.proposed_by == personas.employee
    detail = reverse("competence:prompt_detail", kwargs={"pk": prompt.pk})
    assert client_for("med").get(detail).status_code == 404
    assert "Ugeplan" not in client_for("med").get(reverse("competence:prompts")).content.decode()
    assert client_for("med").post(reverse("competence:prompt_decide", kwargs={"pk": prompt.pk})).status_code == 404
    client_for("lighthouse").post(
        reverse("competence:prompt_decide", kwargs={"pk": prompt.pk}), {"decision": "approve"}
    )
    prompt.refresh_from_db()
    assert prompt.status == Prompt.Status.APPROVED and prompt.decided_by == personas.lighthouse
    assert "Anonymisér først" in client_for("med").get(detail).content.decode()


def test_it_refuses_a_prompt_with_a_cpr_number_and_keeps_what_was_typed(client_for, personas):
    make_prompt(personas.municipality)
    response = _propose(client_for("employee"), personas, text="Skriv til 150372-1240 om [emne]")
    assert response.status_code == 200
    assert "id_text-error" in response.content.decode()
    assert 'value="Ugeplan"' in response.content.decode()
    assert not Prompt.objects.filter(title="Ugeplan").exists()


def test_it_counts_useful_marks_once_per_person_and_stores_no_one_beside_them(client_for, personas):
    prompt = make_prompt(personas.municipality)
    url = reverse("competence:prompt_useful", kwargs={"pk": prompt.pk})
    client_for("employee").post(url)
    client_for("lighthouse").post(url)
    prompt.refresh_from_db()
    assert prompt.useful_count == 2
    client_for("employee").post(url)  # takes the mark back
    prompt.refresh_from_db()
    assert prompt.useful_count == 1
    # Neither the prompt's row nor the marks name a person or a prompt; no audit row says who.
    assert UsefulMark.objects.count() == 1
    mark = UsefulMark.objects.get()
    for value in (str(personas.lighthouse.pk), personas.lighthouse.name, str(prompt.pk)):
        assert value != mark.key and f":{value}" not in mark.key
    assert {f.name for f in UsefulMark._meta.get_fields()} == {"id", "municipality", "key"}
    assert not AuditEvent.objects.filter(action__contains="useful").exists()
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "competence_usefulmark")]
    assert sorted(columns) == ["id", "key", "municipality_id"]


def test_it_lets_the_same_person_mark_a_prompt_only_once(personas):
    prompt = make_prompt(personas.municipality)
    assert actions.toggle_useful(actor=personas.employee, prompt=prompt) is True
    assert actions.toggle_useful(actor=personas.employee, prompt=prompt) is False
    assert actions.toggle_useful(actor=personas.employee, prompt=prompt) is True
    prompt.refresh_from_db()
    assert prompt.useful_count == 1


def test_it_refuses_a_mark_on_a_proposal(personas):
    prompt = make_prompt(personas.municipality, status="proposed")
    with pytest.raises(Http404):
        actions.toggle_useful(actor=personas.employee, prompt=prompt)


def test_it_lists_prompts_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    make_prompt(personas.municipality, title="Første")
    made = iter(range(100))

    def grow():
        for i in [next(made) for _ in range(4)]:
            make_prompt(personas.municipality, title=f"Prompt {i}")
            make_prompt(personas.municipality, title=f"Forslag {i}", status="proposed")

    assert_num_queries_stable(client_for("lighthouse"), reverse("competence:prompts"), grow=grow)


def test_it_lists_paths_in_a_fixed_number_of_queries(client_for, personas, assert_num_queries_stable):
    made = iter(range(100))

    def grow():
        for i in [next(made) for _ in range(3)]:
            actions.add_path_step(
                actor=personas.admin,
                role="employee",
                activity=make_activity(personas.municipality, title=f"Trin {i}"),
                note="",
            )

    grow()
    assert_num_queries_stable(client_for("employee"), reverse("competence:paths"), grow=grow)


def test_it_shows_paths_in_the_same_number_of_queries_before_the_first_path(
    client_for, personas, assert_num_queries_stable
):
    # A municipality without learning paths yet (the large generated one has none) costs the same.
    def first_path():
        activity = make_activity(personas.municipality, title="Første trin")
        actions.add_path_step(actor=personas.admin, role="employee", activity=activity, note="")

    assert_num_queries_stable(client_for("employee"), reverse("competence:paths"), grow=first_path)


# --- "Det venter på dig" -------------------------------------------------------------------


def test_it_puts_a_coming_session_and_a_refresh_due_on_the_home_page(client_for, personas):
    activity = make_activity(personas.municipality, title="Persondata og AI", refresh_months=12)
    session = make_session(activity, days=5)
    actions.sign_up(actor=personas.employee, session=session)
    old = make_activity(personas.municipality, title="Grundkursus", refresh_months=12)
    day = timezone.localdate() - datetime.timedelta(days=350)
    Record.objects.create(
        municipality=personas.municipality,
        person=personas.employee,
        activity=old,
        version="1",
        completed_on=day,
        source=Record.Source.SELF,
        next_refresh=day + datetime.timedelta(days=365),
    )
    labels = [str(item.label) for item in items_for(personas.employee)]
    assert any(label.startswith("Mød op til Persondata og AI") for label in labels)
    assert any(label.startswith("Genopfrisk Grundkursus") for label in labels)
    home = client_for("employee").get(reverse("core:home")).content.decode()
    assert "Mød op til Persondata og AI" in home


def test_it_asks_the_host_to_register_attendance_after_the_session(personas):
    session = make_session(make_activity(personas.municipality, title="Værksted"), days=1, host=personas.facilitator)
    actions.sign_up(actor=personas.employee, session=session)
    session.starts_at = timezone.now() - datetime.timedelta(hours=2)
    session.ends_at = session.starts_at + datetime.timedelta(hours=1)
    session.save()
    assert any(str(i.label) == "Registrér fremmøde på Værksted" for i in items_for(personas.facilitator))
    assert not any("Registrér" in str(i.label) for i in items_for(personas.team_leader))


def test_it_fills_the_home_page_in_a_fixed_number_of_queries(personas):
    def count() -> int:
        from django.test.utils import CaptureQueriesContext

        from forankring.core import access

        access.forget_roles(personas.employee)
        with CaptureQueriesContext(connection) as ctx:
            items_for(personas.employee)
        return len(ctx)

    before = count()
    for i in range(3):
        activity = make_activity(personas.municipality, title=f"Kursus {i}", refresh_months=1)
        actions.sign_up(actor=personas.employee, session=make_session(activity, days=3 + i))
        _done(personas.employee, activity)
    assert count() == before


def test_it_lists_the_first_three_seats_in_time_order_and_only_held_sessions_with_people_on_them(personas):
    from forankring.competence.models import Session

    m = personas.municipality
    later = make_session(make_activity(m, title="Senere"), days=6)
    same_time = timezone.now() + datetime.timedelta(days=2)
    # Two sessions at the same time: the one signed up for first comes first, whatever was created first.
    first_made = make_session(make_activity(m, title="Oprettet først"), days=2)
    second_made = make_session(make_activity(m, title="Oprettet sidst"), days=2)
    Session.objects.filter(pk__in=[first_made.pk, second_made.pk]).update(starts_at=same_time)
    fourth = make_session(make_activity(m, title="For sent"), days=9)
    beyond = make_session(make_activity(m, title="Om to måneder"), days=60)
    for session in (later, second_made, first_made, fourth, beyond):
        actions.sign_up(actor=personas.employee, session=session)
    # A waiting-list place is not a seat.
    full = make_session(make_activity(m, title="Fuldt hold"), days=1, capacity=1)
    actions.sign_up(actor=personas.lighthouse, session=full)
    actions.sign_up(actor=personas.employee, session=full)
    labels = [str(item.label) for item in items_for(personas.employee)]
    assert [label.split(" ")[3] for label in labels] == ["Oprettet", "Oprettet", "Senere"]
    assert labels[0].startswith("Mød op til Oprettet sidst") and labels[1].startswith("Mød op til Oprettet først")

    # For the host: held sessions with someone on a seat; one with only a waiting list is not asked about.
    with_seat = make_session(make_activity(m, title="Holdt med deltagere"), days=1, host=personas.facilitator)
    only_waiting = make_session(make_activity(m, title="Holdt uden pladser"), days=1, host=personas.facilitator)
    actions.sign_up(actor=personas.employee, session=with_seat)
    actions.sign_up(actor=personas.employee, session=only_waiting)
    only_waiting.signups.update(status="waiting")
    Session.objects.filter(pk__in=[with_seat.pk, only_waiting.pk]).update(
        starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    held = [str(item.label) for item in items_for(personas.facilitator) if "Registrér" in str(item.label)]
    assert held == ["Registrér fremmøde på Holdt med deltagere"]


def test_it_asks_for_the_refresh_of_the_newest_record_only_and_of_activities_still_offered(personas):
    m = personas.municipality
    today = timezone.localdate()
    renewed = make_activity(m, title="Fornyet", refresh_months=12)
    due = make_activity(m, title="Snart udløbet", refresh_months=12)
    withdrawn = make_activity(m, title="Trukket tilbage", refresh_months=12)
    withdrawn.is_active = False
    withdrawn.save()
    for activity, completed, refresh in (
        (renewed, today - datetime.timedelta(days=360), today + datetime.timedelta(days=5)),
        (renewed, today - datetime.timedelta(days=10), today + datetime.timedelta(days=355)),
        (due, today - datetime.timedelta(days=400), today - datetime.timedelta(days=35)),
        (withdrawn, today - datetime.timedelta(days=360), today + datetime.timedelta(days=5)),
    ):
        Record.objects.create(
            municipality=m,
            person=personas.employee,
            activity=activity,
            version="1",
            completed_on=completed,
            source=Record.Source.SELF,
            next_refresh=refresh,
        )
    labels = [str(item.label) for item in items_for(personas.employee)]
    assert labels == [
        f"Genopfrisk Snart udløbet senest {formats.date_format(today - datetime.timedelta(days=35), 'j. F Y')}"
    ]


def test_it_shows_the_prompt_library_a_page_at_a_time(client_for, personas):
    from forankring.competence.queries import PENDING_SHOWN, PROMPTS_PER_PAGE

    for i in range(PROMPTS_PER_PAGE + 2):
        make_prompt(personas.municipality, title=f"Godkendt {i:03d}")
    for i in range(PENDING_SHOWN + 1):
        make_prompt(personas.municipality, title=f"Forslag {i:03d}", status="proposed")
    client = client_for("lighthouse")
    first = client.get(reverse("competence:prompts")).content.decode()
    assert first.count("Godkendt ") == PROMPTS_PER_PAGE
    assert "side=2" in first and "De vises 25 ad gangen" in first
    assert first.count("Forslag ") == PENDING_SHOWN and "de 25 ældste forslag" in first
    second = client.get(reverse("competence:prompts"), {"side": 2}).content.decode()
    assert f"Godkendt {PROMPTS_PER_PAGE + 1:03d}" in second and "Godkendt 000" not in second
