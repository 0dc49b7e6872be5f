"""What rollouts put under "Det venter på dig": for the owner, this week's prompt not yet
ticked off and the closing note when the four weeks are over; for everyone in the unit, their
own one concrete problem while the 30 days run. One query, whatever the data.

"In the unit" is read from the person's placements (`core.queries.placements`, which the home
page has already read): the rollout's unit is one of the units on their paths, the unit itself
or one above where they are placed, so the test is `unit_id IN (...)`, not a prefix match per
row. The weeks the owner has ticked off come as one number, a bit per week (a week is ticked
off at most once: `rolloutweek_once`), rather than as a subquery per week."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Power
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core import queries as core_queries
from forankring.core.models import Person, ids_in_path
from forankring.core.tracks import WaitingItem

from .models import ConcreteProblem, Rollout, RolloutWeek
from .models.rollout import ROLLOUT_DAYS
from .queries_rollout import PLAN, closing_due, current_week, day_of

# An owner who has not written the closing note is reminded for this long after the 30 days.
CLOSING_GRACE_DAYS = 60


def _ticked_weeks() -> Subquery:
    """The weeks ticked off as a bitmask: bit `week - 1` is set when that week is."""
    return Subquery(
        RolloutWeek.objects.filter(rollout=OuterRef("pk"))
        .order_by()
        .values("rollout")
        .annotate(mask=Sum(Power(2, F("week") - 1)))
        .values("mask")
    )


def _is_ticked(rollout: Rollout, week: int) -> bool:
    # PostgreSQL sums POWER() as a float, SQLite as an integer; NULL when nothing is ticked.
    return bool(int(rollout.ticked_weeks or 0) & (1 << (week - 1)))  # type: ignore[attr-defined]


def items_for(person: Person, *, today: datetime.date | None = None) -> list[WaitingItem]:
    today = today or timezone.localdate()
    ids: set[int] = set()
    for path in core_queries.placement_paths(person):
        ids.update(ids_in_path(path))
    concerns_me = Q(owner=person)
    if ids:
        concerns_me |= Q(unit_id__in=ids)
    rollouts = (
        Rollout.objects.filter(
            concerns_me,
            municipality_id=person.municipality_id,
            closed_at__isnull=True,
            starts_on__lte=today,
            starts_on__gte=today - datetime.timedelta(days=ROLLOUT_DAYS + CLOSING_GRACE_DAYS),
        )
        .annotate(
            ticked_weeks=_ticked_weeks(),
            has_problem=Exists(ConcreteProblem.objects.filter(rollout=OuterRef("pk"), person=person)),
        )
        .select_related("tool", "unit")
        .only("pk", "owner", "starts_on", "closed_at", "tool__name", "unit__name")
        .order_by("starts_on", "pk")[:10]
    )
    items: list[WaitingItem] = []
    for rollout in rollouts:
        name = str(rollout)
        if rollout.owner_id == person.pk:
            week = current_week(rollout, today)
            if closing_due(rollout, today):
                items.append(
                    WaitingItem(
                        _("Skriv afslutningsnoten for udrulningen af %(name)s") % {"name": name},
                        reverse("pilots:rollout_close", args=[rollout.pk]),
                    )
                )
            elif week and not _is_ticked(rollout, week):
                items.append(
                    WaitingItem(
                        _("Uge %(week)d i udrulningen af %(name)s: %(prompt)s")
                        % {"week": week, "name": name, "prompt": PLAN[week - 1].title},
                        reverse("pilots:rollout_week", args=[rollout.pk, week]),
                    )
                )
        is_member = rollout.unit_id in ids
        if is_member and not rollout.has_problem and day_of(rollout, today) < ROLLOUT_DAYS:
            items.append(
                WaitingItem(
                    _("Skriv dit ene konkrete problem, som du vil løse med %(tool)s") % {"tool": rollout.tool.name},
                    reverse("pilots:rollout_problem", args=[rollout.pk]),
                )
            )
    return items
