"""The retrospective's reads: access-checked, municipality-filtered, a fixed few queries each.

The board refreshes itself every three seconds on every phone in the meeting, so `board_view`
costs the same whether a board holds five cards or five hundred."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac

from forankring.core import access
from forankring.core import queries as core_queries
from forankring.core.models import Membership, Person, Unit, ids_in_path
from forankring.direction import rules as direction_rules
from forankring.privacy import suppression
from forankring.privacy.queries import enough_people

from .models import Pilot
from .models.retro import (
    DOT_BUDGET,
    OPENS_DAYS_BEFORE_END,
    RetroAction,
    RetroBoard,
    RetroCard,
    RetroColumn,
    RetroGroup,
    RetroVote,
    RetroVoteReceipt,
)

_SALT = "forankring.pilots.retro.vote"
PilotUnit = Pilot.units.through
DECISION_AREA = "scale_or_stop"


def receipt_key(*, person: Person, board: RetroBoard) -> str:
    """The opaque key of a person's dot budget on a board (see RetroVoteReceipt)."""
    return salted_hmac(_SALT, f"{board.pk}:{person.pk}", algorithm="sha256").hexdigest()


@dataclass
class Retro:
    """A pilot's retrospective as one person may use it."""

    person: Person
    pilot: Pilot
    board: RetroBoard | None
    teams: list[Unit]
    in_teams: bool
    deciding_roles: list[str]

    @property
    def team_paths(self) -> list[str]:
        return [u.path for u in self.teams]

    @property
    def takes_part(self) -> bool:
        return access.takes_part_in_retro(self.person, in_teams=self.in_teams, leader_id=self.pilot.leader_id)

    @property
    def runs(self) -> bool:
        return access.can_run_retro(
            self.person,
            leader_id=self.pilot.leader_id,
            deciding_roles=self.deciding_roles,
            team_paths=self.team_paths,
        )

    @property
    def decides(self) -> bool:
        return access.can_decide_pilot_outcome(self.person, self.deciding_roles, self.team_paths)

    @property
    def may_see(self) -> bool:
        return self.takes_part or self.runs

    @property
    def phase(self) -> str:
        return self.board.phase if self.board is not None else ""

    @property
    def can_open(self) -> bool:
        return self.board is None and self.runs and may_open(self.pilot)


def may_open(pilot: Pilot, today: datetime.date | None = None) -> bool:
    """A board opens when the pilot is evaluating, or running with a week or less to go."""
    today = today or timezone.localdate()
    if pilot.status == Pilot.Status.EVALUATING:
        return True
    return pilot.status == Pilot.Status.RUNNING and pilot.ends_on <= today + datetime.timedelta(
        days=OPENS_DAYS_BEFORE_END
    )


def _teams_of(person: Person, pilot: Pilot) -> tuple[list[Unit], bool]:
    """The pilot's teams, and whether the person is placed in one of them or below: one query."""
    placed = Membership.objects.filter(
        municipality_id=person.municipality_id,
        person_id=person.pk,
        unit__is_active=True,
        unit__path__startswith=OuterRef("path"),
    )
    teams = list(pilot.units.annotate(has_me=Exists(placed)).order_by("path"))
    return teams, any(getattr(u, "has_me", False) for u in teams)


def retro_facts(person: Person, pilot: Pilot, board: RetroBoard | None = None, *, find_board: bool = True) -> Retro:
    if pilot.municipality_id != person.municipality_id:
        access.deny()
    if board is None and find_board:
        board = RetroBoard.objects.filter(municipality_id=person.municipality_id, pilot=pilot).first()
    teams, in_teams = _teams_of(person, pilot)
    roles = direction_rules.who_decides(person.municipality, DECISION_AREA)
    return Retro(person, pilot, board, teams, in_teams, roles)


def get_retro_for(person: Person, pilot_pk: int) -> Retro:
    """The pilot's retrospective for someone who may see it; 404 for anyone else."""
    pilot = (
        Pilot.objects.filter(municipality_id=person.municipality_id, pk=pilot_pk)
        .select_related("leader", "use_case")
        .first()
    )
    if pilot is None:
        access.deny()
    retro = retro_facts(person, pilot)
    if not retro.may_see:
        access.deny()
    return retro


