"""Track 4's pilots for a generated large municipality, in proportion: about one pilot per 150
people, in teams that lead them, spread over every status, with weekly pulses for the running
and evaluating ones (a few answers a week each). Everything is bulk-written."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Membership, Municipality, Unit
from forankring.practice.models import UseCase

from . import rules
from .models import Pilot, PilotPulse, PilotStatusChange, PulseAnswer

PEOPLE_PER_PILOT = 150
S, D = Pilot.Status, Pilot.Decision
STATUSES = [S.IDEA, S.IDEA, S.APPROVED, S.RUNNING, S.RUNNING, S.RUNNING, S.EVALUATING, S.CLOSED, S.CLOSED, S.CLOSED]
PULSE_WEEKS = 4


def add_to_generated(municipality: Municipality, *, people: int, rng: random.Random) -> dict[str, int]:
    m = municipality
    use_cases = list(UseCase.objects.filter(municipality=m).order_by("pk").values_list("pk", "unit_id"))
    units = list(Unit.objects.filter(municipality=m, is_active=True).order_by("path"))
    if not use_cases or not units:
        return {}
    max_depth = max(u.depth for u in units)
    teams = [u for u in units if u.depth == max_depth]
    leader_of: dict[int, int] = {}
    for unit_id, person_id in (
        Membership.objects.filter(municipality=m, is_leader=True).order_by("pk").values_list("unit_id", "person_id")
    ):
        leader_of.setdefault(unit_id, person_id)
    teams = [t for t in teams if t.pk in leader_of]
    if not teams:
        return {}
    wanted = max(1, people // PEOPLE_PER_PILOT)
    today = timezone.localdate()
    this_week = rules.week_of(today)
    pilots: list[Pilot] = []
    chosen: list[Unit] = []
    for n in range(wanted):
        team = rng.choice(teams)
        status = STATUSES[n % len(STATUSES)]
        weeks_ago = {S.IDEA: -1, S.APPROVED: -1, S.RUNNING: 2, S.EVALUATING: 5}.get(status, 12)
        starts = this_week - datetime.timedelta(weeks=weeks_ago)
        leader = leader_of[team.pk]
        pilots.append(
            Pilot(
                municipality=m,
                title=f"Afprøvning {n + 1} i {team.name}",
                use_case_id=rng.choice(use_cases)[0],
                leader_id=leader,
                goal="Mere tid til kerneopgaven.",
                look_at="Tid, kvalitet og arbejdsmiljø.",
                starts_on=starts,
                ends_on=starts + datetime.timedelta(weeks=4),
                small_and_safe=True,
                med_considered=True,
                human_decides="Medarbejderen godkender altid resultatet.",
                status=status,
                decision=rng.choice(D.values) if status == S.CLOSED else "",
                decision_note="Besluttet efter retrospektiven." if status == S.CLOSED else "",
                approved_by_id=leader if status != S.IDEA else None,
                approved_at=timezone.now() if status != S.IDEA else None,
                created_by_id=leader,
            )
        )
        chosen.append(team)
    Pilot.objects.bulk_create(pilots, batch_size=1000)
    Pilot.units.through.objects.bulk_create(
        [Pilot.units.through(pilot_id=p.pk, unit_id=t.pk) for p, t in zip(pilots, chosen, strict=True)],
        batch_size=1000,
    )
    PilotStatusChange.objects.bulk_create(
        (
            PilotStatusChange(
                municipality=m, pilot=p, from_status=S.IDEA, to_status=p.status, decided_by_id=p.created_by_id
            )
            for p in pilots
        ),
        batch_size=1000,
    )
    pulsing = [p for p in pilots if p.status in (S.RUNNING, S.EVALUATING)]
    pulses = [PilotPulse(municipality=m, pilot=p) for p in pulsing]
    PilotPulse.objects.bulk_create(pulses, batch_size=1000)
    members: dict[int, int] = defaultdict(int)
    for unit_id in Membership.objects.filter(municipality=m, unit__in=chosen).values_list("unit_id", flat=True):
        members[unit_id] += 1
    team_of = {p.pk: t for p, t in zip(pilots, chosen, strict=True)}
    answers = []
    for pulse in pulses:
        size = members[team_of[pulse.pilot.pk].pk]
        for week_back in range(PULSE_WEEKS):
            week = this_week - datetime.timedelta(weeks=week_back)
            for _ in range(rng.randint(0, size)):
                answers.append(
                    PulseAnswer(municipality=m, pulse=pulse, week=week, created_on=week, score=rng.randint(2, 5))
                )
    rng.shuffle(answers)
    PulseAnswer.objects.bulk_create(answers, batch_size=2000)
    return {"pilots": len(pilots), "pulses": len(answers)}


def add_pilots(target: Target) -> str:
    """The hook `manage.py generate_municipality` calls (registered in apps.py)."""
    added = add_to_generated(target.municipality, people=target.people, rng=target.rng)
    return ", ".join(f"{count} {kind}" for kind, count in added.items())
