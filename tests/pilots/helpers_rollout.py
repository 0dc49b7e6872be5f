"""Test data for rollouts, written through the ORM (the actions are what the tests test)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.competence.models import Activity, Record
from forankring.core.models import Person, Unit
from forankring.direction.models import Tool
from forankring.pilots.models import ConcreteProblem, Rollout, RolloutWeek
from tests.factories import make_activity, make_tool


def rollout_tool(unit: Unit) -> Tool:
    m = unit.municipality
    return Tool.objects.filter(municipality=m, name=f"Udrulningsværktøj {m.name}").first() or make_tool(
        m, name=f"Udrulningsværktøj {m.name}"
    )


def make_rollout(
    unit: Unit,
    *,
    owner: Person | None = None,
    tool: Tool | None = None,
    days_ago: int = 10,
    purpose: str | None = None,
) -> Rollout:
    """A rollout to `unit` that started `days_ago` days ago, named after the municipality so a
    leak to the other one is visible."""
    m = unit.municipality
    return Rollout.objects.create(
        municipality=m,
        tool=tool or rollout_tool(unit),
        unit=unit,
        owner=owner,
        purpose=purpose or f"Ugeplaner i {m.name}",
        starts_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


def tool_training(tool: Tool) -> Activity:
    """The learning activity that teaches `tool` (track 3's required training for it)."""
    found = Activity.objects.filter(municipality=tool.municipality, tools=tool).first()
    return found or make_activity(tool.municipality, title=f"Kom i gang med {tool.name}", tools=(tool,))


def train(person: Person, activity: Activity, *, days_ago: int = 5) -> Record:
    done = timezone.localdate() - datetime.timedelta(days=days_ago)
    return Record.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        activity=activity,
        version="1",
        completed_on=done,
        source=Record.Source.SELF,
    )


def tick(rollout: Rollout, week: int, note: str = "Det gik fint.") -> RolloutWeek:
    return RolloutWeek.objects.create(
        municipality_id=rollout.municipality_id, rollout=rollout, week=week, note=note, done_at=timezone.now()
    )


def note_problem(rollout: Rollout, person: Person, text: str = "Ugeplanen tager for lang tid.") -> ConcreteProblem:
    return ConcreteProblem.objects.create(
        municipality_id=rollout.municipality_id, rollout=rollout, person=person, text=text
    )
