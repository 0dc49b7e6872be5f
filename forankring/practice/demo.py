"""Track 2's example for "Eksempel Kommune": focus areas in every centre, use cases across the
professional areas (one of them flagged by the data rules), ideas with and without answers,
lighthouses in each centre, and the AI item of several teams.

Written straight to the tables inside load_demo's transaction (its "demo.load" audit row covers
it); the texts are fictional, in the project's own words."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Role, RoleAssignment, Unit
from forankring.direction.models import FocusArea, Tool
from forankring.privacy.models import DataClass

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
    UseCaseValue,
    ValueType,
)

# centre: [(name, why, success)]
FOCUS = {
    "Center for Dagtilbud og Skole": [
        (
            "Mindre skrivearbejde, mere tid med børnene",
            "Ugeplaner, forældrebreve og dokumentation æder tid, der skulle bruges på børnene.",
            "Pædagogerne oplever, at skrivearbejdet fylder mindre, og forældrene får tydeligere besked.",
        ),
        (
            "Forældre, der ikke læser dansk, forstår beskederne",
            "Nogle familier går glip af vigtig besked, fordi den kun findes på dansk.",
            "Færre misforståelser om afhentning, udflugter og sygdom.",
        ),
    ],
    "Center for Sundhed og Ældre": [
        (
            "Dokumentation, der tager mindre tid",
            "Medarbejderne bruger meget tid ved skærmen efter hvert besøg.",
            "Mere tid hos borgeren og journaler, der er lettere at læse for kollegerne.",
        ),
    ],
    "Center for Social og Beskæftigelse": [
        (
            "Bedre overblik i tunge sager",
            "Lange sagsakter gør det svært at få overblik, før man møder borgeren.",
            "Sagsbehandleren møder forberedt op, og borgeren skal ikke gentage sin historie.",
        ),
    ],
    "Center for Teknik og Miljø": [
        (
            "Hurtigere svar på byggesager",
            "Borgerne venter længe, fordi mange ansøgninger mangler oplysninger.",
            "Færre ansøgninger sendes retur, og sagsbehandlingstiden falder.",
        ),
    ],
    "Center for Økonomi, HR og Digitalisering": [
        (
            "Referater og notater på den halve tid",
            "Mange møder og meget skrivearbejde i administrationen.",
            "Referater ligger klar samme dag, og ingen sidder med dem om aftenen.",
        ),
    ],
}

# (title, today, ai_help, human_decides, area, owning unit, status, values, data, tools, joined units)
USE_CASES = [
    (
        "Skrive ugeplaner til forældrene",
        "Pædagogen skriver ugeplanen fra bunden hver fredag ud fra sine noter.",
        "Et udkast ud fra stikord om ugens aktiviteter, som pædagogen retter til.",
        "Pædagogen læser og godkender hver plan, før den sendes.",
        "Dagtilbud",
        "Team Myretuen",
        "pilot",
        ["time", "quality"],
        ["internal"],
        ["Kontorassistenten"],
        ["Team Bikuben", "Team Egern"],
    ),
    (
        "Oversætte beskeder til forældre, der ikke læser dansk",
        "Beskeder sendes på dansk; enkelte bliver oversat af kolleger, når der er tid.",
        "En oversættelse af den generelle besked, uden navne på børn.",
        "Pædagogen vurderer, om beskeden er egnet, og sender aldrig oplysninger om det enkelte barn.",
        "Dagtilbud",
        "Team Bikuben",
        "assessed",
        ["quality"],
        ["internal"],
        ["Kontorassistenten"],
        [],
    ),
    (
        "Skrive referat af teammøder",
        "En kollega tager noter i hånden og renskriver dem bagefter.",
        "Et referat ud fra mødets dagsorden og stikord, klar til rettelse samme dag.",
        "Mødelederen godkender referatet, før det deles.",
        "Administration",
        "Sekretariatet",
        "operation",
        ["time"],
        ["internal"],
        ["Mødereferenten"],
        ["Budget", "Løn", "Kommunikation"],
    ),
    (
        "Opsummere lange sagsakter før et borgermøde",
        "Sagsbehandleren læser hele sagen igennem, ofte flere hundrede sider.",
        "Et overblik over forløbet med henvisning til kilderne i sagen.",
        "Sagsbehandleren træffer afgørelsen og tjekker opsummeringen mod sagen.",
        "Social og beskæftigelse",
        "Team Sygedagpenge",
        "idea",
        ["casework", "time"],
        ["personal", "sensitive", "cpr"],
        ["Gratis chatbot på nettet"],
        [],
    ),
    (
        "Dokumentere besøg i hjemmeplejen",
        "Medarbejderen skriver notatet på telefonen efter besøget.",
        "Et udkast til notatet ud fra medarbejderens korte indtaling, i fagsystemets skabelon.",
        "Medarbejderen læser notatet igennem og står inde for det, før det gemmes.",
        "Ældre og sundhed",
        "Distrikt Havnen",
        "idea",
        ["time", "quality"],
        ["sensitive"],
        [],
        ["Distrikt Bakken"],
    ),
    (
        "Tjekke byggeansøgninger for manglende bilag",
        "Sagsbehandleren gennemgår hver ansøgning og skriver til ansøgeren om det, der mangler.",
        "En liste over bilag, der ser ud til at mangle, ud fra kommunens tjekliste.",
        "Sagsbehandleren afgør, om ansøgningen er fyldestgørende.",
        "Teknik og miljø",
        "Byggesager",
        "assessed",
        ["errors", "time"],
        ["public", "internal"],
        ["Kontorassistenten"],
        [],
    ),
    (
        "Skrive svar på typiske borgerhenvendelser",
        "Medarbejderne skriver de samme svar igen og igen om pas, kørekort og boligstøtte.",
        "Et udkast til svar i klart sprog ud fra kommunens egne vejledninger.",
        "Medarbejderen tilpasser svaret til borgerens situation og sender det selv.",
        "Social og beskæftigelse",
        "Ydelser",
        "pilot",
        ["quality", "time"],
        ["public"],
        ["Kontorassistenten"],
        ["Pas og kørekort"],
    ),
    (
        "Lave udkast til stillingsopslag",
        "Lederen skriver opslaget med hjælp fra HR.",
        "Et udkast ud fra stillingens opgaver og kommunens skabelon.",
        "Lederen beslutter, hvad der står i opslaget, og hvem der ansættes.",
        "Administration",
        "Rekruttering",
        "stopped",
        ["time"],
        ["internal"],
        ["Kontorassistenten"],
        [],
    ),
]

IDEAS = [
    # (title, description, unit, answered status or "", answer)
    (
        "Forældrebreve om udflugter",
        "Vi skriver næsten det samme brev før hver tur. Kunne AI lave første udkast?",
        "Team Myretuen",
        IdeaStatus.EXPLORING,
        "God idé. Vi tager den op på næste teammøde og ser, om den kan bygge på ugeplanerne.",
    ),
    (
        "Vagtplan og bytteønsker",
        "Det tager lang tid at finde ud af, hvem der kan bytte vagter.",
        "Aftenvagten",
        IdeaStatus.DECLINED,
        "Vagtplanen ligger i et andet system, som ikke må kobles til AI-værktøjer endnu. Vi vender tilbage.",
    ),
    ("Mødeindkaldelser med dagsorden", "Dagsordener skrives hver gang fra bunden.", "Budget", "", ""),
    ("Skiltning på flere sprog i legestuen", "Mange forældre læser ikke dansk.", "Legestuen", "", ""),
]


def load(municipality: Municipality, logins: dict[str, Person]) -> None:
    m = municipality
    units = {u.name: u for u in Unit.objects.filter(municipality=m)}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality=m)}
    tools = {t.name: t for t in Tool.objects.filter(municipality=m)}
    data = {d.key: d for d in DataClass.objects.filter(municipality=m)}
    values = {key: UseCaseValue.objects.create(municipality=m, key=key) for key in ValueType.values}
    strategic = list(FocusArea.objects.filter(municipality=m).order_by("pk"))
    leaders = _leaders(m)
    now = timezone.now()
    director = logins["direktion"]

    focus_by_centre: dict[str, CentreFocusArea] = {}
    for index, (centre_name, rows) in enumerate(FOCUS.items()):
        centre = units.get(centre_name)
        if centre is None or not strategic:
            continue
        for name, why, success in rows:
            area = CentreFocusArea.objects.create(
                municipality=m,
                unit=centre,
                strategic=strategic[index % len(strategic)],
                name=name,
                why=why,
                success=success,
                created_by=leaders.get(centre.pk),
            )
            focus_by_centre.setdefault(centre_name, area)

    for age, row in enumerate(USE_CASES):
        title, today, ai_help, human, area_name, unit_name, status, value_keys, data_keys, tool_names, joined = row
        unit = units[unit_name]
        owner = leaders.get(unit.pk) or director
        centre = _centre_of(unit, units)
        use_case = UseCase.objects.create(
            municipality=m,
            title=title,
            today=today,
            ai_help=ai_help,
            human_decides=human,
            area=areas[area_name],
            unit=unit,
            status=status,
            created_by=owner,
            focus_area=focus_by_centre.get(centre.name) if centre else None,
        )
        use_case.value_types.set([values[k] for k in value_keys])
        use_case.data_classes.set([data[k] for k in data_keys if k in data])
        use_case.tools.set([tools[n] for n in tool_names if n in tools])
        use_case.followers.add(owner)
        _history(m, use_case, status, owner, director)
        for other in joined:
            UseCaseUnit.objects.create(
                municipality=m, use_case=use_case, unit=units[other], joined_by=leaders.get(units[other].pk)
            )
        UseCase.objects.filter(pk=use_case.pk).update(updated_at=now - datetime.timedelta(days=age * 3))

    employee = logins["medarbejder"]
    for age, (title, description, unit_name, status, answer) in enumerate(IDEAS):
        unit = units[unit_name]
        proposer = employee if unit_name == "Team Myretuen" else _member(m, unit) or employee
        idea = Idea.objects.create(
            municipality=m,
            title=title,
            description=description,
            unit=unit,
            proposer=proposer,
            created_at=now - datetime.timedelta(days=5 + age * 7),
            status=status or IdeaStatus.NEW,
            answer=answer,
            answered_by=leaders.get(unit.pk) if status else None,
            answered_at=now - datetime.timedelta(days=2) if status else None,
        )
        if unit_name == "Team Myretuen":
            idea.followers.add(logins["fyrtaarn"])
    AnonymousIdea.objects.create(
        municipality=m,
        unit=units["Børnehuset Solsikken"],
        title="Mindre tid på dokumentation af sprogvurderinger",
        description="Vi skriver de samme afsnit igen og igen. Kunne en skabelon med AI hjælpe?",
    )

    # One lighthouse in each centre, and the demo's own lighthouse in the daycare.
    for centre_name in FOCUS:
        centre = units.get(centre_name)
        if centre is None:
            continue
        person = logins["fyrtaarn"] if centre_name.startswith("Center for Dagtilbud") else _member(m, centre, deep=True)
        if person is None:
            continue
        # As an appointment does: the lighthouse role in the centre, unless they hold it already.
        role, granted = RoleAssignment.objects.get_or_create(
            municipality=m,
            person=person,
            role=Role.LIGHTHOUSE,
            unit=centre,
            defaults={"source": RoleAssignment.Source.APPOINTED},
        )
        lighthouse = Lighthouse.objects.create(
            municipality=m,
            person=person,
            unit=centre,
            area=_area_of(person) or next(iter(areas.values())),
            helps_with="At komme i gang med Kontorassistenten, gode formuleringer og hvad man må bruge den til.",
            contact="Skriv i Teams, eller find mig i frokoststuen tirsdag og torsdag.",
            appointed_by=leaders.get(centre.pk),
            role=role if granted else None,
        )
        if person == logins["fyrtaarn"]:
            _questions(m, lighthouse, employee, now)

    # The AI item of a few teams; the demo's team leader is reminded (no note for long).
    today_date = timezone.localdate()
    for weeks, team_name in ((1, "Team Bikuben"), (2, "Distrikt Havnen"), (3, "Byggesager"), (10, "Team Myretuen")):
        team = units[team_name]
        TeamNote.objects.create(
            municipality=m,
            unit=team,
            held_on=today_date - datetime.timedelta(weeks=weeks),
            how_it_goes="Flere i teamet har prøvet at få et første udkast, og snakken er blevet mere konkret.",
            gains="Mindre tid på de faste tekster.",
            barriers="Usikkerhed om, hvad der må skrives ind, når der er børn eller borgere i teksten.",
            adjustments="Vi laver en fælles liste med gode eksempler og spørger fyrtårnet om reglerne.",
            written_by=leaders.get(team.pk),
        )


# (question, answer or "" while it waits, days ago)
QUESTIONS = [
    (
        "Må jeg bruge Kontorassistenten til at skrive et første udkast til forældrebrevet om "
        "udflugten, hvis jeg ikke skriver børnenes navne i?",
        "Ja, det er lige præcis sådan, den er tænkt. Skriv om udflugten i generelle vendinger, "
        "og sæt selv navne og detaljer på bagefter. Læs brevet igennem, før det sendes – du står "
        "stadig på som afsender. Kom forbi tirsdag, så viser jeg dig et par gode formuleringer.",
        9,
    ),
    (
        "Vi vil gerne prøve at lave ugeplanen med AI i Team Myretuen. Hvordan kommer vi bedst i "
        "gang, og skal vi spørge lederen først?",
        "",
        2,
    ),
]


def _questions(m: Municipality, lighthouse: Lighthouse, asker: Person, now: datetime.datetime) -> None:
    """Two questions from the demo's employee to the demo's lighthouse: one answered, one waiting."""
    for text, answer, days in QUESTIONS:
        asked_at = now - datetime.timedelta(days=days)
        LighthouseQuestion.objects.create(
            municipality=m,
            lighthouse=lighthouse,
            asker=asker,
            text=text,
            answer=answer,
            asked_at=asked_at,
            answered_at=asked_at + datetime.timedelta(days=1) if answer else None,
        )


def _leaders(m: Municipality) -> dict[int, Person]:
    """The leader of each unit (the first, if there are several)."""
    found: dict[int, Person] = {}
    for membership in Membership.objects.filter(municipality=m, is_leader=True).select_related("person").order_by("pk"):
        found.setdefault(membership.unit_id, membership.person)
    return found


def _member(m: Municipality, unit: Unit, *, deep: bool = False) -> Person | None:
    rows = Membership.objects.filter(municipality=m, is_leader=False)
    rows = rows.filter(unit__path__startswith=unit.path) if deep else rows.filter(unit=unit)
    membership = rows.select_related("person").order_by("pk").first()
    return membership.person if membership else None


def _area_of(person: Person) -> ProfessionalArea | None:
    membership = (
        Membership.objects.filter(person=person, professional_area__isnull=False)
        .select_related("professional_area")
        .first()
    )
    return membership.professional_area if membership else None


def _centre_of(unit: Unit, units: dict[str, Unit]) -> Unit | None:
    ids = unit.path_ids()
    if len(ids) < 2:
        return None
    return next((u for u in units.values() if u.pk == ids[1]), None)


def _history(m: Municipality, use_case: UseCase, status: str, owner: Person, director: Person) -> None:
    steps = {
        "idea": ["idea"],
        "assessed": ["idea", "assessed"],
        "pilot": ["idea", "assessed", "pilot"],
        "operation": ["idea", "assessed", "pilot", "operation"],
        "stopped": ["idea", "assessed", "stopped"],
    }[status]
    previous = ""
    for step in steps:
        StatusChange.objects.create(
            municipality=m,
            use_case=use_case,
            from_status=previous,
            to_status=step,
            decided_by=director if step == "operation" else owner,
            note="Erfaringerne var ikke gode nok til at fortsætte." if step == "stopped" else "",
        )
        previous = step
