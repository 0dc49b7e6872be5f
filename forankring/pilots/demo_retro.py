"""The retrospective's demo: a finished retrospective on a closed pilot in the home care, and an
open board (taking cards) on an evaluating pilot in the demo logins' own team, so "teamleder",
"medarbejder" and "fyrtaarn" can write cards and run it, and "direktion" can decide.

The pilots are the retrospective's own (found by title first, so a pilot of the same title made
by another part of the demo is used instead of a second one)."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, Unit
from forankring.practice.models import UseCase

from .models import Pilot, PilotStatusChange
from .models.retro import RetroAction, RetroBoard, RetroCard, RetroColumn, RetroGroup, RetroVote

CLOSED_TITLE = "AI til referater af teammøder i Hjemmeplejen Syd"
OPEN_TITLE = "Ugeplaner med AI-udkast i Team Myretuen"

W, E, H, N = RetroColumn.WORKED, RetroColumn.EASIER, RetroColumn.HARDER, RetroColumn.NOW

# (column, heading, dots, discussion note, cards); a heading of "" is a card on its own.
CLOSED_TOPICS: list[tuple[str, str, int, str, list[str]]] = [
    (
        W,
        "Referatet kom ud samme dag",
        7,
        "Aftenvagten og weekendholdet fik beskederne med det samme i stedet for to dage efter.",
        [
            "Referatet lå klar samme eftermiddag, så aftenvagten også kunne læse det.",
            "Vi sparede omkring en halv time hver uge på at renskrive noter.",
        ],
    ),
    (
        W,
        "",
        3,
        "",
        ["Beslutningerne stod øverst, så det var nemt at se, hvem der gør hvad."],
    ),
    (
        E,
        "Fast skabelon og en der læser igennem",
        5,
        "Skabelonen bliver, og mødelederen læser fortsat altid referatet, før det deles.",
        [
            "Skabelonen med faste punkter: vagtplan, hjælpemidler, beskeder til aftenvagten.",
            "At mødelederen læste referatet igennem, før det blev delt.",
        ],
    ),
    (E, "", 1, "", ["Fyrtårnet viste os værktøjet på et kort møde, før vi gik i gang."]),
    (
        H,
        "Lyd og afbrydelser",
        9,
        "Personalerummet er for larmende. Vi prøver det lille mødelokale og en fælles mikrofon på bordet.",
        [
            "Når flere talte i munden på hinanden, blev referatet noget rod.",
            "Larm fra køkkenet i personalerummet.",
        ],
    ),
    (
        H,
        "Usikkerhed om borgeroplysninger",
        6,
        "Vi nævner aldrig borgere ved navn på mødet, når det optages. Sager om enkelte borgere tages "
        "bagefter, uden optagelse.",
        [
            "Vi var i tvivl om, hvad vi måtte sige om borgerne, mens det blev optaget.",
            "Det føltes forkert at tale om en borgers situation med værktøjet kørende.",
        ],
    ),
    (H, "", 2, "", ["Det tog tid at rette fagord som hverdagsrehabilitering og hjælpemiddeldepot."]),
    (N, "", 4, "", ["Holde teammødet i det lille mødelokale."]),
    (N, "", 3, "", ["Lave en fast liste over fagord, som værktøjet skal kende."]),
]

CLOSED_DECISION = (
    Pilot.Decision.ADJUST,
    "Referaterne sparer tid og når hele døgnet, men lyd og usikkerhed om borgeroplysninger skal løses "
    "først. Vi fortsætter i fire uger mere med mødelokalet, en fast ordliste og en klar regel om, at "
    "borgere ikke nævnes, mens der optages. Derefter vurderer vi igen, om det kan bredes ud.",
)

OPEN_CARDS: list[tuple[str, str]] = [
    (W, "Udkastet gav mig en god start fredag eftermiddag."),
    (W, "Forældrene har sagt, at planerne er blevet lettere at læse."),
    (E, "At vi skrev stikord i løbet af ugen på tavlen i garderoben."),
    (H, "Udkastet fandt på aktiviteter, vi slet ikke havde lavet."),
    (H, "Svært at nå at rette udkastet, når vi er få på arbejde."),
    (N, "Lave en fælles liste med gode stikord til ugeplanen."),
]


def _unit(m: Municipality, name: str) -> Unit | None:
    return Unit.objects.filter(municipality=m, name=name).order_by("path").first()


def _leader_of(m: Municipality, unit: Unit) -> Person | None:
    membership = (
        Membership.objects.filter(municipality=m, unit=unit, is_leader=True).select_related("person").order_by("pk")
    ).first()
    return membership.person if membership else None


def _staff(m: Municipality, unit: Unit) -> list[Person]:
    rows = Membership.objects.filter(municipality=m, unit=unit, is_leader=False).select_related("person")
    return [r.person for r in rows.order_by("pk")]


def _use_case(m: Municipality, title: str) -> UseCase | None:
    return UseCase.objects.filter(municipality=m, title=title).first() or UseCase.objects.filter(municipality=m).first()


def _pilot(
    m: Municipality,
    *,
    title: str,
    use_case: UseCase,
    units: list[Unit],
    leader: Person,
    approver: Person,
    starts_on: datetime.date,
    ends_on: datetime.date,
    status: str,
    goal: str,
    look_at: str,
    human_decides: str,
) -> Pilot:
    pilot = Pilot.objects.filter(municipality=m, title=title).first()
    if pilot is not None:
        return pilot
    pilot = Pilot.objects.create(
        municipality=m,
        title=title,
        use_case=use_case,
        leader=leader,
        goal=goal,
        look_at=look_at,
        starts_on=starts_on,
        ends_on=ends_on,
        small_and_safe=True,
        med_considered=True,
        med_note="Drøftet i det lokale MED-udvalg; medarbejderne kan til enhver tid sige fra.",
        human_decides=human_decides,
        status=status,
        approved_by=approver,
        approved_at=timezone.now() - datetime.timedelta(days=(timezone.localdate() - starts_on).days + 7),
        created_by=leader,
    )
    pilot.units.set(units)
    steps: list[str] = [Pilot.Status.IDEA, Pilot.Status.APPROVED, Pilot.Status.RUNNING, Pilot.Status.EVALUATING]
    last = steps.index(status) if status in steps else len(steps) - 1
    # Each step dated when it happened (the field stamps today): approved, started, ended.
    when: dict[str, datetime.date | None] = {
        Pilot.Status.APPROVED: pilot.approved_at,
        Pilot.Status.RUNNING: starts_on,
        Pilot.Status.EVALUATING: ends_on,
    }
    for before, after in itertools.pairwise(steps[: last + 1]):
        change = PilotStatusChange.objects.create(
            municipality=m,
            pilot=pilot,
            from_status=before,
            to_status=after,
            decided_by=approver if after == Pilot.Status.APPROVED else leader,
        )
        PilotStatusChange.objects.filter(pk=change.pk).update(decided_at=_moment(when[after]))
    return pilot


def _moment(day: datetime.date | datetime.datetime | None) -> datetime.datetime:
    if isinstance(day, datetime.datetime) or day is None:
        return day or timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def load(municipality: Municipality, logins: dict[str, Person]) -> None:
    m = municipality
    today = timezone.localdate()
    director = logins.get("direktion")
    _closed(m, today, director)
    _open(m, today, logins)


def _closed(m: Municipality, today: datetime.date, director: Person | None) -> None:
    havnen, bakken = _unit(m, "Distrikt Havnen"), _unit(m, "Distrikt Bakken")
    use_case = _use_case(m, "Skrive referat af teammøder")
    if havnen is None or bakken is None or use_case is None or director is None:
        return
    leader = _leader_of(m, havnen) or director
    pilot = _pilot(
        m,
        title=CLOSED_TITLE,
        use_case=use_case,
        units=[havnen, bakken],
        leader=leader,
        approver=leader,
        starts_on=today - datetime.timedelta(weeks=7),
        ends_on=today - datetime.timedelta(weeks=3),
        status=Pilot.Status.CLOSED,
        goal="Referatet af det ugentlige teammøde er klar samme dag, uden at nogen bruger aftenen på at renskrive.",
        look_at="Tid brugt på referater, om aftenvagten får beskederne, og om nogen føler sig overvåget.",
        human_decides="Mødelederen læser og retter referatet, før det deles med teamet.",
    )
    if RetroBoard.objects.filter(municipality=m, pilot=pilot).exists():
        return
    decision, note = CLOSED_DECISION
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.CLOSED, decision=decision, decision_note=note)
    closed = PilotStatusChange.objects.create(
        municipality=m,
        pilot=pilot,
        from_status=Pilot.Status.EVALUATING,
        to_status=Pilot.Status.CLOSED,
        note=note,
        decided_by=director,
    )
    # Decided at the retrospective, two weeks ago.
    PilotStatusChange.objects.filter(pk=closed.pk).update(decided_at=timezone.now() - datetime.timedelta(weeks=2))
    board = RetroBoard.objects.create(
        municipality=m, pilot=pilot, phase=RetroBoard.Phase.DONE, closed_at=timezone.now() - datetime.timedelta(weeks=2)
    )
    meeting = today - datetime.timedelta(weeks=2, days=1)
    for column, heading, dots, discussion, texts in CLOSED_TOPICS:
        group = RetroGroup.objects.create(
            municipality=m, board=board, column=column, heading=heading, note=discussion, votes=dots
        )
        RetroCard.objects.bulk_create(
            RetroCard(municipality=m, board=board, column=column, text=text, group=group, created_on=meeting)
            for text in texts
        )
        RetroVote.objects.bulk_create(
            RetroVote(municipality=m, board=board, group=group, created_on=meeting) for _ in range(dots)
        )
    staff = _staff(m, havnen) + _staff(m, bakken)
    owners = [leader, *(staff[:2] or [leader])]
    for what, owner, weeks in (
        ("Booke det lille mødelokale til alle teammøder", owners[0], 1),
        ("Lave en ordliste med fagord og hjælpemidler til værktøjet", owners[1], 2),
        ("Skrive reglen om borgeroplysninger ind i mødeskabelonen", owners[-1], 1),
    ):
        RetroAction.objects.create(
            municipality=m,
            board=board,
            what=what,
            owner=owner,
            due_on=meeting + datetime.timedelta(weeks=weeks + 2),
            created_by=leader,
        )


def _open(m: Municipality, today: datetime.date, logins: dict[str, Person]) -> None:
    team = _unit(m, "Team Myretuen")
    leader = logins.get("teamleder")
    use_case = _use_case(m, "Skrive ugeplaner til forældrene")
    if team is None or leader is None or use_case is None:
        return
    pilot = _pilot(
        m,
        title=OPEN_TITLE,
        use_case=use_case,
        units=[team],
        leader=leader,
        approver=leader,
        starts_on=today - datetime.timedelta(weeks=4, days=3),
        ends_on=today - datetime.timedelta(days=3),
        status=Pilot.Status.EVALUATING,
        goal="Ugeplanen til forældrene tager højst et kvarter at skrive og er lettere at læse.",
        look_at="Tiden fredag eftermiddag, forældrenes svar, og om planen stadig lyder som os.",
        human_decides="Pædagogen retter udkastet og godkender planen, før den sendes.",
    )
    if RetroBoard.objects.filter(municipality=m, pilot=pilot).exists():
        return
    board = RetroBoard.objects.create(municipality=m, pilot=pilot, phase=RetroBoard.Phase.CARDS)
    RetroCard.objects.bulk_create(
        RetroCard(municipality=m, board=board, column=column, text=text, created_on=today)
        for column, text in OPEN_CARDS
    )
