"""Track 3's example for "Eksempel Kommune": the three default levels, thirteen learning
activities across forms and professional areas, sessions held and coming (one full, with a
waiting list), records for a good part of the staff (some refreshes overdue), three learning
paths and a prompt library of two dozen examples.

Written straight to the tables inside load_demo's transaction (its "demo.load" audit row covers
it); every text is fictional."""

from __future__ import annotations

import datetime
import random

from django.urls import reverse
from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea
from forankring.direction.models import Tool
from forankring.notifications.actions import notify
from forankring.privacy.models import ToolTier

from .dates import next_refresh_for
from .defaults import ensure_default_levels
from .models import Activity, LearningPath, Level, PathStep, Prompt, Record, Session, Signup
from .notices import session_subject

E, K, L = "everyone", "key_persons", "leaders"
F = Activity.Form

# title, level, form, minutes, mandatory, refresh months, areas, tools, tasks, description
ACTIVITIES: list[tuple[str, str, str, int, bool, int | None, list[str], list[str], str, str]] = [
    (
        "Grundkursus: AI i kommunen",
        E,
        F.ELEARNING,
        45,
        True,
        12,
        [],
        ["Gratis chatbot på nettet"],
        "",
        "Hvad generativ AI er og ikke er, hvorfor den kan svare forkert med stor sikkerhed, og hvilke værktøjer "
        "kommunen har godkendt. Slutter med fem små opgaver fra hverdagen.",
    ),
    (
        "Persondata og AI – hvad må jeg?",
        E,
        F.WORKSHOP,
        90,
        True,
        12,
        [],
        [],
        "Vurdere om en tekst indeholder personoplysninger\nAnonymisere et udkast",
        "Vi gennemgår datareglerne med eksempler fra flere fag og øver os i at skrive om, så ingen borger kan "
        "genkendes.",
    ),
    (
        "Kom godt i gang med Kontorassistenten",
        E,
        F.ELEARNING,
        30,
        False,
        24,
        [],
        ["Kontorassistenten"],
        "Udkast til brev\nOpsummering af et langt dokument",
        "Sådan beder du om et udkast, sådan tjekker du det, og sådan gemmer du ikke noget, du ikke må.",
    ),
    (
        "Referater med Mødereferenten",
        E,
        F.PEER,
        60,
        False,
        None,
        ["Administration"],
        ["Mødereferenten"],
        "Referat af teammøde\nBeslutningsliste",
        "En kollega, der bruger værktøjet, viser, hvordan et referat bliver til, og hvad man selv skal rette.",
    ),
    (
        "Journalhjælp i omsorgssystemet",
        E,
        F.GUIDANCE,
        45,
        False,
        12,
        ["Ældre og sundhed"],
        ["Journalhjælp i omsorgssystemet"],
        "Dokumentation efter besøg\nOverlevering mellem vagter",
        "Kort vejledning ude i gruppen: hvordan forslaget til journalnotat læses igennem, før det godkendes.",
    ),
    (
        "Borgerbreve i klart sprog med kommunens sprogmodel",
        E,
        F.ELEARNING,
        40,
        False,
        24,
        ["Administration", "Teknik og miljø"],
        ["Kommunens egen sprogmodel"],
        "Svar på henvendelse\nAfgørelsesbrev i klart sprog",
        "Sådan får du hjælp til at gøre et brev kortere og klarere, uden at det juridiske indhold ændres.",
    ),
    (
        "Ugeplaner og forældrebreve med AI",
        K,
        F.WORKSHOP,
        120,
        False,
        None,
        ["Dagtilbud"],
        [],
        "Ugeplan\nNyhedsbrev til forældre\nReferat af forældremøde",
        "For pædagoger, der vil hjælpe kolleger i gang: vi skriver ugeplaner og breve sammen og deler gode prompts.",
    ),
    (
        "Sagsresumé i ESDH for sagsbehandlere",
        K,
        F.WORKSHOP,
        90,
        False,
        12,
        ["Social og beskæftigelse"],
        ["Sagsresumé i ESDH"],
        "Resumé før borgersamtale\nOverblik over en lang sag",
        "Hvornår et resumé sparer tid, hvornår det overser noget vigtigt, og hvordan man tjekker det.",
    ),
    (
        "Byggesager og AI: tjek af ansøgninger",
        K,
        F.GUIDANCE,
        60,
        False,
        None,
        ["Teknik og miljø"],
        [],
        "Tjekliste for mangler i en ansøgning",
        "Vejledning i at bruge AI til at finde manglende bilag – beslutningen træffer sagsbehandleren selv.",
    ),
    (
        "Prompt-værksted for fyrtårne",
        K,
        F.WORKSHOP,
        180,
        False,
        None,
        [],
        [],
        "Skrive en god prompt\nLave pladsholdere i stedet for persondata",
        "Fyrtårnene lærer at skrive og forbedre prompts til deres fag og at lære dem videre til kolleger.",
    ),
    (
        "Fyrtårnsnetværk: del det, der virker",
        K,
        F.NETWORK,
        120,
        False,
        None,
        [],
        [],
        "",
        "Netværksmøde hver anden måned på tværs af fag: hvad virkede, hvad virkede ikke, og hvad prøver vi nu.",
    ),
    (
        "Lederforløb: at lede AI i hverdagen",
        L,
        F.LEADER_COURSE,
        480,
        True,
        24,
        [],
        [],
        "Sætte retning i egen enhed\nFølge op på en afprøvning",
        "To dage for ledere om ansvar, tryghed og beslutninger, når medarbejderne begynder at bruge AI.",
    ),
    (
        "Ledersparring om afprøvninger",
        L,
        F.PEER,
        90,
        False,
        None,
        [],
        [],
        "Vurdere om en afprøvning skal fortsætte",
        "Ledere sparrer med hinanden om afprøvninger i gang: hvad har vi lært, og hvad beslutter vi nu.",
    ),
]