# --- The board --------------------------------------------------------------------------------


@dataclass
class Topic:
    """A group of cards (or, before grouping, nothing); what is voted on and discussed."""

    group: RetroGroup
    cards: list[RetroCard] = field(default_factory=list)
    # On the pilot's page: the dots, or suppression.SUPPRESSED outside a team too small to show them.
    dots: object = None

    @property
    def title(self) -> str:
        if self.group.heading:
            return self.group.heading
        return self.cards[0].text if self.cards else ""

    @property
    def has_heading(self) -> bool:
        return bool(self.group.heading)


@dataclass
class Column:
    key: str
    label: str
    cards: list[RetroCard] = field(default_factory=list)  # not in a group
    topics: list[Topic] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.cards) + sum(len(t.cards) for t in self.topics)


@dataclass
class BoardView:
    columns: list[Column]
    dots_left: int
    dots_cast: int
    actions: list[RetroAction]

    @property
    def card_count(self) -> int:
        return sum(c.count for c in self.columns)

    @property
    def ranked(self) -> list[Topic]:
        topics = [t for c in self.columns for t in c.topics]
        return sorted(topics, key=lambda t: (-t.group.votes, t.group.pk))


def board_view(retro: Retro) -> BoardView:
    """Everything the board shows, in five queries: groups, cards, the person's receipt, the
    number of dots cast so far, and the actions."""
    board = retro.board
    assert board is not None
    columns = {key: Column(key, str(label)) for key, label in RetroColumn.choices}
    groups = {g.pk: Topic(g) for g in RetroGroup.objects.filter(municipality_id=board.municipality_id, board=board)}
    for topic in groups.values():
        columns[topic.group.column].topics.append(topic)
    for card in RetroCard.objects.filter(municipality_id=board.municipality_id, board=board).in_display_order():
        if card.group_id in groups:
            groups[card.group_id].cards.append(card)
        else:
            columns[card.column].cards.append(card)
    if board.phase in (RetroBoard.Phase.GROUPING, RetroBoard.Phase.VOTING, RetroBoard.Phase.CARDS):
        for column in columns.values():
            column.topics.sort(key=lambda t: t.group.pk)
    else:
        for column in columns.values():
            column.topics.sort(key=lambda t: (-t.group.votes, t.group.pk))
    key = receipt_key(person=retro.person, board=board)
    receipt = RetroVoteReceipt.objects.filter(municipality_id=board.municipality_id, key=key).first()
    cast = RetroVote.objects.filter(municipality_id=board.municipality_id, board=board).count()
    actions = list(
        RetroAction.objects.filter(municipality_id=board.municipality_id, board=board).select_related("owner")
    )
    return BoardView(
        columns=list(columns.values()),
        dots_left=max(DOT_BUDGET - (receipt.used if receipt else 0), 0),
        dots_cast=cast,
        actions=actions,
    )


def team_members(retro: Retro) -> QuerySet[Person]:
    """Active people in the pilot's teams and below: who may own an action."""
    placed = Q()
    for path in retro.team_paths:
        placed |= Q(unit__path__startswith=path)
    members = Membership.objects.filter(placed, municipality_id=retro.pilot.municipality_id, unit__is_active=True)
    return Person.objects.filter(
        Q(pk__in=members.values("person_id")) | Q(pk=retro.pilot.leader_id),
        municipality_id=retro.pilot.municipality_id,
        is_active=True,
    ).order_by("name", "pk")


OPEN_PHASES = [phase for phase in RetroBoard.Phase.values if phase != RetroBoard.Phase.DONE]


