"""Track 2's objects for a generated large municipality, in proportion to its organisation.

`add_to_generated(municipality, rng=rng)` runs after the organisation (units, people, memberships,
professional areas) exists. Per centre 1–2 focus areas when the direktion has strategic ones; a
use case for about every third team, a third of them joined by a sister team; an idea for about
every second team, every fourth of them answered and every tenth anonymous; a lighthouse per
institution; a note from the AI item for about half the teams. Everything is bulk-written: a
45,000-person municipality has thousands of teams."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from forankring.core.access import CENTRE_DEPTH
from forankring.core.generate import Target
from forankring.core.models import Membership, Municipality, ProfessionalArea, Unit
from forankring.direction.models import FocusArea

from .models import (
    AnonymousIdea,
    CentreFocusArea,
    Idea,
    IdeaStatus,
    Lighthouse,
    LighthouseQuestion,
    StatusChange,
    TeamNote,
    UseCase,
    UseCaseUnit,
)

QUESTIONS = [
    "Må jeg bruge Copilot til at skrive et udkast til en mødeindkaldelse?",
    "Hvordan får jeg AI til at lave et kortere resumé af en lang vejledning?",
    "Er der en skabelon til at bede om et forslag til en ugeplan?",
    "Hvad gør jeg, hvis svaret fra værktøjet lyder rigtigt, men jeg er i tvivl?",
]

TASKS = [
    ("Skrive referat af teammøder", "Administration"),
    ("Skrive ugeplaner til forældrene", "Dagtilbud"),
    ("Opsummere sagsakter før et møde", "Social og beskæftigelse"),
    ("Dokumentere besøg hos borgeren", "Ældre og sundhed"),
    ("Tjekke ansøgninger for manglende bilag", "Teknik og miljø"),
    ("Skrive svar på typiske henvendelser", "Administration"),
    ("Oversætte generelle beskeder til borgere", "Dagtilbud"),
    ("Lave udkast til stillingsopslag", "Administration"),
]
STATUSES = ["idea"] * 4 + ["assessed"] * 3 + ["pilot"] * 2 + ["operation", "stopped"]


def add_to_generated(municipality: Municipality, *, rng: random.Random) -> dict[str, int]:
    m = municipality
    units = list(Unit.objects.filter(municipality=m, is_active=True).order_by("path"))
    areas = list(ProfessionalArea.objects.filter(municipality=m).order_by("pk"))
    if not units or not areas:
        return {}
    by_name = {a.name: a for a in areas}
    max_depth = max(u.depth for u in units)
    teams = [u for u in units if u.depth == max_depth]
    institutions = [u for u in units if u.depth == max_depth - 1 and u.depth > CENTRE_DEPTH]
    centres = [u for u in units if u.depth == CENTRE_DEPTH]
    leader_of: dict[int, int] = {}
    members: dict[int, list[int]] = defaultdict(list)
    for unit_id, person_id, is_leader in Membership.objects.filter(municipality=m).values_list(
        "unit_id", "person_id", "is_leader"
    ):
        if is_leader:
            leader_of.setdefault(unit_id, person_id)
        else:
            members[unit_id].append(person_id)
    now = timezone.now()
    today = timezone.localdate()

    strategic = list(FocusArea.objects.filter(municipality=m).order_by("pk"))
    focus = [
        CentreFocusArea(
            municipality=m,
            unit=centre,
            strategic=strategic[(i + j) % len(strategic)],
            name=f"Fokus {j + 1}: {rng.choice(TASKS)[0]}",
            why="Her bruges meget tid på skrivearbejde.",
            success="Mere tid til kerneopgaven.",
            created_by_id=leader_of.get(centre.pk),
        )
        for i, centre in enumerate(centres)
        for j in range(rng.choice((1, 2)) if strategic else 0)
    ]
    CentreFocusArea.objects.bulk_create(focus)

    use_cases = []
    for team in teams:
        if rng.random() >= 1 / 3:
            continue
        title, area_name = rng.choice(TASKS)
        use_cases.append(
            UseCase(
                municipality=m,
                title=title,
                today="Opgaven løses i hånden i dag.",
                ai_help="Et udkast, som medarbejderen retter til.",
                human_decides="Medarbejderen godkender altid resultatet.",
                area=by_name.get(area_name, areas[0]),
                unit=team,
                status=rng.choice(STATUSES),
                created_by_id=leader_of.get(team.pk),
            )
        )
    UseCase.objects.bulk_create(use_cases, batch_size=1000)
    StatusChange.objects.bulk_create(
        (
            StatusChange(municipality=m, use_case=uc, to_status=uc.status, decided_by_id=uc.created_by_id)
            for uc in use_cases
        ),
        batch_size=1000,
    )
    joined = []
    for uc in use_cases:
        if rng.random() < 1 / 3:
            sister = rng.choice(teams)
            if sister.pk != uc.unit_id:
                joined.append(
                    UseCaseUnit(municipality=m, use_case=uc, unit=sister, joined_by_id=leader_of.get(sister.pk))
                )
    UseCaseUnit.objects.bulk_create(joined, batch_size=1000, ignore_conflicts=True)

    ideas, anonymous = [], []
    for team in teams:
        if rng.random() >= 0.5 or not members[team.pk]:
            continue
        title = rng.choice(TASKS)[0]
        if rng.random() < 0.1:
            anonymous.append(
                AnonymousIdea(municipality=m, unit=team.parent or team, title=title, description="Det tager tid.")
            )
            continue
        answered = rng.random() < 0.25
        ideas.append(
            Idea(
                municipality=m,
                unit=team,
                title=title,
                description="Det tager tid i dag.",
                proposer_id=rng.choice(members[team.pk]),
                created_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                status=rng.choice([IdeaStatus.EXPLORING, IdeaStatus.DECLINED]) if answered else IdeaStatus.NEW,
                answer="Tak, vi ser på det." if answered else "",
                answered_by_id=leader_of.get(team.pk) if answered else None,
                answered_at=now if answered else None,
            )
        )
    Idea.objects.bulk_create(ideas, batch_size=1000)
    AnonymousIdea.objects.bulk_create(anonymous, batch_size=1000)

    lighthouses = []
    for institution in institutions:
        staff = [p for t in teams if t.parent_id == institution.pk for p in members[t.pk]]
        if staff:
            lighthouses.append(
                Lighthouse(
                    municipality=m,
                    person_id=rng.choice(staff),
                    unit=institution,
                    area=rng.choice(areas),
                    helps_with="At komme i gang og hvad man må.",
                    contact="Skriv i Teams.",
                    appointed_by_id=leader_of.get(institution.pk),
                )
            )
    Lighthouse.objects.bulk_create(lighthouses, batch_size=1000, ignore_conflicts=True)

    # Questions to about a third of the lighthouses, from people of their institution; half
    # answered. Read back: with ignore_conflicts the bulk insert gives no primary keys.
    questions = []
    for lighthouse_id, person_id, unit_id in (
        Lighthouse.objects.filter(municipality=m).order_by("pk").values_list("pk", "person_id", "unit_id")
    ):
        askers = [p for t in teams if t.parent_id == unit_id for p in members[t.pk] if p != person_id]
        if not askers or rng.random() >= 1 / 3:
            continue
        for _ in range(rng.randint(1, 3)):
            asked_at = now - datetime.timedelta(days=rng.randint(0, 40), hours=rng.randint(0, 8))
            answered = rng.random() < 0.5
            questions.append(
                LighthouseQuestion(
                    municipality=m,
                    lighthouse_id=lighthouse_id,
                    asker_id=rng.choice(askers),
                    text=rng.choice(QUESTIONS),
                    answer="Ja, det må du gerne, når der ikke er oplysninger om borgere i." if answered else "",
                    asked_at=asked_at,
                    answered_at=asked_at + datetime.timedelta(days=1) if answered else None,
                )
            )
    LighthouseQuestion.objects.bulk_create(questions, batch_size=1000)

    notes = [
        TeamNote(
            municipality=m,
            unit=team,
            held_on=today - datetime.timedelta(days=rng.randint(1, 90)),
            how_it_goes="Vi er i gang.",
            written_by_id=leader_of.get(team.pk),
        )
        for team in teams
        if rng.random() < 0.5
    ]
    TeamNote.objects.bulk_create(notes, batch_size=1000)
    return {
        "focus_areas": len(focus),
        "use_cases": len(use_cases),
        "ideas": len(ideas) + len(anonymous),
        "lighthouses": len(lighthouses),
        "lighthouse_questions": len(questions),
        "team_notes": len(notes),
    }


def add_practice(target: Target) -> str:
    """The hook `manage.py generate_municipality` calls (registered in apps.py)."""
    added = add_to_generated(target.municipality, rng=target.rng)
    return ", ".join(f"{count} {kind}" for kind, count in added.items())


__all__ = ["add_practice", "add_to_generated"]