PLACES = [
    "Rådhuset, mødelokale 2",
    "Kulturhuset, sal B",
    "Online – linket kommer i kalenderinvitationen",
    "Sundhedshuset, undervisningslokalet",
]

# title, area (None: all), task, tier, anonymise first, text
PROMPTS: list[tuple[str, str | None, str, str, bool, str]] = [
    (
        "Ugeplan for vuggestuegruppen",
        "Dagtilbud",
        "Ugeplan",
        "enterprise",
        False,
        "Lav en ugeplan for en vuggestuegruppe med temaet [tema]. Hver dag skal have én aktivitet ude og én inde, "
        "og sproget skal være let at læse for forældre.",
    ),
    (
        "Nyhedsbrev til forældre",
        "Dagtilbud",
        "Forældrebrev",
        "enterprise",
        True,
        "Skriv et kort nyhedsbrev til forældrene om [det, der er sket i måneden]. Nævn ingen børn ved navn. "
        "Højst 200 ord, venlig tone.",
    ),
    (
        "Referat af forældremøde",
        "Dagtilbud",
        "Referat",
        "enterprise",
        True,
        "Lav et referat ud fra disse stikord: [stikord]. Beslutninger øverst, derefter hvad der blev drøftet.",
    ),
    (
        "Idéer til sprogaktiviteter",
        "Dagtilbud",
        "Pædagogisk planlægning",
        "consumer",
        False,
        "Giv ti idéer til lege, der styrker sproget hos treårige, og som kan laves med ting fra en almindelig stue.",
    ),
    (
        "Overlevering mellem vagter",
        "Ældre og sundhed",
        "Overlevering",
        "built_in",
        False,
        "Opsummér dagens notater for [borger-id] i tre punkter: hvad er ændret, hvad skal følges op, "
        "og hvad skal næste vagt være opmærksom på.",
    ),
    (
        "Forklar et fagord i hverdagssprog",
        "Ældre og sundhed",
        "Kommunikation med pårørende",
        "consumer",
        False,
        "Forklar ordet [fagord] så en pårørende uden sundhedsfaglig baggrund forstår det. Højst fire sætninger.",
    ),
    (
        "Ugeskema for en træningsindsats",
        "Ældre og sundhed",
        "Planlægning",
        "enterprise",
        True,
        "Lav et forslag til et ugeskema for genoptræning med [antal] besøg om ugen, ud fra disse mål: [mål].",
    ),
    (
        "Resumé før borgersamtale",
        "Social og beskæftigelse",
        "Forberedelse af samtale",
        "built_in",
        False,
        "Lav et resumé af sagens seneste tre måneder: hvad er besluttet, hvad venter, og hvilke frister gælder.",
    ),
    (
        "Spørgsmål til en opfølgningssamtale",
        "Social og beskæftigelse",
        "Samtale",
        "enterprise",
        True,
        "Foreslå otte åbne spørgsmål til en opfølgningssamtale om [emne], der lægger op til, at borgeren selv "
        "fortæller.",
    ),
    (
        "Klart sprog i et afgørelsesbrev",
        "Social og beskæftigelse",
        "Afgørelsesbrev",
        "municipal",
        True,
        "Skriv dette afsnit om, så det er lettere at læse, uden at ændre det juridiske indhold: [afsnit].",
    ),
    (
        "Jobopslag i klart sprog",
        "Social og beskæftigelse",
        "Virksomhedskontakt",
        "consumer",
        False,
        "Skriv et kort jobopslag til en praktikplads som [stilling] hos en lokal virksomhed. Brug korte sætninger.",
    ),
    (
        "Tjekliste for en byggeansøgning",
        "Teknik og miljø",
        "Byggesag",
        "enterprise",
        False,
        "Lav en tjekliste over de bilag, en ansøgning om [type byggeri] normalt skal have, så jeg kan se, "
        "hvad der mangler.",
    ),
    (
        "Svar på en henvendelse om vejarbejde",
        "Teknik og miljø",
        "Borgerhenvendelse",
        "municipal",
        True,
        "Skriv et venligt svar på en henvendelse om [vejarbejde], der forklarer hvorfor, hvor længe, og hvem man "
        "kan kontakte.",
    ),
    (
        "Opslag om affaldssortering",
        "Teknik og miljø",
        "Information til borgere",
        "consumer",
        False,
        "Skriv tre korte opslag til kommunens side om at sortere [affaldstype] rigtigt. Et af dem med en lille quiz.",
    ),
    (
        "Referat af teammøde",
        "Administration",
        "Referat",
        "enterprise",
        False,
        "Lav et referat ud fra disse noter: [noter]. Beslutninger og opgaver øverst med ansvarlig og frist.",
    ),
    (
        "Dagsorden til et møde",
        "Administration",
        "Mødeforberedelse",
        "enterprise",
        False,
        "Foreslå en dagsorden for et møde på [varighed] om [emne] med tid til hvert punkt og et punkt til evaluering.",
    ),
    (
        "Sammenfatning af et høringssvar",
        "Administration",
        "Sagsbehandling",
        "enterprise",
        False,
        "Sammenfat dette offentlige høringssvar i fem punkter og marker, hvad der kræver et svar: [tekst].",
    ),
    (
        "Excel-formel forklaret",
        "Administration",
        "Regneark",
        "consumer",
        False,
        "Forklar trin for trin, hvad denne formel gør, og foreslå en enklere: [formel].",
    ),
    (
        "Oversæt en meddelelse til let dansk",
        None,
        "Kommunikation",
        "municipal",
        False,
        "Skriv denne meddelelse om, så den kan læses af en, der er ved at lære dansk: [meddelelse].",
    ),
    (
        "Find svagheder i mit udkast",
        None,
        "Kvalitetstjek",
        "enterprise",
        True,
        "Læs dette udkast som en kritisk kollega. Hvad er uklart, hvad mangler, og hvad kan misforstås? [udkast]",
    ),
    (
        "Gør en tekst kortere",
        None,
        "Skrivning",
        "enterprise",
        False,
        "Gør denne tekst halvt så lang uden at fjerne nogen af fakta: [tekst].",
    ),
    (
        "Forbered en svær samtale",
        None,
        "Ledelse",
        "enterprise",
        True,
        "Jeg skal tale med en medarbejder om [emne uden navne]. Hjælp mig med en god indledning og tre spørgsmål, "
        "der åbner samtalen.",
    ),
    (
        "Idéer til en temadag",
        None,
        "Planlægning",
        "consumer",
        False,
        "Foreslå et program for en temadag om [emne] for 30 kolleger med både oplæg og gruppearbejde.",
    ),
    (
        "Evaluering af en afprøvning",
        None,
        "Afprøvning",
        "enterprise",
        False,
        "Lav fem spørgsmål, vi kan stille hinanden efter en afprøvning: hvad virkede, hvad ikke, og hvad lærte vi.",
    ),
]
PROPOSED = [
    (
        "Tekst til aula om en tur",
        "Dagtilbud",
        "Forældrebrev",
        "enterprise",
        True,
        "Skriv en kort besked til forældrene om vores tur til [sted] på [dag]: hvad børnene skal have med, og "
        "hvornår vi er tilbage.",
    ),
    (
        "Tjek et regnskab for fejl",
        "Administration",
        "Økonomi",
        "enterprise",
        False,
        "Hvilke tal i denne oversigt ser mærkelige ud i forhold til sidste år? [oversigt uden personoplysninger]",
    ),
]


