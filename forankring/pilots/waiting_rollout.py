"""What rollouts put under "Det venter på dig": for the owner, this week's prompt not yet
ticked off and the closing note when the four weeks are over; for everyone in the unit, their
own one concrete problem while the 30 days run. One query, whatever the data."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core.models import Membership, Person
from forankring.core.tracks import WaitingItem

from .models import ConcreteProblem, Rollout, RolloutWeek
from .models.rollout import PLAN_WEEKS, ROLLOUT_DAYS
from .queries_rollout import PLAN, closing_due, current_week, day_of

# An owner who has not written the closing note is reminded for this long after the 30 days.
CLOSING_GRACE_DAYS = 60


def items_for(person: Person, *, today: datetime.date | None = None) -> list[WaitingItem]:
    today = today or timezone.localdate()
    in_unit = Membership.objects.filter(
        municipality_id=person.municipality_id, person=person, unit__path__startswith=OuterRef("unit__path")
    )
    weeks = {
        f"week_{n}": Exists(RolloutWeek.objects.filter(rollout=OuterRef("pk"), week=n))
        for n in range(1, PLAN_WEEKS + 1)
    }
    rollouts = (
        Rollout.objects.filter(
            municipality_id=person.municipality_id,
            closed_at__isnull=True,
            starts_on__lte=today,
            starts_on__gte=today - datetime.timedelta(days=ROLLOUT_DAYS + CLOSING_GRACE_DAYS),
        )
        .filter(Q(owner=person) | Q(Exists(in_unit)))
        .annotate(
            **weeks,
            has_problem=Exists(ConcreteProblem.objects.filter(rollout=OuterRef("pk"), person=person)),
            is_member=Exists(in_unit),
        )
        .select_related("tool", "unit")
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
            elif week and not getattr(rollout, f"week_{week}"):
                items.append(
                    WaitingItem(
                        _("Uge %(week)d i udrulningen af %(name)s: %(prompt)s")
                        % {"week": week, "name": name, "prompt": PLAN[week - 1].title},
                        reverse("pilots:rollout_week", args=[rollout.pk, week]),
                    )
                )
        if rollout.is_member and not rollout.has_problem and day_of(rollout, today) < ROLLOUT_DAYS:  # type: ignore[attr-defined]
            items.append(
                WaitingItem(
                    _("Skriv dit ene konkrete problem, som du vil løse med %(tool)s") % {"tool": rollout.tool.name},
                    reverse("pilots:rollout_problem", args=[rollout.pk]),
                )
            )
    return items
