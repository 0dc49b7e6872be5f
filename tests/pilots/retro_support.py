"""Pilots and boards for the retrospective's tests, the access table and grow_organisation.

Written through the ORM (the actions are what the tests test). Named after the municipality, so
a leak to the other one is visible."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.models import Municipality, Person, Unit
from forankring.pilots.models import Pilot
from forankring.pilots.models.retro import RetroBoard, RetroCard, RetroColumn, RetroGroup, RetroVote
from forankring.practice.models import UseCase
from tests.factories import Personas, make_use_case


def make_pilot(
    municipality: Municipality,
    *,
    units: list[Unit],
    leader: Person,
    title: str | None = None,
    status: str = Pilot.Status.EVALUATING,
    ends_in_days: int = -1,
) -> Pilot:
    today = timezone.localdate()
    use_case = UseCase.objects.filter(municipality=municipality).first() or make_use_case(municipality, unit=units[0])
    pilot = Pilot.objects.create(
        municipality=municipality,
        title=title or f"AI til referater i {municipality.name}",
        use_case=use_case,
        leader=leader,
        created_by=leader,
        goal="Referatet er klar samme dag.",
        look_at="Tid og arbejdsmiljø.",
        starts_on=today - datetime.timedelta(weeks=4),
        ends_on=today + datetime.timedelta(days=ends_in_days),
        human_decides="Mødelederen godkender referatet.",
        status=status,
    )
    pilot.units.set(units)
    return pilot


def make_board(pilot: Pilot, *, phase: str = RetroBoard.Phase.CARDS, cards: int = 0) -> RetroBoard:
    board = RetroBoard.objects.create(municipality_id=pilot.municipality_id, pilot=pilot, phase=phase)
    add_cards(board, cards)
    return board


def add_cards(board: RetroBoard, n: int, *, grouped: bool = False) -> None:
    columns = RetroColumn.values
    group = None
    if grouped:
        group = RetroGroup.objects.create(
            municipality_id=board.municipality_id, board=board, column=columns[0], heading="Samlet"
        )
    have = RetroCard.objects.filter(board=board).count()
    RetroCard.objects.bulk_create(
        RetroCard(
            municipality_id=board.municipality_id,
            board=board,
            column=columns[0] if grouped else columns[i % 4],
            text=f"Kort nummer {i}",
            group=group,
        )
        for i in range(have, have + n)
    )
    if group is not None:
        RetroVote.objects.bulk_create(
            RetroVote(municipality_id=board.municipality_id, board=board, group=group) for _ in range(n)
        )


def retro_pilot(p: Personas, *, other: bool) -> Pilot:
    """The access table's pilot with an open board: Team Sol's in Testkommune (led by the team
    leader), the top unit's in Andenkommune (led by the outsider)."""
    m = p.other_municipality if other else p.municipality
    title = f"Retrospektiv i {m.name}"
    found = Pilot.objects.filter(municipality=m, title=title).first()
    if found is not None:
        return found
    pilot = make_pilot(
        m,
        units=[p.other_root if other else p.team],
        leader=p.outsider if other else p.team_leader,
        title=title,
    )
    make_board(pilot, cards=4)
    return pilot


def grow_retro(p: Personas, *, times: int) -> None:
    """The retrospective's share of a grown organisation: more boards on more pilots, and more
    cards and dots on the access table's boards."""
    for other in (False, True):
        pilot = retro_pilot(p, other=other)
        board = RetroBoard.objects.get(pilot=pilot)
        add_cards(board, 2 * times)
        add_cards(board, times, grouped=True)
    have = Pilot.objects.filter(municipality=p.municipality, title__startswith="Vækstpilot").count()
    for n in range(have, have + times):
        pilot = make_pilot(p.municipality, units=[p.other_team], leader=p.team_leader, title=f"Vækstpilot {n}")
        make_board(pilot, cards=3)
