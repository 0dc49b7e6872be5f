"""Track 3's objects for a generated large municipality (load and query-count tests at scale).

`add_to_generated(municipality, rng=...)` adds, in proportion to the people already there: the
default levels, the demo's activities (linked to the municipality's tools by name when they
exist), a session per fifty people spread over the year around today, a record of the basics
for about two in three people and of other activities for fewer, and a prompt library. Written
with bulk_create in batches; not audited (generated data, like the demo)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Membership, Municipality, Person, ProfessionalArea
from forankring.direction.models import Tool
from forankring.privacy.data_classes import ensure_default_data_classes
from forankring.privacy.models import ToolTier

from .dates import next_refresh_for
from .defaults import ensure_default_levels
from .demo import ACTIVITIES, PLACES, PROMPTS
from .models import Activity, Level, Prompt, Record, Session, Signup

BATCH = 2000
PEOPLE_PER_SESSION = 50
PEOPLE_PER_PROMPT = 150


def add_to_generated(municipality: Municipality, *, rng: random.Random) -> dict[str, int]:
    """Returns how many of each kind were added."""
    m = municipality
    today, now = timezone.localdate(), timezone.now()
    ensure_default_levels(m)
    ensure_default_data_classes(m)
    levels = {level.key: level for level in Level.objects.filter(municipality=m)}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality=m)}
    tools = {t.name: t for t in Tool.objects.filter(municipality=m)}
    tiers = list(ToolTier.objects.filter(municipality=m))
    taken = set(Activity.objects.filter(municipality=m).values_list("title", flat=True))

    activities: list[Activity] = []
    for title, level, form, minutes, mandatory, refresh, area_names, tool_names, tasks, text in ACTIVITIES:
        if title in taken:
            continue
        activity = Activity.objects.create(
            municipality=m,
            title=title,
            level=levels[level],
            form=form,
            description=text,
            tasks=tasks,
            duration_minutes=minutes,
            mandatory=mandatory,
            refresh_months=refresh,
        )
        activity.areas.set([areas[a] for a in area_names if a in areas])
        activity.tools.set([tools[t] for t in tool_names if t in tools])
        activities.append(activity)
    if not activities:
        activities = list(Activity.objects.filter(municipality=m))

    people = list(
        Membership.objects.filter(municipality=m, person__is_active=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
    basics = activities[0]
    records: list[Record] = []
    for person_id in people:
        chosen = [basics] if rng.random() < 0.67 else []
        chosen += [a for a in activities[1:] if rng.random() < 0.12]
        for activity in chosen:
            done = today - datetime.timedelta(days=rng.randint(1, 420))
            records.append(
                Record(
                    municipality=m,
                    person_id=person_id,
                    activity=activity,
                    version=activity.version,
                    completed_on=done,
                    source=Record.Source.SELF,
                    next_refresh=next_refresh_for(activity, done),
                    registered_by_id=person_id,
                )
            )
    Record.objects.bulk_create(records, batch_size=BATCH)

    in_person = [a for a in activities if a.form != Activity.Form.ELEARNING] or activities
    sessions = []
    for _ in range(max(len(people) // PEOPLE_PER_SESSION, 1)):
        start = (now + datetime.timedelta(days=rng.randint(-180, 180))).replace(minute=0, second=0, microsecond=0)
        activity = rng.choice(in_person)
        sessions.append(
            Session(
                municipality=m,
                activity=activity,
                starts_at=start,
                ends_at=start + datetime.timedelta(minutes=min(activity.duration_minutes, 420)),
                place=rng.choice(PLACES),
                capacity=rng.choice([12, 16, 20, 24]),
                attendance_registered=start < now,
            )
        )
    Session.objects.bulk_create(sessions, batch_size=BATCH)
    signups = []
    for session in sessions:
        for i, person_id in enumerate(rng.sample(people, min(len(people), session.capacity + 2))):
            signups.append(
                Signup(
                    municipality=m,
                    session=session,
                    person_id=person_id,
                    status=Signup.Status.SEAT if i < session.capacity else Signup.Status.WAITING,
                    queued_at=session.starts_at - datetime.timedelta(days=10, minutes=-i),
                )
            )
    Signup.objects.bulk_create(signups, batch_size=BATCH)

    tier_by_key = {t.key: t for t in tiers}
    some_person = Person.objects.filter(municipality=m).order_by("pk").values_list("pk", flat=True).first()
    prompts = []
    for n in range(max(len(people) // PEOPLE_PER_PROMPT, len(PROMPTS))):
        title, area, task, tier, anonymise, text = PROMPTS[n % len(PROMPTS)]
        prompts.append(
            Prompt(
                municipality=m,
                title=title if n < len(PROMPTS) else f"{title} ({n // len(PROMPTS) + 1})",
                area=areas.get(area) if area else None,
                task=task,
                tier=tier_by_key.get(tier) or rng.choice(tiers),
                anonymise_first=anonymise,
                text=text,
                status=Prompt.Status.APPROVED if rng.random() < 0.9 else Prompt.Status.PROPOSED,
                proposed_by_id=some_person,
                useful_count=rng.randint(0, 40),
            )
        )
    Prompt.objects.bulk_create(prompts, batch_size=BATCH)
    return {
        "activities": len(activities),
        "records": len(records),
        "sessions": len(sessions),
        "signups": len(signups),
        "prompts": len(prompts),
    }


def add_competence(target: Target) -> str:
    """The hook `manage.py generate_municipality` calls (registered in apps.py)."""
    added = add_to_generated(target.municipality, rng=target.rng)
    return ", ".join(f"{count} {kind}" for kind, count in added.items())
