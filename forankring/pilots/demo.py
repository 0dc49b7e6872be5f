"""Track 4's example pilots for "Eksempel Kommune": one in every state across the professional
areas, one flagged as high-risk with its legal review, one the tool rules hold back, closed
pilots that were scaled, adjusted and stopped, and weekly pulses for the running and evaluating
ones. The demo employee has this week's pulse waiting.

Written straight to the tables inside load_demo's transaction (its "demo.load" audit row covers
it); the texts are fictional, in the project's own words."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Unit
from forankring.direction.models import Tool
from forankring.practice.models import UseCase
from forankring.privacy.models import DataClass

from . import rules
from .actions import receipt_key
from .models import Pilot, PilotPulse, PilotStatusChange, PulseAnswer, PulseReceipt

S, D = Pilot.Status, Pilot.Decision


@dataclass
class DemoPilot:
    title: str
    use_case: str  # a use case title from track 2's demo (made here if it is missing)
    area: str
    teams: list[str]
    status: str
    weeks_ago: int  # when it started
    weeks: int
    goal: str
    look_at: str
    human_decides: str
    med_note: str
    tools: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    high_risk: str = ""
    legal_review: str = ""
    decision: str = ""
    decision_note: str = ""
    extension: str = ""
    checklist_done: bool = True
    long_reason: str = ""
    # The evaluating step was taken by the system when the end date passed (evaluate_ended_pilots).
    ended_by_itself: bool = False


PILOTS = [
    DemoPilot(
        "AI til ugeplaner i Team Myretuen i 4 uger",
        "Skrive ugeplaner til forældrene",
        "Dagtilbud",
        ["Team Myretuen"],
        S.RUNNING,
        2,
        4,
        "Ugeplanen tager højst en halv time at skrive, og forældrene oplever den som lige så personlig som før.",
        "Hvor lang tid det tager om fredagen, om forældrene læser planen, og om nogen føler sig presset af værktøjet.",
        "Pædagogen retter udkastet og godkender hver plan, før den sendes til forældrene.",
        "Drøftet på MED-mødet i institutionen: ingen skal bruge værktøjet, før de har været med til introduktionen.",
        ["Kontorassistenten"],
        ["internal"],
    ),
    DemoPilot(
        "Referater af teammøder med Mødereferenten",
        "Skrive referat af teammøder",
        "Administration",
        ["Kommunikation", "Politisk sekretariat"],
        S.EVALUATING,
        6,
        5,
        "Referatet er klar samme dag som mødet, og ingen skal bruge aftenen på at renskrive.",
        "Tid brugt på referater, hvor mange rettelser udkastet kræver, og om alle tør sige noget, når mødet optages.",
        "Mødelederen læser referatet igennem og godkender det, før det deles.",
        "Aftalt med MED, at optagelsen slettes, når referatet er godkendt, og at man altid kan sige fra.",
        ["Mødereferenten"],
        ["internal"],
        extension="Vi manglede to møder på grund af ferie og forlængede med en uge.",
        ended_by_itself=True,
    ),
    DemoPilot(
        "Overblik over sagsakter før samtaler om sygedagpenge",
        "Opsummere lange sagsakter før et borgermøde",
        "Social og beskæftigelse",
        ["Team Sygedagpenge"],
        S.APPROVED,
        -1,
        6,
        "Sagsbehandleren møder forberedt op og bruger tiden på borgeren frem for på at lede i akterne.",
        "Forberedelsestid, om opsummeringen har fejl eller mangler, og om borgerne oplever samtalen som bedre.",
        "Sagsbehandleren træffer afgørelsen og tjekker altid opsummeringen mod sagens akter.",
        "MED i jobcentret er orienteret og har bedt om en status efter tre uger.",
        ["Kommunens egen sprogmodel"],
        ["personal"],
        high_risk="public_services",
        legal_review=(
            "Juridisk vurderet af kommunens jurist: opsummeringen er et arbejdsredskab og indgår ikke i afgørelsen. "
            "Krav: ingen automatisk indstilling, sagsbehandleren dokumenterer sin egen vurdering, og afprøvningen "
            "evalueres med Jura, før den udbredes."
        ),
    ),
    DemoPilot(
        "Notater med talegenkendelse i Distrikt Havnen",
        "Dokumentere besøg i hjemmeplejen",
        "Ældre og sundhed",
        ["Distrikt Havnen"],
        S.IDEA,
        -2,
        4,
        "Mindre tid ved skærmen efter hvert besøg og notater, som kollegerne kan læse.",
        "Tid pr. notat, kvaliteten af notaterne og om medarbejderne føler sig trygge ved at tale ind.",
        "Medarbejderen læser notatet igennem og står inde for det, før det gemmes i journalen.",
        "Skal drøftes på næste MED-møde i hjemmeplejen.",
        ["Diktat med talegenkendelse"],
        ["sensitive"],
        checklist_done=False,
    ),
    DemoPilot(
        "Forældresamtaler forberedt med skriveassistent i Team Egern",
        "Skrive ugeplaner til forældrene",
        "Dagtilbud",
        ["Team Egern", "Team Grævling"],
        S.IDEA,
        -1,
        4,
        "En fast skabelon til forberedelse af forældresamtaler, som sparer pædagogerne for at starte forfra.",
        "Forberedelsestid og om pædagogerne synes, skabelonen hjælper dem til at huske det vigtige.",
        "Pædagogen skriver selv vurderingen af barnet; værktøjet hjælper kun med dagsorden og sprog.",
        "Drøftet i MED i Skovbørnehaven: der må ikke skrives navne eller oplysninger om barnet ind.",
        ["Kontorassistenten"],
        ["internal"],
    ),
    DemoPilot(
        "Svar på typiske henvendelser i Ydelser",
        "Skrive svar på typiske borgerhenvendelser",
        "Administration",
        ["Ydelser", "Boligstøtte"],
        S.CLOSED,
        14,
        6,
        "Kortere svartid på de henvendelser, der ligner hinanden, uden at svarene bliver upersonlige.",
        "Svartid, antal opfølgende spørgsmål fra borgerne og medarbejdernes oplevelse af arbejdet.",
        "Medarbejderen tilpasser svaret til borgerens situation og sender det selv.",
        "MED fulgte afprøvningen og fik pulsen hver fjortende dag.",
        ["Kontorassistenten"],
        ["internal"],
        decision=D.SCALE,
        decision_note=(
            "Svartiden faldt, og borgerne spurgte sjældnere igen. Vi udbreder til Pas og kørekort med de samme "
            "skabeloner og en fyrtårnsperson i hvert team."
        ),
    ),
    DemoPilot(
        "Oversættelse af forældrebeskeder i Team Bikuben",
        "Oversætte beskeder til forældre, der ikke læser dansk",
        "Dagtilbud",
        ["Team Bikuben"],
        S.CLOSED,
        12,
        4,
        "Forældre, der ikke læser dansk, forstår de generelle beskeder om udflugter, lukkedage og sygdom.",
        "Om forældrene forstår beskederne, og hvor meget tid pædagogerne bruger på at tjekke oversættelsen.",
        "Pædagogen vurderer, om beskeden er egnet, og sender aldrig oplysninger om det enkelte barn.",
        "Drøftet i MED; aftalt at ingen skulle føle sig forpligtet til at bruge det.",
        ["Kontorassistenten"],
        ["public"],
        decision=D.STOP,
        decision_note=(
            "Det virkede ikke godt nok: oversættelserne til de to største sprog var for upræcise, og forældrene "
            "misforstod en besked om lukkedage. Vi lærte, at en tolk skal tjekke skabelonerne først. Vi stopper "
            "og tager det op igen, når kommunens oversætter er godkendt."
        ),
    ),
    DemoPilot(
        "Tjek af byggeansøgninger for manglende bilag",
        "Tjekke byggeansøgninger for manglende bilag",
        "Teknik og miljø",
        ["Byggesager"],
        S.CLOSED,
        20,
        8,
        "Ansøgeren får besked om manglende bilag inden for to dage.",
        "Hvor ofte listen over manglende bilag er rigtig, og hvor meget tid sagsbehandleren sparer.",
        "Sagsbehandleren afgør, om ansøgningen er fyldestgørende.",
        "Orienteret i MED for Byg og Plan.",
        ["Kommunens egen sprogmodel"],
        ["personal"],
        decision=D.ADJUST,
        decision_note=(
            "Listen fangede de fleste mangler, men tog fejl ved ældre tegninger. Vi justerer tjeklisten og prøver "
            "igen i fire uger med tegninger efter 2010."
        ),
    ),
]

EASIER = [
    "Udkastet gav mig et sted at starte, så det gik hurtigere.",
    "Vi har delt gode formuleringer i teamet.",
    "Det hjalp, at vi øvede os sammen første gang.",
    "Jeg brugte tiden på at tjekke indholdet i stedet for at skrive.",
    "Skabelonen gjorde det nemmere at huske alle punkter.",
]
HARDER = [
    "Det tog tid at rette sproget, så det lød som os.",
    "Jeg var i tvivl om, hvad jeg måtte skrive ind.",
    "Computeren på stuen er langsom, så det drillede.",
    "Travl uge med sygdom, så vi nåede det ikke hver dag.",
    "Udkastet var for langt og skulle skæres ned.",
]


def _use_case(m: Municipality, title: str, area: ProfessionalArea, unit: Unit, demo: DemoPilot) -> UseCase:
    found = UseCase.objects.filter(municipality=m, title=title).order_by("pk").first()
    if found is not None:
        return found
    return UseCase.objects.create(
        municipality=m,
        title=title,
        today="Opgaven løses i hånden i dag.",
        ai_help=demo.goal,
        human_decides=demo.human_decides,
        area=area,
        unit=unit,
        status=UseCase.Status.PILOT,
    )


def _team_leader(m: Municipality, unit: Unit) -> Person | None:
    row = (
        Membership.objects.filter(municipality=m, unit__path__startswith=unit.path, is_leader=True)
        .select_related("person")
        .order_by("unit__depth", "pk")
        .first()
    )
    if row is not None:
        return row.person
    above = Membership.objects.filter(municipality=m, unit_id__in=unit.path_ids(), is_leader=True)
    found = above.select_related("person").order_by("-unit__depth", "pk").first()
    return found.person if found else None


def _approver(m: Municipality, unit: Unit) -> Person | None:
    """The leader one level above the team (an institution's leader approves its teams' pilots)."""
    ids = unit.path_ids()[:-1]
    row = (
        Membership.objects.filter(municipality=m, unit_id__in=ids, is_leader=True)
        .select_related("person")
        .order_by("-unit__depth", "pk")
        .first()
    )
    return row.person if row else None


ORDER: list[str] = [S.IDEA, S.APPROVED, S.RUNNING, S.EVALUATING, S.CLOSED]


def load(municipality: Municipality, logins: dict[str, Person]) -> None:
    m = municipality
    rng = random.Random(4)
    units = {u.name: u for u in Unit.objects.filter(municipality=m)}
    areas = {a.name: a for a in ProfessionalArea.objects.filter(municipality=m)}
    tools = {t.name: t for t in Tool.objects.filter(municipality=m)}
    data = {d.key: d for d in DataClass.objects.filter(municipality=m)}
    director = logins["direktion"]
    today = timezone.localdate()
    this_week = rules.week_of(today)
    skip = logins.get("medarbejder")
    for demo in PILOTS:
        teams = [units[name] for name in demo.teams if name in units]
        if not teams or demo.area not in areas:
            continue
        leader = _team_leader(m, teams[0]) or director
        approver = _approver(m, teams[0]) or director
        starts = this_week - datetime.timedelta(weeks=demo.weeks_ago)
        ends = starts + datetime.timedelta(weeks=demo.weeks)
        if demo.extension:
            ends += datetime.timedelta(weeks=1)
        pilot = Pilot.objects.create(
            municipality=m,
            title=demo.title,
            use_case=_use_case(m, demo.use_case, areas[demo.area], teams[0], demo),
            leader=leader,
            goal=demo.goal,
            look_at=demo.look_at,
            starts_on=starts,
            ends_on=ends,
            long_reason=demo.long_reason,
            small_and_safe=demo.checklist_done,
            med_considered=demo.checklist_done,
            med_note=demo.med_note,
            human_decides=demo.human_decides,
            ai_act_areas=demo.high_risk,
            ai_act_flag=Pilot.AiActFlag.HIGH_RISK if demo.high_risk else Pilot.AiActFlag.NONE,
            legal_review_note=demo.legal_review if demo.status != S.IDEA else "",
            status=demo.status,
            decision=demo.decision,
            decision_note=demo.decision_note,
            approved_by=approver if demo.status != S.IDEA else None,
            approved_at=timezone.now() if demo.status != S.IDEA else None,  # dated by _history
            created_by=leader,
        )
        pilot.units.set(teams)
        pilot.tools.set([tools[n] for n in demo.tools if n in tools])
        pilot.data_classes.set([data[k] for k in demo.data if k in data])
        _history(m, pilot, demo, leader=leader, approver=approver, director=director)
        if demo.status in (S.RUNNING, S.EVALUATING, S.CLOSED):
            _pulses(m, pilot, teams, starts=starts, ends=min(ends, today), rng=rng, skip=skip, this_week=this_week)


def _history(
    m: Municipality, pilot: Pilot, demo: DemoPilot, *, leader: Person, approver: Person, director: Person
) -> None:
    """The steps the pilot has taken, each dated where it belongs in the pilot's period."""
    starts, ends = pilot.starts_on, pilot.ends_on
    notes: dict[str, str] = {
        S.APPROVED: "Tjeklisten er gennemgået, og data og værktøj er inden for reglerne.",
        S.RUNNING: "Introduktion holdt på personalemødet.",
        S.EVALUATING: "Perioden er slut; retrospektiv er aftalt.",
        S.CLOSED: demo.decision_note,
    }
    days: dict[str, int] = {
        S.APPROVED: -7,
        S.RUNNING: 0,
        S.EVALUATING: (ends - starts).days,
        S.CLOSED: (ends - starts).days + 7,
    }
    steps: list[tuple[str, str, Person | None, str, datetime.date]] = [
        (S.IDEA, S.IDEA, leader, "", starts - datetime.timedelta(days=14))
    ]
    for index in range(1, ORDER.index(demo.status) + 1):
        to = ORDER[index]
        who: Person | None = approver if to == S.APPROVED else director if to == S.CLOSED else leader
        note = notes[to]
        if to == S.EVALUATING and demo.ended_by_itself:
            # The day after the end date, as the timer does it: no person, no note.
            who, note, days[to] = None, "", (ends - starts).days + 1
        steps.append((ORDER[index - 1], to, who, note, starts + datetime.timedelta(days=days[to])))
        if to == S.RUNNING and demo.extension:
            steps.append((S.RUNNING, S.RUNNING, leader, demo.extension, ends - datetime.timedelta(days=10)))
    today = timezone.localdate()
    for before, after, who, note, day in steps:
        change = PilotStatusChange.objects.create(
            municipality=m,
            pilot=pilot,
            from_status=before,
            to_status=after,
            decided_by=who,
            note=note,
            period_ended=who is None and after == S.EVALUATING,
        )
        moment = timezone.make_aware(datetime.datetime.combine(min(day, today), datetime.time(10)))
        PilotStatusChange.objects.filter(pk=change.pk).update(decided_at=moment)
        if after == S.APPROVED and before == S.IDEA:
            Pilot.objects.filter(pk=pilot.pk).update(approved_at=moment)


