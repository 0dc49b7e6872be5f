"""Rollouts for a generated large municipality, in proportion to its organisation.

About one team in eight has a rollout of an approved tool, owned by the team's leader and
started within the last two months; the weeks that have passed are mostly ticked off, and about
four in ten of the team's members have noted their one concrete problem. Bulk-written."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Membership, Municipality, Unit
from forankring.direction.models import Tool

from .models import ConcreteProblem, Rollout, RolloutWeek
from .models.rollout import PLAN_WEEKS

PROBLEMS = [
    "Referatet af teammødet tager mig for lang tid.",
    "Jeg skriver de samme svar til borgerne igen og igen.",
    "Ugeplanen starter altid fra et tomt ark.",
    "Det er svært at finde rundt i de lange vejledninger.",
]


def add_to_generated(municipality: Municipality, *, rng: random.Random) -> dict[str, int]:
    m = municipality
    tools = list(Tool.objects.filter(municipality=m, status=Tool.Status.APPROVED).order_by("pk"))
    units = list(Unit.objects.filter(municipality=m, is_active=True).order_by("path"))
    if not tools or not units:
        return {}
    max_depth = max(u.depth for u in units)
    teams = [u for u in units if u.depth == max_depth]
    leader_of: dict[int, int] = {}
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id, is_leader in Membership.objects.filter(municipality=m).values_list(
        "unit_id", "person_id", "is_leader"
    ):
        if is_leader:
            leader_of.setdefault(unit_id, person_id)
        members[unit_id].append(person_id)
    today = timezone.localdate()
    now = timezone.now()
    rollouts = [
        Rollout(
            municipality=m,
            tool=rng.choice(tools),
            unit=team,
            owner_id=leader_of.get(team.pk),
            purpose="Skrivearbejde i hverdagen, så der bliver mere tid til kerneopgaven.",
            starts_on=today - datetime.timedelta(days=rng.randrange(0, 60)),
        )
        for team in teams
        if rng.random() < 1 / 8
    ]
    Rollout.objects.bulk_create(rollouts, batch_size=1000)
    weeks, problems = [], []
    for rollout in rollouts:
        passed = min(PLAN_WEEKS, (today - rollout.starts_on).days // 7)
        weeks += [
            RolloutWeek(municipality=m, rollout=rollout, week=n, note="Det gik fint.", done_at=now)
            for n in range(1, passed + 1)
            if rollout.owner_id and rng.random() < 0.8
        ]
        problems += [
            ConcreteProblem(
                municipality=m, rollout=rollout, person_id=pk, text=rng.choice(PROBLEMS), solved=rng.random() < 0.3
            )
            for pk in members[rollout.unit_id]
            if rng.random() < 0.4
        ]
    RolloutWeek.objects.bulk_create(weeks, batch_size=1000)
    ConcreteProblem.objects.bulk_create(problems, batch_size=1000)
    return {"udrulninger": len(rollouts), "uger i planen": len(weeks), "konkrete problemer": len(problems)}


def add_rollouts(target: Target) -> str:
    """The hook `manage.py generate_municipality` calls (registered in apps.py)."""
    added = add_to_generated(target.municipality, rng=target.rng)
    return ", ".join(f"{count} {kind}" for kind, count in added.items())