def load(m: Municipality, logins: dict[str, Person]) -> None:
    rng = random.Random(11)
    now = timezone.now()
    today = timezone.localdate()
    ensure_default_levels(m)
    levels = {level.key: level for level in Level.objects.filter(municipality=m)}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality=m)}
    tools = {t.name: t for t in Tool.objects.filter(municipality=m)}
    tiers = {t.key: t for t in ToolTier.objects.filter(municipality=m)}

    activities: dict[str, Activity] = {}
    for title, level, form, minutes, mandatory, refresh, area_names, tool_names, tasks, text in ACTIVITIES:
        activity = Activity.objects.create(
            municipality=m,
            title=title,
            level=levels[level],
            form=form,
            description=text,
            tasks=tasks,
            duration_minutes=minutes,
            version="2" if refresh else "1",
            materials_url="https://laering.eksempel-kommune.dk/" + title.split()[0].lower().strip(":"),
            mandatory=mandatory,
            refresh_months=refresh,
        )
        activity.areas.set([areas[a] for a in area_names if a in areas])
        activity.tools.set([tools[t] for t in tool_names if t in tools])
        activities[title] = activity

    # Who works where: the staff of each professional area, leaders apart.
    staff: dict[int, tuple[str, bool]] = {}
    for person_id, area, leader in (
        Membership.objects.filter(municipality=m, person__is_active=True)
        .order_by("person_id")
        .values_list("person_id", "professional_area__name", "is_leader")
    ):
        staff.setdefault(person_id, (area or "", leader))
    employee, facilitator = logins["medarbejder"], logins["facilitator"]

    # Records: most have the basics, fewer the rest; about a fifth of the basics are due again.
    records: list[Record] = []

    def record(person_id: int, activity: Activity, months_ago: float, source: str = Record.Source.SELF) -> None:
        done = today - datetime.timedelta(days=int(months_ago * 30.4))
        records.append(
            Record(
                municipality=m,
                person_id=person_id,
                activity=activity,
                version=activity.version,
                completed_on=done,
                source=source,
                evidence="Kursusbevis fra e-læringen" if activity.form == F.ELEARNING else "Fremmødeliste",
                next_refresh=next_refresh_for(activity, done),
                registered_by_id=person_id if source == Record.Source.SELF else facilitator.pk,
            )
        )

    basics = activities["Grundkursus: AI i kommunen"]
    for person_id, (area, leader) in staff.items():
        if person_id == employee.pk:
            continue
        if rng.random() < 0.72:
            record(person_id, basics, rng.uniform(0.5, 14))
        if rng.random() < 0.5:
            record(person_id, activities["Persondata og AI – hvad må jeg?"], rng.uniform(0.5, 11), "attendance")
        if rng.random() < 0.35:
            record(person_id, activities["Kom godt i gang med Kontorassistenten"], rng.uniform(0.2, 10))
        for activity in activities.values():
            names = {a.name for a in activity.areas.all()}
            if names and area in names and activity.level.key != L and rng.random() < 0.3:
                record(person_id, activity, rng.uniform(0.2, 9), "attendance")
        if leader and rng.random() < 0.5:
            record(person_id, activities["Lederforløb: at lede AI i hverdagen"], rng.uniform(1, 20), "attendance")
    # The demo employee took the basics almost a year ago: the home page asks for a refresh.
    record(employee.pk, basics, 11.5)
    Record.objects.bulk_create(records)

    # Sessions: two held and two coming for every activity that meets in person.
    sessions: list[Session] = []
    for activity in activities.values():
        if activity.form == F.ELEARNING:
            continue
        for offset in (-45, -12, 9, 30):
            start = (now + datetime.timedelta(days=offset + rng.randint(0, 5))).replace(
                hour=rng.choice([9, 10, 13]), minute=0, second=0, microsecond=0
            )
            sessions.append(
                Session(
                    municipality=m,
                    activity=activity,
                    starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=min(activity.duration_minutes, 420)),
                    place=rng.choice(PLACES),
                    capacity=rng.choice([12, 16, 20, 24]),
                    host=facilitator,
                    attendance_registered=offset < 0,
                )
            )
    Session.objects.bulk_create(sessions)
    people = sorted(staff)
    signups: list[Signup] = []
    for session in sessions:
        if session.starts_at > now:
            taken = rng.randint(2, session.capacity - 2)
            chosen = rng.sample([p for p in people if p != employee.pk], taken)
            signups += [
                Signup(
                    municipality=m,
                    session=session,
                    person_id=pid,
                    status=Signup.Status.SEAT,
                    queued_at=now - datetime.timedelta(hours=i + 1),
                )
                for i, pid in enumerate(chosen)
            ]
    # One session coming soon is full and has a waiting list; the demo employee has a seat on
    # another one, in a week.
    workshop = [s for s in sessions if s.activity == activities["Persondata og AI – hvad må jeg?"]]
    full = workshop[-1]
    signups = [s for s in signups if s.session_id != full.pk]
    full_people = rng.sample([p for p in people if p != employee.pk], full.capacity + 3)
    signups += [
        Signup(
            municipality=m,
            session=full,
            person_id=pid,
            status=Signup.Status.SEAT if i < full.capacity else Signup.Status.WAITING,
            queued_at=now - datetime.timedelta(hours=100 - i),
        )
        for i, pid in enumerate(full_people)
    ]
    soon = workshop[-2]
    signups.append(Signup(municipality=m, session=soon, person=employee, status=Signup.Status.SEAT, queued_at=now))
    # Yesterday's session by the facilitator still waits for its attendance to be registered.
    start = (now - datetime.timedelta(days=1)).replace(hour=13, minute=0, second=0, microsecond=0)
    yesterday = Session.objects.create(
        municipality=m,
        activity=activities["Prompt-værksted for fyrtårne"],
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place=PLACES[1],
        capacity=16,
        host=facilitator,
    )
    signups += [
        Signup(municipality=m, session=yesterday, person_id=pid, status=Signup.Status.SEAT, queued_at=start)
        for pid in rng.sample(people, 9)
    ]
    # The last meeting on minutes with the meeting tool is called off (the tool's new version is
    # late): it stays on the activity's page as called off, and the demo employee, who had a seat,
    # was told, as everyone signed up was. Their seat on the workshop next week was confirmed.
    called_off = [s for s in sessions if s.activity == activities["Referater med Mødereferenten"]][-1]
    signups.append(
        Signup(
            municipality=m,
            session=called_off,
            person=employee,
            status=Signup.Status.SEAT,
            queued_at=now - datetime.timedelta(days=4),
        )
    )
    Signup.objects.bulk_create(signups)
    called_off.cancelled_at = now - datetime.timedelta(days=1)
    called_off.save(update_fields=["cancelled_at"])
    told = Person.objects.filter(
        pk__in=[s.person_id for s in signups if s.session_id == called_off.pk], is_active=True
    ).order_by("pk")
    notify(
        recipients=told,
        kind="competence.session_cancelled",
        subject=session_subject(called_off),
        url=reverse("competence:session_detail", kwargs={"pk": called_off.pk}),
        now=called_off.cancelled_at,
    )
    notify(
        recipients=[employee],
        kind="competence.seat",
        subject=session_subject(soon),
        url=reverse("competence:session_detail", kwargs={"pk": soon.pk}),
        now=now - datetime.timedelta(hours=2),
    )

    # Learning paths for three roles.
    for role, intro, titles in (
        (
            LearningPath.For.EMPLOYEE,
            "De første uger: det fælles grundlag, og det værktøj, de fleste bruger.",
            ["Grundkursus: AI i kommunen", "Persondata og AI – hvad må jeg?", "Kom godt i gang med Kontorassistenten"],
        ),
        (
            LearningPath.For.LIGHTHOUSE,
            "Som fyrtårn hjælper du kolleger i gang. Start med grundlaget, og mød så de andre fyrtårne.",
            ["Grundkursus: AI i kommunen", "Prompt-værksted for fyrtårne", "Fyrtårnsnetværk: del det, der virker"],
        ),
        (
            LearningPath.For.TEAM_LEADER,
            "Som ny teamleder skal du kunne sætte retning og skabe tryghed om AI i dit team.",
            [
                "Grundkursus: AI i kommunen",
                "Persondata og AI – hvad må jeg?",
                "Lederforløb: at lede AI i hverdagen",
                "Ledersparring om afprøvninger",
            ],
        ),
    ):
        path = LearningPath.objects.create(municipality=m, role=role, intro=intro)
        PathStep.objects.bulk_create(
            PathStep(municipality=m, path=path, activity=activities[title], position=i)
            for i, title in enumerate(titles)
        )

    # The prompt library: approved examples (with how many found them useful), and two proposals.
    lighthouse = logins["fyrtaarn"]
    Prompt.objects.bulk_create(
        Prompt(
            municipality=m,
            title=title,
            area=areas.get(area) if area else None,
            task=task,
            tier=tiers[tier],
            anonymise_first=anonymise,
            text=text,
            status=Prompt.Status.APPROVED,
            proposed_by_id=rng.choice(people),
            decided_by=lighthouse,
            useful_count=rng.randint(0, 30),
        )
        for title, area, task, tier, anonymise, text in PROMPTS
    )
    Prompt.objects.bulk_create(
        Prompt(
            municipality=m,
            title=title,
            area=areas.get(area) if area else None,
            task=task,
            tier=tiers[tier],
            anonymise_first=anonymise,
            text=text,
            proposed_by=employee,
        )
        for title, area, task, tier, anonymise, text in PROPOSED
    )
