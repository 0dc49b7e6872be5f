"""The live retrospective that ends a pilot: a board per pilot, anonymous cards in four columns,
groups of similar cards, dot-votes that store no identity, discussion notes, the decision and
the actions that follow.

Who opens a board and when (decided here, checked in access.py):

* the pilot's responsible leader, or whoever track 1's decision rights name for
  "scale_or_stop" in a unit covering one of the pilot's teams (and administrators);
* when the pilot is evaluating, or running with at most `OPENS_DAYS_BEFORE_END` days left.

Privacy: `RetroCard` and `RetroVote` are anonymous contributions (no author, a random key, a
date only). The board and its groups carry no link to a person either, because an anonymous
model may not point at a row that does (privacy.checks): who opened the board and who grouped
the cards is in the audit log. The three-dots budget is kept in `RetroVoteReceipt`: an HMAC of
(board, person) and a count, with no card, no group and no time beside it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, TenantModel
from forankring.privacy.anonymous import AnonymousContribution
from forankring.privacy.fields import ScreenedCharField, ScreenedTextField

from .pilot import Pilot

# A participant's dots on one board.
DOT_BUDGET = 3
# A running pilot's board may be opened this many days before its end date.
OPENS_DAYS_BEFORE_END = 7


class RetroColumn(models.TextChoices):
    WORKED = "worked", _("Det virkede")
    EASIER = "easier", _("Det gjorde det lettere")
    HARDER = "harder", _("Det gjorde det sværere")
    NOW = "now", _("Det gør vi nu")


class RetroBoard(TenantModel):
    class Phase(models.TextChoices):
        CARDS = "cards", _("Kort")
        GROUPING = "grouping", _("Gruppering")
        VOTING = "voting", _("Prikker")
        DISCUSSION = "discussion", _("Drøftelse")
        DECISION = "decision", _("Beslutning")
        ACTIONS = "actions", _("Handlinger")
        DONE = "done", _("Afsluttet")

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="retro_boards")
    phase = models.CharField(_("fase"), max_length=12, choices=Phase.choices, default=Phase.CARDS)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("retrospektiv")
        verbose_name_plural = _("retrospektiver")
        constraints = [models.UniqueConstraint(fields=["municipality", "pilot"], name="retroboard_one_per_pilot")]
        indexes = [models.Index(fields=["municipality", "phase"], name="retroboard_phase_idx")]

    def __str__(self) -> str:
        return str(_("Retrospektiv for %(pilot)s") % {"pilot": self.pilot.title})

    @property
    def is_open(self) -> bool:
        return self.phase != self.Phase.DONE


PHASE_ORDER = [p.value for p in RetroBoard.Phase]


class RetroGroup(TenantModel):
    """Similar cards gathered under a short heading by whoever runs the board. A card left on its
    own becomes a group of one (without a heading) when voting starts, so every topic is voted on
    and discussed the same way."""

    board = models.ForeignKey(RetroBoard, on_delete=models.CASCADE, related_name="groups")
    column = models.CharField(_("kolonne"), max_length=8, choices=RetroColumn.choices)
    heading = ScreenedCharField(_("overskrift"), max_length=120, blank=True, anonymous=False)
    note = ScreenedTextField(_("det talte vi om"), max_length=2000, blank=True, anonymous=False)
    # Dots are counted once, when voting closes, so the discussion page reads a number.
    votes = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("gruppe af kort")
        verbose_name_plural = _("grupper af kort")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.heading or str(_("Gruppe"))


class RetroCard(AnonymousContribution):
    board = models.ForeignKey(RetroBoard, on_delete=models.CASCADE, related_name="cards")
    column = models.CharField(_("kolonne"), max_length=8, choices=RetroColumn.choices)
    text = ScreenedTextField(_("kort"), max_length=400, anonymous=True)
    group = models.ForeignKey(RetroGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="cards")

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("kort")
        verbose_name_plural = _("kort")
        indexes = [models.Index(fields=["board", "shuffle_key"], name="retrocard_board_idx")]

    def __str__(self) -> str:
        return str(self.get_column_display())


class RetroVote(AnonymousContribution):
    """One dot on a group. Nothing says whose it is; the budget lives in RetroVoteReceipt."""

    board = models.ForeignKey(RetroBoard, on_delete=models.CASCADE, related_name="votes")
    group = models.ForeignKey(RetroGroup, on_delete=models.CASCADE, related_name="dots")

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("prik")
        verbose_name_plural = _("prikker")
        indexes = [models.Index(fields=["board", "group"], name="retrovote_group_idx")]

    def __str__(self) -> str:
        return "dot"


class RetroVoteReceipt(TenantModel):
    """How many dots someone has used on some board: an HMAC of (board, person) under a key
    derived from SECRET_KEY, and a count. No board, card, group, person or time beside it, and a
    random primary key, so the rows say nothing about order or about what was voted for."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Not typed by anyone: written by pilots.actions_retro from salted_hmac (a hex digest).
    key = models.CharField(max_length=64, editable=False)
    used = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="retroreceipt_once")]

    def __str__(self) -> str:
        return "vote receipt"


class RetroAction(TenantModel):
    """What we do now: a named task with an owner from the pilot's teams and a due date."""

    board = models.ForeignKey(RetroBoard, on_delete=models.CASCADE, related_name="actions")
    what = ScreenedCharField(_("hvad gør vi"), max_length=200, anonymous=False)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarlig"))
    due_on = models.DateField(_("senest"))
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handling")
        verbose_name_plural = _("handlinger")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.what
