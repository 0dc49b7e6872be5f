"""Learning cards, experiences and celebrations for a generated large municipality, in proportion.

Per 100 people about one experience (one in three anonymous); per 20 teams a closed pilot with
its learning card (a third stopped, a third adjusted); per 4 teams a celebration with a few
reactions. Runs after the organisation and track 2's use cases exist; everything is bulk-written."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.generate import Target
from forankring.core.models import Membership, ProfessionalArea, Unit
from forankring.practice.models import UseCase

from .models import AnonymousExperience, Celebration, Experience, LearningCard, Pilot

STORIES = [
    "Ugebrevet blev skrevet på en halv time i stedet for to.",
    "Hele teamet har nu prøvet at få et første udkast – også de skeptiske.",
    "Vi har en fælles liste med gode spørgsmål at stille værktøjet.",
    "Referatet lå klar, før vi gik hjem.",
]
EXPERIENCES = [
    ("Kortere tekster med en klar besked", "Når jeg skriver, hvor kort det skal være, bliver udkastet meget bedre."),
    ("Det virkede ikke for os", "Udkastene ramte ikke vores faglige sprog, så vi gik tilbage til skabelonen."),
    (
        "Et godt sted at starte",
        "Faste tekster, som ikke handler om en bestemt borger, var det letteste at begynde med.",
    ),
]
DECISIONS = [Pilot.Decision.SCALE, Pilot.Decision.ADJUST, Pilot.Decision.STOP]


def add_sharing(target: Target) -> str:
    m, rng = target.municipality, target.rng
    areas = list(ProfessionalArea.objects.filter(municipality=m).order_by("pk"))
    units = list(Unit.objects.filter(municipality=m, is_active=True).order_by("path"))
    if not areas or not units:
        return "nothing (no organisation)"
    max_depth = max(u.depth for u in units)
    teams = [u for u in units if u.depth == max_depth]
    leader_of = dict(
        Membership.objects.filter(municipality=m, is_leader=True).order_by("pk").values_list("unit_id", "person_id")
    )
    staff = list(
        Membership.objects.filter(municipality=m, is_leader=False)
        .order_by("pk")
        .values_list("person_id", flat=True)[: max(1, target.people // 100) * 2]
    )
    today = timezone.localdate()
    now = timezone.now()

    use_cases = list(UseCase.objects.filter(municipality=m).order_by("pk")[:200])
    cards = 0
    if use_cases:
        pilots = []
        for n, team in enumerate(teams[::20]):
            leader_id = leader_of.get(team.pk)
            if leader_id is None:
                continue
            ends_on = today - datetime.timedelta(days=rng.randint(7, 300))
            pilots.append(
                Pilot(
                    municipality=m,
                    title=f"Afprøvning {n + 1} i {team.name}"[:150],
                    use_case=use_cases[n % len(use_cases)],
                    leader_id=leader_id,
                    goal="Mindre tid på faste tekster.",
                    look_at="Tid, kvalitet og arbejdsmiljø.",
                    starts_on=ends_on - datetime.timedelta(weeks=4),
                    ends_on=ends_on,
                    small_and_safe=True,
                    med_considered=True,
                    human_decides="Medarbejderen godkender alt, før det bruges.",
                    status=Pilot.Status.CLOSED,
                    decision=DECISIONS[n % 3],
                    created_by_id=leader_id,
                )
            )
        created = Pilot.objects.bulk_create(pilots)
        LearningCard.objects.bulk_create(
            LearningCard(
                municipality=m,
                pilot=pilot,
                tried="Fire uger med AI-udkast til teamets faste tekster.",
                learned=rng.choice(EXPERIENCES)[1],
                decision=pilot.decision,
                published_by_id=pilot.leader_id,
                published_at=now - datetime.timedelta(days=(today - pilot.ends_on).days - 2),
            )
            for pilot in created
        )
        cards = len(created)

    experiences = max(1, target.people // 100)
    named, anonymous = [], []
    for n in range(experiences):
        title, text = EXPERIENCES[n % len(EXPERIENCES)]
        area = areas[n % len(areas)]
        day = today - datetime.timedelta(days=rng.randint(0, 365))
        if n % 3 == 2 or not staff:
            anonymous.append(AnonymousExperience(municipality=m, area=area, title=title, text=text, created_on=day))
        else:
            named.append(
                Experience(
                    municipality=m,
                    area=area,
                    title=title,
                    text=text,
                    author_id=staff[n % len(staff)],
                    created_on=day,
                    created_at=now - datetime.timedelta(days=(today - day).days),
                )
            )
    Experience.objects.bulk_create(named, batch_size=1000)
    AnonymousExperience.objects.bulk_create(anonymous, batch_size=1000)

    celebrations = [
        Celebration(
            municipality=m,
            unit=team,
            area=areas[n % len(areas)],
            story=STORIES[n % len(STORIES)],
            applause=rng.randint(0, 12),
            inspired=rng.randint(0, 6),
            thanks=rng.randint(0, 6),
            created_on=today - datetime.timedelta(days=rng.randint(0, 365)),
        )
        for n, team in enumerate(teams[::4])
    ]
    Celebration.objects.bulk_create(celebrations, batch_size=1000)
    return f"{cards} learning cards, {len(named) + len(anonymous)} experiences, {len(celebrations)} celebrations"
