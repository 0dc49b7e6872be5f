"""The live retrospective: opening, anonymous cards, grouping, dot-votes within a budget, the
discussion, the decision that closes the pilot, actions, the self-refreshing board, "Det venter
på dig" and the panel on the pilot's page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forankring.core import queries as core_queries
from forankring.core.models import AuditEvent, Person
from forankring.notifications.models import Notification
from forankring.pilots import actions_retro, queries_retro, waiting_retro
from forankring.pilots.models import Pilot, PilotStatusChange
from forankring.pilots.models.retro import (
    RetroAction,
    RetroBoard,
    RetroCard,
    RetroGroup,
    RetroVote,
    RetroVoteReceipt,
)
from forankring.privacy.suppression import SUPPRESSED
from forankring.privacy.testing import assert_unlinkable
from tests.conftest import count_queries
from tests.factories import make_person, make_unit
from tests.pilots.retro_support import add_cards, make_board, make_pilot

Phase = RetroBoard.Phase


@pytest.fixture
def pilot(personas) -> Pilot:
    return make_pilot(personas.municipality, units=[personas.team], leader=personas.team_leader)


def _board(pilot: Pilot, phase: str = Phase.CARDS) -> RetroBoard:
    return make_board(pilot, phase=phase)


def _url(pilot: Pilot, name: str = "pilots:retro") -> str:
    return reverse(name, kwargs={"pk": pilot.pk})


# --- Opening -------------------------------------------------------------------------------------


def test_it_opens_the_board_for_the_pilots_leader_and_tells_the_team(personas, pilot):
    board = actions_retro.open_board(actor=personas.team_leader, pilot=pilot)
    assert board.phase == Phase.CARDS
    told = set(Notification.objects.filter(kind="pilot.retro_opened").values_list("recipient_id", flat=True))
    assert told == {personas.employee.pk, personas.lighthouse.pk}
    assert AuditEvent.objects.filter(action="pilots.retro.open", actor=personas.team_leader).count() == 1


def test_it_lets_whoever_decides_scale_or_stop_open_the_board(personas, pilot):
    assert actions_retro.open_board(actor=personas.executive, pilot=pilot).pk


def test_it_refuses_opening_the_board_for_a_participant_who_does_not_run_it(personas, pilot):
    with pytest.raises(Http404):
        actions_retro.open_board(actor=personas.employee, pilot=pilot)
    assert not RetroBoard.objects.exists()


def test_it_refuses_opening_the_board_while_the_pilot_is_far_from_its_end(personas):
    running = make_pilot(
        personas.municipality,
        units=[personas.team],
        leader=personas.team_leader,
        status=Pilot.Status.RUNNING,
        ends_in_days=20,
    )
    with pytest.raises(ValidationError):
        actions_retro.open_board(actor=personas.team_leader, pilot=running)
    assert not RetroBoard.objects.exists()
    running.ends_on = timezone.localdate() + datetime.timedelta(days=7)
    running.save()
    assert actions_retro.open_board(actor=personas.team_leader, pilot=running).pk


def test_it_opens_only_one_board_per_pilot(personas, pilot):
    actions_retro.open_board(actor=personas.team_leader, pilot=pilot)
    with pytest.raises(ValidationError):
        actions_retro.open_board(actor=personas.executive, pilot=pilot)
    assert RetroBoard.objects.count() == 1


def test_it_shows_the_open_button_to_the_leader_and_a_wait_note_to_the_team(client_for, pilot):
    assert "Åbn retrospektivet" in client_for("team_leader").get(_url(pilot)).content.decode()
    page = client_for("employee").get(_url(pilot)).content.decode()
    assert "ikke åbnet endnu" in page and "Åbn retrospektivet" not in page


def test_it_hides_the_board_from_someone_outside_the_teams(client_for, pilot):
    _board(pilot)
    assert client_for("med").get(_url(pilot)).status_code == 404
    assert client_for("centre_chief").get(_url(pilot)).status_code == 404


# --- Cards ---------------------------------------------------------------------------------------


def test_it_adds_a_card_that_nothing_links_to_its_writer(personas, client_for, pilot):
    board = _board(pilot)
    client = client_for("employee")
    text = "Referatet lå klar samme eftermiddag, og aftenvagten kunne læse det."
    card = assert_unlinkable(
        model=RetroCard,
        create=lambda: client.post(_url(pilot, "pilots:retro_card"), {"column": "worked", "text": text}),
        person=personas.employee,
        client=client,
        extra_urls=[(client_for("team_leader"), _url(pilot)), (client_for("lighthouse"), _url(pilot))],
    )
    assert (card.board_id, card.text) == (board.pk, text)
    assert not AuditEvent.objects.filter(object_type="pilots.retrocard").exists()


def test_it_adds_a_card_through_the_action_without_an_audit_row(personas, pilot):
    board = _board(pilot)
    before = AuditEvent.objects.count()
    card = assert_unlinkable(
        model=RetroCard,
        create=lambda: actions_retro.add_card(
            actor=personas.lighthouse, board=board, column="harder", text="Larm fra køkkenet under mødet."
        ),
        person=personas.lighthouse,
    )
    assert card.column == "harder"
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_card_from_someone_outside_the_teams(personas, pilot):
    board = _board(pilot)
    with pytest.raises(Http404):
        actions_retro.add_card(actor=personas.med, board=board, column="worked", text="Det gik godt.")
    assert not RetroCard.objects.exists()


def test_it_refuses_a_card_once_the_cards_are_closed(personas, pilot):
    board = _board(pilot, Phase.GROUPING)
    with pytest.raises(ValidationError):
        actions_retro.add_card(actor=personas.employee, board=board, column="worked", text="For sent.")
    assert not RetroCard.objects.exists()


def test_it_keeps_the_text_and_shows_the_error_beside_the_field_for_a_bad_card(client_for, pilot):
    _board(pilot)
    response = client_for("employee").post(
        _url(pilot, "pilots:retro_card"), {"column": "worked", "text": "Borgeren 150372-1240 blev nævnt"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Fejl:" in body and "form-error-message" in body
    assert not RetroCard.objects.exists()
    empty = client_for("employee").post(_url(pilot, "pilots:retro_card"), {"column": "", "text": "Godt forløb"})
    assert empty.status_code == 400 and "Godt forløb" in empty.content.decode()


def test_it_stops_once_at_a_colleagues_name_on_an_anonymous_card(client_for, pilot):
    _board(pilot)
    response = client_for("employee").post(
        _url(pilot, "pilots:retro_card"), {"column": "harder", "text": "Tina Teamleder rettede alt for meget."}
    )
    assert response.status_code == 400
    assert not RetroCard.objects.exists()


def test_it_saves_a_card_posted_twice_once(client_for, pilot):
    _board(pilot)
    client = client_for("employee")
    data = {"column": "worked", "text": "Et godt udkast at starte fra.", "submission_token": "a" * 32}
    client.post(_url(pilot, "pilots:retro_card"), data)
    client.post(_url(pilot, "pilots:retro_card"), data)
    assert RetroCard.objects.count() == 1


# --- Grouping ------------------------------------------------------------------------------------


def test_it_groups_cards_of_a_column_under_a_heading_and_audits_it(personas, pilot):
    board = _board(pilot, Phase.GROUPING)
    add_cards(board, 8)
    worked = list(RetroCard.objects.filter(board=board, column="worked"))
    group = actions_retro.group_cards(actor=personas.team_leader, board=board, cards=worked, heading="Tid", into=None)
    assert set(RetroCard.objects.filter(group=group)) == set(worked)
    event = AuditEvent.objects.get(action="pilots.retro.group")
    assert event.actor == personas.team_leader and event.changes["cards"] == len(worked)


def test_it_refuses_grouping_cards_of_two_columns_or_without_a_heading(personas, pilot):
    board = _board(pilot, Phase.GROUPING)
    add_cards(board, 4)
    cards = list(RetroCard.objects.filter(board=board))
    with pytest.raises(ValidationError):
        actions_retro.group_cards(actor=personas.team_leader, board=board, cards=cards, heading="Alt", into=None)
    with pytest.raises(ValidationError):
        actions_retro.group_cards(actor=personas.team_leader, board=board, cards=cards[:1], heading=" ", into=None)
    assert not RetroGroup.objects.exists()


def test_it_lets_only_whoever_runs_the_board_group_cards(personas, pilot):
    board = _board(pilot, Phase.GROUPING)
    add_cards(board, 4)
    with pytest.raises(Http404):
        actions_retro.group_cards(
            actor=personas.employee, board=board, cards=list(RetroCard.objects.all()[:1]), heading="X", into=None
        )


def test_it_makes_a_group_of_every_lone_card_when_voting_starts(personas, pilot):
    board = _board(pilot, Phase.GROUPING)
    add_cards(board, 6)
    actions_retro.move_phase(actor=personas.team_leader, board=board)
    assert RetroGroup.objects.filter(board=board).count() == 6
    assert not RetroCard.objects.filter(board=board, group__isnull=True).exists()


# --- Dots ----------------------------------------------------------------------------------------


def _voting_board(pilot: Pilot) -> tuple[RetroBoard, list[RetroGroup]]:
    board = _board(pilot, Phase.VOTING)
    groups = [
        RetroGroup.objects.create(municipality=board.municipality, board=board, column=c, heading=f"Emne {c}")
        for c in ("worked", "harder")
    ]
    return board, groups


def test_it_gives_each_participant_three_dots_and_no_more(personas, pilot):
    _unused, (first, second) = _voting_board(pilot)
    assert actions_retro.cast_vote(actor=personas.employee, group=first) == 2
    assert actions_retro.cast_vote(actor=personas.employee, group=first) == 1
    assert actions_retro.cast_vote(actor=personas.employee, group=second) == 0
    with pytest.raises(actions_retro.BudgetSpent):
        actions_retro.cast_vote(actor=personas.employee, group=second)
    assert actions_retro.cast_vote(actor=personas.lighthouse, group=second) == 2
    assert RetroVote.objects.filter(group=first).count() == 2
    assert RetroVote.objects.filter(group=second).count() == 2
    assert RetroVoteReceipt.objects.count() == 2


def test_it_stores_no_identity_with_a_dot(personas, client_for, pilot):
    _unused, (group, _other) = _voting_board(pilot)
    client = client_for("employee")
    assert_unlinkable(
        model=RetroVote,
        create=lambda: client.post(_url(pilot, "pilots:retro_vote"), {"gruppe": group.pk}),
        person=personas.employee,
        client=client,
        extra_urls=[(client_for("team_leader"), _url(pilot))],
    )
    vote = assert_unlinkable(
        model=RetroVote,
        create=lambda: actions_retro.cast_vote(actor=personas.lighthouse, group=group),
        person=personas.lighthouse,
    )
    assert vote.group_id == group.pk
    # The receipt holds a digest and a count: no board, group, card, person or time.
    receipt_fields = {f.name for f in RetroVoteReceipt._meta.concrete_fields}
    assert receipt_fields == {"id", "municipality", "key", "used"}
    assert not AuditEvent.objects.filter(object_type="pilots.retrovote").exists()


def test_it_shows_how_many_dots_are_left(client_for, pilot):
    _unused, (group, _other) = _voting_board(pilot)
    client = client_for("employee")
    assert "Du har 3 prikker tilbage." in client.get(_url(pilot)).content.decode()
    client.post(_url(pilot, "pilots:retro_vote"), {"gruppe": group.pk})
    page = client.get(_url(pilot)).content.decode()
    assert "Du har 2 prikker tilbage." in page
    assert "1 prik er sat indtil nu." in page


def test_it_refuses_a_dot_outside_the_voting_phase(personas, pilot):
    board, (group, _other) = _voting_board(pilot)
    RetroBoard.objects.filter(pk=board.pk).update(phase=Phase.DISCUSSION)
    group.refresh_from_db()
    with pytest.raises(ValidationError):
        actions_retro.cast_vote(actor=personas.employee, group=group)
    assert not RetroVote.objects.exists() and not RetroVoteReceipt.objects.exists()


def test_it_counts_the_dots_when_the_discussion_starts(personas, pilot):
    board, (first, second) = _voting_board(pilot)
    for _ in range(3):
        actions_retro.cast_vote(actor=personas.employee, group=first)
    actions_retro.cast_vote(actor=personas.lighthouse, group=second)
    actions_retro.move_phase(actor=personas.team_leader, board=board)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.votes, second.votes) == (3, 1)


# --- Discussion, decision, actions ---------------------------------------------------------------


def test_it_saves_a_discussion_note_and_audits_it(personas, pilot):
    board, (group, _other) = _voting_board(pilot)
    RetroBoard.objects.filter(pk=board.pk).update(phase=Phase.DISCUSSION)
    group.refresh_from_db()
    actions_retro.save_note(actor=personas.team_leader, group=group, note="Vi prøver det lille mødelokale.")
    group.refresh_from_db()
    assert group.note == "Vi prøver det lille mødelokale."
    assert AuditEvent.objects.filter(action="pilots.retro.note").count() == 1


def test_it_closes_the_pilot_with_the_decision(personas, pilot):
    board = _board(pilot, Phase.DECISION)
    actions_retro.decide(actor=personas.executive, board=board, decision="adjust", note="Lyden skal løses først.")
    pilot.refresh_from_db()
    board.refresh_from_db()
    assert (pilot.status, pilot.decision, pilot.decision_note) == ("closed", "adjust", "Lyden skal løses først.")
    assert board.phase == Phase.ACTIONS
    change = PilotStatusChange.objects.get(pilot=pilot)
    assert (change.from_status, change.to_status, change.decided_by) == ("evaluating", "closed", personas.executive)
    assert AuditEvent.objects.filter(action="pilot.close", actor=personas.executive).count() == 1


def test_it_leaves_the_decision_to_whoever_the_decision_rights_name(personas, pilot):
    board = _board(pilot, Phase.DECISION)
    with pytest.raises(Http404):
        actions_retro.decide(actor=personas.team_leader, board=board, decision="scale", note="Det virker.")
    pilot.refresh_from_db()
    assert pilot.status == "evaluating"


def test_it_refuses_a_decision_without_a_reason_and_saves_nothing(personas, pilot):
    board = _board(pilot, Phase.DECISION)
    with pytest.raises(ValidationError) as refused:
        actions_retro.decide(actor=personas.executive, board=board, decision="stop", note="  ")
    assert "note" in refused.value.message_dict
    pilot.refresh_from_db()
    assert pilot.status == "evaluating" and not PilotStatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="pilots.").exists()


def test_it_adds_an_action_with_an_owner_from_the_teams_and_tells_them(personas, pilot):
    board = _board(pilot, Phase.ACTIONS)
    due = timezone.localdate() + datetime.timedelta(days=14)
    action = actions_retro.add_action(
        actor=personas.team_leader, board=board, what="Lave en ordliste", owner=personas.employee, due_on=due
    )
    assert (action.owner, action.due_on) == (personas.employee, due)
    assert Notification.objects.filter(recipient=personas.employee, kind="pilot.retro_action").count() == 1
    assert AuditEvent.objects.filter(action="pilots.retro.action").count() == 1


def test_it_refuses_an_owner_outside_the_teams_and_a_date_in_the_past(personas, pilot):
    board = _board(pilot, Phase.ACTIONS)
    with pytest.raises(ValidationError) as refused:
        actions_retro.add_action(
            actor=personas.team_leader,
            board=board,
            what="Noget",
            owner=personas.med,
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert set(refused.value.message_dict) == {"owner", "due_on"}
    assert not RetroAction.objects.exists()


# --- The page refreshes itself -------------------------------------------------------------------


def test_it_polls_the_board_every_three_seconds_and_offers_a_plain_refresh_link(client_for, pilot):
    _board(pilot)
    page = client_for("employee").get(_url(pilot)).content.decode()
    assert 'hx-trigger="every 3s"' in page and f'hx-get="{_url(pilot)}?fase=cards"' in page
    assert f'href="{_url(pilot)}"' in page


def test_it_answers_htmx_with_the_board_alone(client_for, pilot):
    board = _board(pilot)
    add_cards(board, 4)
    response = client_for("employee").get(_url(pilot) + "?fase=cards", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<div id="retro-board"') and "<html" not in body and "Kort nummer 0" in body
    assert "HX-Request" in response["Vary"]


def test_it_reloads_the_whole_page_when_the_phase_has_changed(client_for, pilot):
    _board(pilot, Phase.VOTING)
    response = client_for("employee").get(_url(pilot) + "?fase=cards", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_it_refreshes_the_board_in_a_fixed_number_of_queries(personas, client_for, pilot):
    board = _board(pilot, Phase.VOTING)
    add_cards(board, 4, grouped=True)
    client = client_for("employee")
    url = _url(pilot) + "?fase=voting"
    with count_queries() as before:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    add_cards(board, 40, grouped=True)
    add_cards(board, 40)
    with count_queries() as after:
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    assert len(after) == len(before) <= 14


def test_it_keeps_the_page_still_for_whoever_types_into_it(client_for, pilot):
    board = _board(pilot, Phase.GROUPING)
    add_cards(board, 4)
    page = client_for("team_leader").get(_url(pilot)).content.decode()
    assert "every 3s" not in page and "Saml kortene" in page
    assert "every 3s" in client_for("employee").get(_url(pilot)).content.decode()


def test_it_runs_a_whole_retrospective_through_the_pages(personas, client_for, pilot):
    people = ("team_leader", "employee", "lighthouse", "executive")
    leader, employee, lighthouse, executive = (client_for(who) for who in people)
    assert leader.post(_url(pilot, "pilots:retro_open")).status_code == 302
    for client, column, text in (
        (employee, "worked", "Referatet kom samme dag."),
        (lighthouse, "worked", "Vi sparede tid på renskrivning."),
        (employee, "harder", "Larm i personalerummet."),
    ):
        client.post(_url(pilot, "pilots:retro_card"), {"column": column, "text": text})
    assert RetroCard.objects.count() == 3
    leader.post(_url(pilot, "pilots:retro_phase"), {"til": "frem"})
    worked = RetroCard.objects.filter(column="worked")
    leader.post(
        _url(pilot, "pilots:retro_group"),
        {"kolonne": "worked", "worked-cards": [str(c.pk) for c in worked], "worked-heading": "Tid sparet"},
    )
    group = RetroGroup.objects.get(heading="Tid sparet")
    leader.post(_url(pilot, "pilots:retro_phase"), {"til": "frem"})
    for _ in range(3):
        employee.post(_url(pilot, "pilots:retro_vote"), {"gruppe": group.pk})
    lighthouse.post(_url(pilot, "pilots:retro_vote"), {"gruppe": group.pk})
    leader.post(_url(pilot, "pilots:retro_phase"), {"til": "frem"})
    group.refresh_from_db()
    assert group.votes == 4
    leader.post(_url(pilot, "pilots:retro_note"), {"gruppe": group.pk, f"g{group.pk}-note": "Det bliver."})
    leader.post(_url(pilot, "pilots:retro_phase"), {"til": "frem"})
    executive.post(_url(pilot, "pilots:retro_decide"), {"decision": "scale", "note": "Det virker i begge teams."})
    pilot.refresh_from_db()
    assert (pilot.status, pilot.decision) == ("closed", "scale")
    due = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    leader.post(
        _url(pilot, "pilots:retro_action"), {"what": "Dele skabelonen", "owner": personas.lighthouse.pk, "due_on": due}
    )
    leader.post(_url(pilot, "pilots:retro_phase"), {"til": "slut"})
    board = RetroBoard.objects.get(pilot=pilot)
    assert board.phase == Phase.DONE and board.closed_at is not None
    page = employee.get(_url(pilot)).content.decode()
    assert "Tid sparet" in page and "Det bliver." in page and "Dele skabelonen" in page
    assert "every 3s" not in page


# --- Home page and the pilot's page ---------------------------------------------------------------


def test_it_puts_an_open_board_under_det_venter_paa_dig_for_the_teams_only(personas, pilot):
    _board(pilot)
    labels = [str(i.label) for i in waiting_retro.items_for(personas.employee)]
    assert labels == [f"Skriv dine kort på retrospektivet for {pilot.title}"]
    assert waiting_retro.items_for(personas.med) == []
    assert waiting_retro.items_for(personas.team_leader) != []
    RetroBoard.objects.update(phase=Phase.DONE)
    assert waiting_retro.items_for(personas.employee) == []


def test_it_reminds_the_leader_to_open_the_retrospective_of_an_evaluating_pilot(personas, pilot):
    labels = [str(i.label) for i in waiting_retro.items_for(personas.team_leader)]
    assert labels == [f"Åbn retrospektivet for {pilot.title}"]
    assert waiting_retro.items_for(personas.employee) == []


def test_it_finds_the_boards_of_teams_below_the_pilots_unit(personas):
    wide = make_pilot(personas.municipality, units=[personas.institution], leader=personas.centre_chief)
    make_board(wide)
    assert len(waiting_retro.items_for(personas.employee)) == 1
    assert len(waiting_retro.items_for(personas.med)) == 1
    assert waiting_retro.items_for(personas.it) == []


def test_it_leaves_out_boards_reached_only_through_an_inactive_unit(personas):
    wide = make_pilot(personas.municipality, units=[personas.institution], leader=personas.centre_chief)
    make_board(wide)
    sub_team = make_unit(personas.municipality, "Team Stjerne", personas.institution)
    newcomer = make_person(personas.municipality, "Ny Kollega", unit=sub_team)
    assert len(waiting_retro.items_for(newcomer)) == 1
    sub_team.is_active = False
    sub_team.save(update_fields=["is_active"])
    newcomer = Person.objects.get(pk=newcomer.pk)  # a new request reads the placements again
    assert waiting_retro.items_for(newcomer) == []


def test_it_reminds_the_leader_only_while_the_pilot_has_no_board(personas, pilot):
    board = _board(pilot, phase=Phase.DONE)
    assert waiting_retro.items_for(personas.team_leader) == []
    board.delete()
    other = make_pilot(personas.municipality, units=[personas.other_team], leader=personas.team_leader, title="Ny")
    _board(other, phase=Phase.VOTING)
    labels = [str(i.label) for i in waiting_retro.items_for(personas.team_leader)]
    # The leader is not placed in Team Måne: their own pilot's board is shown for leading it.
    assert labels == [f"Åbn retrospektivet for {pilot.title}", "Retrospektivet for Ny er i gang"]


def test_it_finds_waiting_boards_in_a_fixed_number_of_queries(personas, pilot):
    _board(pilot)
    core_queries.placements(personas.employee)  # the home page has read them already
    with count_queries() as before:
        list(waiting_retro.items_for(personas.employee))
    for n in range(5):
        make_board(make_pilot(personas.municipality, units=[personas.team], leader=personas.team_leader, title=f"P{n}"))
    with count_queries() as after:
        assert len(waiting_retro.items_for(personas.employee)) == waiting_retro.MAX_BOARDS
    assert len(before) == len(after) == 1


def test_it_hides_the_dots_outside_a_team_too_small_to_show_them(personas, pilot):
    board = _board(pilot, Phase.DONE)
    add_cards(board, 3, grouped=True)
    RetroGroup.objects.update(votes=3)
    outside = queries_retro.retro_panel(personas.med, pilot)
    assert [t.dots for t in outside.top] == [SUPPRESSED]
    inside = queries_retro.retro_panel(personas.employee, pilot)
    assert [t.dots for t in inside.top] == [3]
    personas.municipality.k_min = 3
    personas.municipality.save()
    med = type(personas.med).objects.get(pk=personas.med.pk)
    assert [t.dots for t in queries_retro.retro_panel(med, pilot).top] == [3]


def test_it_renders_the_panel_for_the_pilots_page(personas, pilot):
    from django.template.loader import render_to_string

    board = _board(pilot, Phase.DONE)
    add_cards(board, 2, grouped=True)
    html = render_to_string("pilots/_retro_panel.html", {"panel": queries_retro.retro_panel(personas.med, pilot)})
    assert "Samlet" in html and "for få svar" in html and "Se tavlen" not in html


def test_it_refuses_everything_for_the_other_municipality(personas, pilot):
    board = _board(pilot)
    client = Client()
    client.force_login(personas.outsider.user)
    assert client.post(_url(pilot, "pilots:retro_card"), {"column": "worked", "text": "Hej"}).status_code == 404
    with pytest.raises(Http404):
        actions_retro.add_card(actor=personas.outsider, board=board, column="worked", text="Hej")
    assert not RetroCard.objects.exists()


# --- Demo ----------------------------------------------------------------------------------------


def test_it_loads_a_finished_retrospective_and_an_open_board_once(personas):
    from forankring.pilots import demo_retro
    from tests.factories import make_person, make_unit, make_use_case

    m = personas.municipality
    havnen = make_unit(m, "Distrikt Havnen", personas.institution)
    bakken = make_unit(m, "Distrikt Bakken", personas.institution)
    myretuen = make_unit(m, "Team Myretuen", personas.institution)
    make_person(m, "Hanne Hjemmepleje", unit=havnen, leader=True)
    make_person(m, "Bo Bakke", unit=bakken)
    make_use_case(m, title="Skrive referat af teammøder", unit=havnen)
    logins = {"direktion": personas.executive, "teamleder": make_person(m, "Tove Myre", unit=myretuen, leader=True)}
    demo_retro.load(m, logins)
    demo_retro.load(m, logins)
    closed = Pilot.objects.get(municipality=m, title=demo_retro.CLOSED_TITLE)
    assert (closed.status, closed.decision) == ("closed", "adjust")
    board = RetroBoard.objects.get(pilot=closed)
    assert board.phase == Phase.DONE
    assert RetroCard.objects.filter(board=board).count() == sum(len(t[4]) for t in demo_retro.CLOSED_TOPICS)
    assert RetroVote.objects.filter(board=board).count() == sum(t[2] for t in demo_retro.CLOSED_TOPICS)
    assert RetroAction.objects.filter(board=board).count() == 3
    evaluating = Pilot.objects.get(municipality=m, title=demo_retro.OPEN_TITLE)
    assert evaluating.status == "evaluating"
    assert RetroBoard.objects.get(pilot=evaluating).phase == Phase.CARDS
    assert RetroCard.objects.filter(board__pilot=evaluating).count() == len(demo_retro.OPEN_CARDS)
    assert Pilot.objects.filter(municipality=m).count() == 2
