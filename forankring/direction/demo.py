"""Track 1's example for "Eksempel Kommune": a purpose, three focus areas, a published AI-kompas
with four principles and the next version in MED hearing, nine tools across the tiers, the
decision rights, one version of the data rules, acknowledgements from part of the staff, and
concerns: three answered, one discussed, one just received.

Written straight to the tables inside load_demo's transaction (its "demo.load" audit row covers
it); the texts are fictional."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, Unit
from forankring.privacy.models import Concern, DataClass, ToolTier

from . import actions, rules
from .models import (
    Acknowledgement,
    Compass,
    CompassRule,
    ConcernAnswer,
    DecisionArea,
    DecisionRight,
    FocusArea,
    HearingComment,
    Principle,
    Purpose,
    RulesVersion,
    Tool,
)

PRINCIPLES = [
    (
        "Mennesket træffer beslutningen",
        "AI kan foreslå, opsummere og skrive udkast. En medarbejder vurderer altid resultatet og står inde for "
        "afgørelsen over for borgeren.",
    ),
    (
        "Vi passer på borgernes oplysninger",
        "Vi bruger kun de værktøjer og de slags data, reglerne tillader. Er vi i tvivl, spørger vi, før vi går i gang.",
    ),
    (
        "Vi er åbne om, hvornår AI har hjulpet",
        "Vi siger det til kolleger og borgere, når AI har været med til at lave et produkt, og vi deler både de gode "
        "og de dårlige erfaringer.",
    ),
    (
        "Vi lærer sammen og i det små",
        "Vi prøver af i korte forløb, ser på, hvad det gav, og deler det. Det er i orden, at noget ikke virker.",
    ),
]
NEXT_PRINCIPLE = (
    "AI skal give tid til kerneopgaven",
    "Vi bruger AI, hvor det frigør tid til borgerne og til det faglige arbejde – ikke for teknologiens skyld.",
)
ETHICS = (
    "AI bruges aldrig til at vurdere den enkelte medarbejders indsats.\n"
    "AI kan gentage skævheder fra de data, den er trænet på. Handler et svar om mennesker, tjekker vi det "
    "ekstra grundigt.\n"
    "Borgeren skal kunne få forklaret en afgørelse af et menneske."
)
RULES = [
    (
        "do",
        "Brug den godkendte kontorassistent til udkast til breve",
        "Bed om et udkast i et klart sprog, og ret det til, før det sendes.",
    ),
    (
        "do",
        "Tjek fakta og henvisninger i AI's svar",
        "En henvisning til en paragraf slås op i loven, før den bruges i en sag.",
    ),
    (
        "do",
        "Lad AI give et første udkast til ugeplaner og nyhedsbreve til forældre",
        "Skriv om »børnene på stuen« i stedet for de enkelte børn, og læs udkastet igennem, før det sendes.",
    ),
    ("dont", "Skriv ikke CPR-numre i en chatassistent", "Skriv »borgeren« i stedet for navn og personnummer."),
    (
        "dont",
        "Læg aldrig billeder af børn eller beskrivelser af et bestemt barn i et AI-værktøj",
        "Heller ikke for at lave en sjov tegning til garderoben – billeder af børn er personoplysninger.",
    ),
    (
        "dont",
        "Lad ikke AI træffe eller begrunde en afgørelse alene",
        "Afgørelsen skrives og underskrives af sagsbehandleren.",
    ),
]

# name, vendor, tier, status, data classes, purpose, dpa, dpia, licences, yearly cost, training
TOOLS = [
    (
        "Gratis chatbot på nettet",
        "Forskellige udbydere",
        "consumer",
        "approved",
        ["public"],
        "Idéer og omskrivning af tekster, der allerede er offentlige.",
        "none",
        "not_needed",
        None,
        None,
        "Læs AI-kompasset og reglerne for offentlige AI-tjenester.",
    ),
    (
        "Billedgenerator på nettet",
        "Forskellige udbydere",
        "consumer",
        "not_allowed",
        [],
        "Billeder til plakater og opslag.",
        "none",
        "not_needed",
        None,
        None,
        "",
    ),
    (
        "Kontorassistenten",
        "Stor Kontorsoftware A/S",
        "enterprise",
        "approved",
        ["public", "internal", "personal"],
        "Udkast til breve, notater, ugeplaner, nyhedsbreve til forældre og opsummeringer af lange dokumenter.",
        "done",
        "done",
        600,
        1_296_000,
        "E-læringen »Kom godt i gang med Kontorassistenten« (30 minutter).",
    ),
    (
        "Mødereferenten",
        "Referat ApS",
        "enterprise",
        "approved",
        ["public", "internal", "personal"],
        "Referater af interne møder ud fra en lydoptagelse.",
        "done",
        "not_needed",
        120,
        180_000,
        "Kun til interne møder, og alle deltagere skal vide, at mødet optages.",
    ),
    (
        "Oversætteren",
        "Sprogteknik A/S",
        "enterprise",
        "review",
        ["public", "internal"],
        "Oversættelse af breve og vejledninger til borgere, der ikke læser dansk.",
        "in_progress",
        "in_progress",
        None,
        None,
        "",
    ),
    (
        "Kommunens egen sprogmodel",
        "Kommunens IT-drift",
        "municipal",
        "approved",
        ["public", "internal", "personal", "cpr", "confidential"],
        "Opsummering og søgning i kommunens egne dokumenter uden, at data forlader kommunen.",
        "not_needed",
        "done",
        None,
        350_000,
        "Introduktion hos det lokale fyrtårn.",
    ),
    (
        "Diktat med talegenkendelse",
        "Tale og Tekst A/S",
        "municipal",
        "review",
        ["public", "internal", "personal"],
        "Diktat af notater i hjemmeplejen og på skoleområdet.",
        "in_progress",
        "in_progress",
        40,
        96_000,
        "",
    ),
    (
        "Journalhjælp i omsorgssystemet",
        "Omsorgssystemer A/S",
        "built_in",
        "approved",
        ["public", "internal", "personal", "cpr", "sensitive", "confidential"],
        "Forslag til dokumentation i borgerens journal, som medarbejderen retter og godkender.",
        "done",
        "done",
        None,
        240_000,
        "Kurset »Dokumentation med AI« i omsorgssystemet.",
    ),
    (
        "Sagsresumé i ESDH",
        "Sagssystemer A/S",
        "built_in",
        "approved",
        ["public", "internal", "personal", "cpr", "confidential"],
        "Et kort resumé af en sag, før man tager den over fra en kollega.",
        "done",
        "done",
        None,
        150_000,
        "",
    ),
]


def load(municipality: Municipality, logins: dict[str, Person], *, concerns: bool = True) -> None:
    m = municipality
    director, med = logins["direktion"], logins["med"]
    today = timezone.localdate()
    Purpose.objects.create(
        municipality=m,
        why=(
            "Vi bruger AI for at give medarbejderne mere tid til borgerne og til kerneopgaven, for at løfte "
            "kvaliteten i sagsbehandlingen og for at få færre fejl i rutineopgaver. AI skal styrke fagligheden, "
            "ikke erstatte den."
        ),
        ambitions=(
            "Mindre tid på referater og notater i alle centre inden udgangen af 2027\n"
            "Færre sager, der genåbnes på grund af fejl i breve\n"
            "Alle medarbejdere har haft en grundlæggende introduktion til AI\n"
            "Mindst tre afprøvninger i hvert center, hvor erfaringerne bliver delt"
        ),
        governance=(
            "Direktionen sætter retningen og godkender værktøjerne. Lederne gør retningen konkret i deres område, "
            "og medarbejderne afprøver og deler erfaringer. IT understøtter – fagområderne ejer brugen."
        ),
        whom_to_ask="Din nærmeste leder, de lokale fyrtårne, IT-servicedesken eller kommunens informationssikkerhed.",
    )
    FocusArea.objects.create(
        municipality=m,
        name="Sagsbehandling",
        why="Her bruges mest tid på at læse, skrive og opsummere, og bedre overblik giver borgerne hurtigere svar.",
    )
    FocusArea.objects.create(
        municipality=m,
        name="Borgerkommunikation",
        why="Breve og svar, som borgerne forstår første gang, giver færre henvendelser og mere tillid.",
    )
    FocusArea.objects.create(
        municipality=m,
        name="Dokumentation tæt på kerneopgaven",
        why=(
            "Pædagoger, lærere og plejepersonale bruger mange timer på planer, notater og beskeder. Hver time, "
            "AI kan spare her, kan gå til børnene og borgerne."
        ),
    )

    published = _compass(m, 1, Compass.Status.PUBLISHED, PRINCIPLES)
    published.published_at = timezone.now() - datetime.timedelta(days=60)
    published.save(update_fields=["published_at"])
    hearing = _compass(m, 2, Compass.Status.HEARING, [*PRINCIPLES, NEXT_PRINCIPLE])
    hearing.hearing_deadline = today + datetime.timedelta(days=14)
    hearing.save(update_fields=["hearing_deadline"])
    HearingComment.objects.create(
        municipality=m,
        compass=hearing,
        author=med,
        text=(
            "Det nye princip er godt. Vi foreslår, at det også nævner, at tid, der bliver frigjort, ikke automatisk "
            "betyder færre stillinger – det er en bekymring, vi hører i flere personalegrupper."
        ),
    )

    tiers = {t.key: t for t in ToolTier.objects.filter(municipality=m)}
    classes = {c.key: c for c in DataClass.objects.filter(municipality=m)}
    for name, vendor, tier, status, data, purpose, dpa, dpia, licences, cost, training in TOOLS:
        tool = Tool.objects.create(
            municipality=m,
            name=name,
            vendor=vendor,
            tier=tiers[tier],
            status=status,
            purpose=purpose,
            dpa_status=dpa,
            dpa_reference="Aftale 2025-114" if dpa == "done" else "",
            dpia_status=dpia,
            dpia_reference="Konsekvensanalyse i ESDH, sag 2025-0871" if dpia == "done" else "",
            technical_owner="IT-drift, team Platform",
            professional_owner="Digitaliseringsteamet" if tier != "built_in" else "Fagsystemets faglige ejer",
            licences=licences,
            yearly_cost=cost,
            training=training,
        )
        tool.data_classes.set([classes[key] for key in data])

    for position, default in enumerate(rules.DEFAULT_AREAS):
        area = DecisionArea.objects.create(
            municipality=m, key=default.key, name=default.name, scope=default.scope, position=position
        )
        DecisionRight.objects.bulk_create(
            DecisionRight(municipality=m, area=area, role=str(role), part=part) for role, part in default.parts.items()
        )
    RulesVersion.objects.create(
        municipality=m,
        number=1,
        rules=actions.snapshot(m.pk),
        note="Forankrings startværdier, gennemgået af IT.",
        changed_by=director,
    )

    if concerns:  # the generated municipality has concerns of its own (privacy.generate)
        _concerns(m)

    # Most have acknowledged version 1, more in some centres than in others; the
    # demo employee has not, so the home page asks them.
    rng = random.Random(9)
    people = (
        Membership.objects.filter(municipality=m, person__is_active=True)
        .exclude(person=logins["medarbejder"])
        .order_by("person_id")
        .values_list("person_id", "unit__path")
    )
    keen = {path for _pid, path in people if rng.random() < 0.5}
    chosen = {pid for pid, path in people if rng.random() < (0.85 if path in keen else 0.35)}
    Acknowledgement.objects.bulk_create(
        Acknowledgement(municipality=m, compass=published, person_id=pid) for pid in sorted(chosen)
    )


CONCERNS = [
    # kind, unit name, text, status, answer
    (
        "bekymring",
        "Center for Sundhed og Ældre",
        "Jeg er usikker på, om jeg må bruge AI til at skrive dagens notater, når de handler om borgernes helbred.",
        "answered",
        "Nej, ikke i de almindelige chatværktøjer. Helbredsoplysninger må kun bruges i journalhjælpen i "
        "omsorgssystemet, som er godkendt til det. Se »Må jeg bruge …?« under Retning og rammer.",
    ),
    (
        "oenske",
        "Direktionen",
        "Vi vil gerne have et fast sted, hvor vi kan dele gode måder at bruge kontorassistenten på.",
        "answered",
        "Det er en god idé. Fyrtårnene samler eksempler, og de bliver vist på siden for faglig forankring fra "
        "næste kvartal.",
    ),
    (
        "bekymring",
        "Direktionen",
        "Bliver der skåret i stillinger, når AI sparer tid på referater og notater?",
        "discussed",
        "",
    ),
    (
        "oenske",
        "Center for Dagtilbud og Skole",
        "Kan vi få en kort introduktion til AI på et personalemøde i stedet for et e-læringskursus?",
        "received",
        "",
    ),
    (
        "bekymring",
        "Center for Dagtilbud og Skole",
        "Hvad siger vi til forældre, der spørger, om vi bruger AI til at skrive om deres børn?",
        "answered",
        "Vi skriver ikke om det enkelte barn med AI. Ugeplaner og nyhedsbreve kan få et første udkast fra "
        "kontorassistenten, og så retter en pædagog det til. Det må gerne siges til forældrene – det er en del af "
        "princippet om at være åbne.",
    ),
]


def _concerns(m: Municipality) -> None:
    """Three answered and two open concerns, written as the anonymous form would (no author)."""
    units = {u.name: u for u in Unit.objects.filter(municipality=m, name__in={c[1] for c in CONCERNS})}
    for kind, unit_name, text, status, answer in CONCERNS:
        concern = Concern.objects.create(municipality=m, kind=kind, unit=units[unit_name], text=text)
        if status != "received":
            ConcernAnswer.objects.create(
                municipality=m,
                concern=concern,
                status=status,
                answer=answer,
                answered_on=timezone.localdate() if status == "answered" else None,
            )


def _compass(m: Municipality, version: int, status: str, principles: list[tuple[str, str]]) -> Compass:
    compass = Compass.objects.create(municipality=m, version=version, status=status, ethics=ETHICS)
    Principle.objects.bulk_create(
        Principle(municipality=m, compass=compass, position=i, headline=h, explanation=e)
        for i, (h, e) in enumerate(principles, start=1)
    )
    CompassRule.objects.bulk_create(
        CompassRule(municipality=m, compass=compass, kind=kind, text=text, example=example)
        for kind, text, example in RULES
    )
    return compass