def retros_waiting_for(person: Person) -> QuerySet[Pilot]:
    """Pilots with an open board whose teams the person is placed in (or below, in an active
    unit), or which they lead; and pilots they lead that are evaluating and have no board yet
    (to open it). One query, whatever the data. The person's places come from
    `core.queries.placements` (read once per request): a pilot's team covers them when it is a
    unit on one of their paths, so the test is `unit_id IN (...)`, not a prefix match per row.
    A pilot has at most one board (`retroboard_one_per_pilot`), so the board is a LEFT JOIN
    rather than two subqueries. Only what "Det venter på dig" shows is read: each pilot has its
    `pk`, `title` and `retro_phase`: the open board's phase, or None for no board."""
    ids: set[int] = set()
    for path in core_queries.placement_paths(person, active_only=True):
        ids.update(ids_in_path(path))
    mine = Q(leader_id=person.pk)
    if ids:
        mine |= Q(Exists(PilotUnit.objects.filter(pilot_id=OuterRef("pk"), unit_id__in=ids)))
    return (
        Pilot.objects.filter(mine, municipality_id=person.municipality_id)
        .annotate(retro_phase=F("retro_boards__phase"))
        .filter(
            Q(retro_phase__in=OPEN_PHASES)
            | Q(leader_id=person.pk, status=Pilot.Status.EVALUATING, retro_phase__isnull=True)
        )
        .only("pk", "title")
        .order_by("ends_on", "pk")
    )


# --- The panel on the pilot's page ------------------------------------------------------------


@dataclass
class RetroPanel:
    retro: Retro
    top: list[Topic]
    actions: list[RetroAction]

    @property
    def board(self) -> RetroBoard | None:
        return self.retro.board


PANEL_TOPICS = 3


def retro_panel(person: Person, pilot: Pilot) -> RetroPanel:
    """What the pilot's page shows about its retrospective (for everyone in the municipality):
    the board's state, its link for those who take part, and when it is done the topics that got
    the most dots (only those with a heading written by whoever ran it: a lone card's anonymous
    words stay on the board) and the actions. Dots are shown outside the teams only when a team
    holds at least K_MIN people. At most six queries."""
    retro = retro_facts(person, pilot)
    top: list[Topic] = []
    actions: list[RetroAction] = []
    board = retro.board
    if board is not None and board.phase in (
        RetroBoard.Phase.DISCUSSION,
        RetroBoard.Phase.DECISION,
        RetroBoard.Phase.ACTIONS,
        RetroBoard.Phase.DONE,
    ):
        groups = (
            RetroGroup.objects.filter(municipality_id=board.municipality_id, board=board)
            .exclude(heading="")
            .order_by("-votes", "pk")[:PANEL_TOPICS]
        )
        top = [Topic(g) for g in groups]
        actions = list(
            RetroAction.objects.filter(municipality_id=board.municipality_id, board=board).select_related("owner")
        )
    k_min = suppression.k_min_for(person.municipality)
    # Head counts are kept on the units (no query); nested teams would count twice, which only
    # errs towards showing: so the largest team alone must reach K_MIN.
    big_enough = any(enough_people(u, k_min) for u in retro.teams)
    show = retro.may_see or big_enough
    for topic in top:
        topic.dots = topic.group.votes if show else suppression.SUPPRESSED
    return RetroPanel(retro=retro, top=top, actions=actions)


def loose_cards_and_groups(board: RetroBoard, column: str) -> tuple[Any, Any]:
    """A column's cards not yet in a group (in the shuffled display order) and its groups."""
    cards = RetroCard.objects.filter(board=board, column=column, group__isnull=True).in_display_order()
    groups = RetroGroup.objects.filter(board=board, column=column).order_by("pk")
    return cards, groups


def group_on_board(board: RetroBoard, group_id: int | None) -> RetroGroup:
    """A group of this board (else 404), with the board already attached."""
    group = RetroGroup.objects.filter(municipality_id=board.municipality_id, board=board, pk=group_id or 0).first()
    if group is None:
        access.deny()
    group.board = board
    return group


def card_on_board(board: RetroBoard, card_id: uuid.UUID) -> RetroCard:
    """A card of this board (else 404), with the board already attached."""
    card = RetroCard.objects.filter(municipality_id=board.municipality_id, board=board, pk=card_id).first()
    if card is None:
        access.deny()
    card.board = board
    return card