def _pulses(
    m: Municipality,
    pilot: Pilot,
    teams: list[Unit],
    *,
    starts: datetime.date,
    ends: datetime.date,
    rng: random.Random,
    skip: Person | None,
    this_week: datetime.date,
) -> None:
    pulse = PilotPulse.objects.create(municipality=m, pilot=pilot)
    members = list(
        Person.objects.filter(
            municipality=m,
            memberships__unit__in=teams,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )
    week = rules.week_of(starts)
    mood = 3.0
    answers: list[PulseAnswer] = []
    receipts: list[PulseReceipt] = []
    while week <= ends:
        mood = min(4.6, mood + rng.uniform(-0.2, 0.5))
        easier, harder = rng.sample(EASIER, len(EASIER)), rng.sample(HARDER, len(HARDER))
        for person in members:
            if rng.random() < 0.2 or (week == this_week and person == skip):
                continue  # not everyone answers every week; the demo employee has this week's waiting
            score = max(1, min(5, round(rng.gauss(mood, 0.8))))
            answers.append(
                PulseAnswer(
                    municipality=m,
                    pulse=pulse,
                    week=week,
                    created_on=week,
                    score=score,
                    easier=easier.pop() if easier and rng.random() < 0.4 else "",
                    harder=harder.pop() if harder and rng.random() < 0.3 else "",
                )
            )
            receipts.append(PulseReceipt(municipality=m, key=receipt_key(person=person, pilot=pilot, week=week)))
        week += datetime.timedelta(weeks=1)
    # Shuffled, so not even the physical order of the rows follows the members' order.
    rng.shuffle(answers)
    rng.shuffle(receipts)
    PulseAnswer.objects.bulk_create(answers)
    PulseReceipt.objects.bulk_create(receipts)
