"""Every change to a retrospective: one transactional function each (CONTRIBUTING.md).

Cards and dots are anonymous: `add_card` and `cast_vote` write no audit row, no notification
and no log line, and store no one (core/audit.py, privacy/anonymous.py). A dot is counted
against the person's budget in `RetroVoteReceipt` (an HMAC of board and person, and a count),
in a transaction of its own before the dot is saved in another, so the two rows never share a
transaction that could join them. Everything else (opening, phases, grouping, notes, the
decision, actions) is named and audited.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Person
from forankring.notifications.actions import notify
from forankring.privacy import ratelimit
from forankring.privacy.anonymous import today

from . import actions as pilot_actions
from . import queries_retro
from .models import Pilot
from .models.retro import (
    DOT_BUDGET,
    PHASE_ORDER,
    RetroAction,
    RetroBoard,
    RetroCard,
    RetroGroup,
    RetroVote,
    RetroVoteReceipt,
)
from .queries_retro import Retro

Phase = RetroBoard.Phase


class BudgetSpent(Exception):
    """The person has used all their dots on this board."""


def _record(actor: Person, action: str, obj: object, changes: dict[str, object] | None = None) -> None:
    audit.record(municipality=actor.municipality, actor=actor, action=action, obj=obj, changes=changes)  # type: ignore[arg-type]


def _facts(actor: Person, board: RetroBoard) -> Retro:
    if board.municipality_id != actor.municipality_id:
        access.deny()
    return queries_retro.retro_facts(actor, board.pilot, board)


def _must_run(actor: Person, board: RetroBoard) -> Retro:
    retro = _facts(actor, board)
    if not retro.runs:
        access.deny()
    return retro


def _in_phase(board: RetroBoard, *phases: str) -> None:
    if board.phase not in phases:
        raise ValidationError(_("Det kan ikke lade sig gøre i denne fase af retrospektivet."))


def _board_url(pilot: Pilot) -> str:
    return reverse("pilots:retro", kwargs={"pk": pilot.pk})


# --- Opening and phases -------------------------------------------------------------------------


def open_board(*, actor: Person, pilot: Pilot) -> RetroBoard:
    """Open the pilot's board and tell its teams. Refused (404) for anyone but who runs it;
    refused (ValidationError) while the pilot is not near its end, or when it has a board."""
    retro = queries_retro.retro_facts(actor, pilot)
    if not retro.runs:
        access.deny()
    if retro.board is not None:
        raise ValidationError(_("Afprøvningen har allerede et retrospektiv."))
    if not queries_retro.may_open(pilot):
        raise ValidationError(
            _("Retrospektivet kan åbnes, når afprøvningen evalueres, eller når der er en uge eller mindre tilbage.")
        )
    with transaction.atomic():
        board = RetroBoard(municipality_id=actor.municipality_id, pilot=pilot)
        board.full_clean()
        try:
            with transaction.atomic():
                board.save(force_insert=True)
        except IntegrityError:
            # Two people pressed "Åbn" at the same moment: the other one opened it.
            raise ValidationError(_("Afprøvningen har allerede et retrospektiv.")) from None
        _record(actor, "pilots.retro.open", board, {"pilot": pilot.title})
        notify(
            recipients=queries_retro.team_members(retro),
            kind="pilot.retro_opened",
            subject=pilot.title,
            url=_board_url(pilot),
            actor=actor,
        )
    return board


def move_phase(*, actor: Person, board: RetroBoard, forward: bool = True) -> RetroBoard:
    """One step on: cards → grouping → voting → discussion → decision. Back is only from grouping
    to cards (no dots are cast yet). The decision itself moves on to actions (`decide`), and
    `finish` ends the board."""
    _must_run(actor, board)
    with transaction.atomic():
        board = RetroBoard.objects.select_for_update().get(pk=board.pk)
        before = board.phase
        if forward:
            _in_phase(board, Phase.CARDS, Phase.GROUPING, Phase.VOTING, Phase.DISCUSSION)
            board.phase = PHASE_ORDER[PHASE_ORDER.index(before) + 1]
        else:
            _in_phase(board, Phase.GROUPING)
            board.phase = Phase.CARDS
        if board.phase == Phase.VOTING:
            _one_group_per_lone_card(board)
        if board.phase == Phase.DISCUSSION:
            _count_dots(board)
        board.full_clean()
        board.save(update_fields=["phase"])
        _record(actor, "pilots.retro.phase", board, audit.diff({"phase": before}, {"phase": board.phase}))
    return board


def _one_group_per_lone_card(board: RetroBoard) -> None:
    """Every card not in a group becomes a group of its own, so every topic is voted on alike."""
    lone = list(RetroCard.objects.filter(board=board, group__isnull=True).in_display_order())
    for card in lone:
        group = RetroGroup.objects.create(municipality_id=board.municipality_id, board=board, column=card.column)
        RetroCard.objects.filter(pk=card.pk).update(group=group)


def _count_dots(board: RetroBoard) -> None:
    counts = dict(
        RetroVote.objects.filter(board=board).values("group").annotate(n=Count("pk")).values_list("group", "n")
    )
    for group in RetroGroup.objects.filter(board=board):
        RetroGroup.objects.filter(pk=group.pk).update(votes=counts.get(group.pk, 0))


def finish(*, actor: Person, board: RetroBoard) -> RetroBoard:
    """Close the board once the decision is made and the actions are written."""
    _must_run(actor, board)
    with transaction.atomic():
        board = RetroBoard.objects.select_for_update().get(pk=board.pk)
        _in_phase(board, Phase.ACTIONS)
        board.phase = Phase.DONE
        board.closed_at = timezone.now()
        board.save(update_fields=["phase", "closed_at"])
        _record(actor, "pilots.retro.finish", board, audit.diff({"phase": Phase.ACTIONS}, {"phase": Phase.DONE}))
    return board


# --- Anonymous: cards and dots ----------------------------------------------------------------


def add_card(*, actor: Person, board: RetroBoard, column: str, text: str) -> RetroCard:
    """An anonymous card in one of the four columns, while the board takes cards.

    Not audited and tied to no one (see the module docstring). Raises ValidationError for bad
    input and ratelimit.RateLimited past the daily limit of anonymous posts."""
    retro = _facts(actor, board)
    if not retro.takes_part:
        access.deny()
    _in_phase(board, Phase.CARDS)
    card = RetroCard(municipality_id=actor.municipality_id, board=board, column=column, text=text, created_on=today())
    card.full_clean(exclude=["group"])
    # Counted before, and outside, the card's own transaction (privacy/ratelimit.py).
    ratelimit.hit(person=actor, scope="retro-card")
    with transaction.atomic():
        card.save(force_insert=True)
    return card


def cast_vote(*, actor: Person, group: RetroGroup) -> int:
    """Put one of the actor's dots on a group; return how many they have left.

    The budget is taken first, in its own transaction, with one conditional UPDATE (so two tabs
    at once cannot both take the last dot); then the dot is saved in a second transaction, and
    given back if that fails. Raises BudgetSpent when no dot is left."""
    board = group.board
    retro = _facts(actor, board)
    if not retro.takes_part or group.municipality_id != actor.municipality_id:
        access.deny()
    _in_phase(board, Phase.VOTING)
    key = queries_retro.receipt_key(person=actor, board=board)
    receipts = RetroVoteReceipt.objects.filter(municipality_id=actor.municipality_id, key=key)
    with transaction.atomic():
        if not receipts.exists():
            try:
                with transaction.atomic():
                    RetroVoteReceipt.objects.create(municipality_id=actor.municipality_id, key=key)
            except IntegrityError:
                pass  # the same person's other tab made it a moment ago
        taken = receipts.filter(used__lt=DOT_BUDGET).update(used=F("used") + 1)
    if not taken:
        raise BudgetSpent
    try:
        with transaction.atomic():
            vote = RetroVote(municipality_id=actor.municipality_id, board=board, group=group, created_on=today())
            vote.save(force_insert=True)
    except BaseException:
        receipts.filter(used__gt=0).update(used=F("used") - 1)
        raise
    return DOT_BUDGET - int(receipts.values_list("used", flat=True).first() or 0)


# --- Grouping and discussion (named, audited) ------------------------------------------------


def group_cards(
    *, actor: Person, board: RetroBoard, cards: Sequence[RetroCard], heading: str, into: RetroGroup | None
) -> RetroGroup:
    """Gather cards of one column under a heading: a new group, or an existing one of that
    column (whose heading changes when a new one is given)."""
    _must_run(actor, board)
    _in_phase(board, Phase.GROUPING)
    if not cards:
        raise ValidationError({"cards": _("Vælg de kort, der hører sammen.")})
    columns = {c.column for c in cards} | ({into.column} if into else set())
    if len(columns) != 1 or any(c.board_id != board.pk for c in cards) or (into and into.board_id != board.pk):
        raise ValidationError({"cards": _("Vælg kort fra samme kolonne.")})
    heading = heading.strip()
    if into is None and not heading:
        raise ValidationError({"heading": _("Giv gruppen en kort overskrift.")})
    with transaction.atomic():
        group = into or RetroGroup(municipality_id=actor.municipality_id, board=board, column=columns.pop())
        before = {"heading": group.heading}
        if heading:
            group.heading = heading
        group.full_clean()
        group.save()
        RetroCard.objects.filter(board=board, pk__in=[c.pk for c in cards]).update(group=group)
        changes = audit.diff(before, {"heading": group.heading})
        changes["cards"] = len(cards)
        _record(actor, "pilots.retro.group", group, changes)
    return group


def ungroup_card(*, actor: Person, card: RetroCard) -> None:
    """Take a card out of its group again (while grouping); an empty group goes away."""
    board = card.board
    _must_run(actor, board)
    _in_phase(board, Phase.GROUPING)
    group = card.group
    if group is None:
        return
    with transaction.atomic():
        RetroCard.objects.filter(pk=card.pk).update(group=None)
        _record(actor, "pilots.retro.ungroup", group, {"cards": 1})
        if not RetroCard.objects.filter(group=group).exists():
            group.delete()


def save_note(*, actor: Person, group: RetroGroup, note: str) -> RetroGroup:
    """What the meeting said about a topic, written by whoever runs the board."""
    board = group.board
    _must_run(actor, board)
    _in_phase(board, Phase.DISCUSSION, Phase.DECISION)
    with transaction.atomic():
        before = {"note": group.note}
        group.note = note.strip()
        group.full_clean()
        group.save(update_fields=["note"])
        _record(actor, "pilots.retro.note", group, audit.diff(before, {"note": group.note}))
    return group


# --- The decision and the actions -------------------------------------------------------------


def decide(*, actor: Person, board: RetroBoard, decision: str, note: str) -> Pilot:
    """Scale, adjust or stop, with a note: closes the pilot and moves the board on to actions.
    Only someone the decision rights name for "scale_or_stop" in the pilot's units decides."""
    retro = _facts(actor, board)
    if not retro.decides:
        access.deny()
    _in_phase(board, Phase.DECISION)
    errors = {}
    if decision not in Pilot.Decision.values:
        errors["decision"] = _("Vælg, om afprøvningen skal udbredes, justeres eller stoppes.")
    if not note.strip():
        errors["note"] = _("Skriv kort, hvorfor I beslutter det.")
    if errors:
        raise ValidationError(errors)
    pilot = board.pilot
    if pilot.status == Pilot.Status.CLOSED:
        raise ValidationError(_("Afprøvningen er allerede afsluttet."))
    with transaction.atomic():
        # The pilot part's own closing: the same rights, status check, history, audit and notices.
        pilot_actions.close_pilot(actor=actor, pilot=pilot, decision=decision, note=note)
        RetroBoard.objects.filter(pk=board.pk).update(phase=Phase.ACTIONS)
        board.phase = Phase.ACTIONS
        _record(actor, "pilots.retro.phase", board, audit.diff({"phase": Phase.DECISION}, {"phase": Phase.ACTIONS}))
    return pilot


def add_action(*, actor: Person, board: RetroBoard, what: str, owner: Person, due_on: datetime.date) -> RetroAction:
    """What we do now, with an owner from the pilot's teams and a due date. The owner is told."""
    retro = _must_run(actor, board)
    _in_phase(board, Phase.DECISION, Phase.ACTIONS)
    errors = {}
    if not queries_retro.team_members(retro).filter(pk=owner.pk).exists():
        errors["owner"] = _("Vælg en person fra afprøvningens teams.")
    if due_on < timezone.localdate():
        errors["due_on"] = _("Vælg en dato fra i dag og frem.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        action = RetroAction(
            municipality_id=actor.municipality_id, board=board, what=what.strip(), owner=owner, due_on=due_on
        )
        action.created_by = actor
        action.full_clean()
        action.save()
        _record(actor, "pilots.retro.action", action, {"owner": owner.name, "due_on": due_on.isoformat()})
        notify(
            recipients=[owner],
            kind="pilot.retro_action",
            subject=board.pilot.title,
            url=_board_url(board.pilot),
            actor=actor,
        )
    return action
