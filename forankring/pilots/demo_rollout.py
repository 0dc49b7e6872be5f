"""Rollouts for "Eksempel Kommune": one that is ready and well under way (the office assistant in
the demo team leader's own daycare team, two weeks ticked off, a handful of concrete problems,
one of them the demo employee's), and one that is not ready yet (the meeting-minutes tool in the
communications team, whose leader has not tried it).

Written straight to the tables inside load_demo's transaction (its "demo.load" audit row covers
it), after tracks 1–3 have loaded theirs; every text is fictional."""

from __future__ import annotations

import datetime

from django.utils import timezone

from forankring.competence.dates import next_refresh_for
from forankring.competence.models import Activity, Record
from forankring.core.models import Membership, Municipality, Person, Role, RoleAssignment, Unit
from forankring.direction.models import Tool

from .models import ConcreteProblem, Pilot, Rollout, RolloutWeek

READY_PURPOSE = (
    "Ugeplaner og nyhedsbreve til forældrene, så pædagogerne bruger mindre tid ved computeren fredag "
    "eftermiddag og mere tid på gulvet med børnene."
)
NOT_READY_PURPOSE = "Referater af teamets egne møder og af redaktionsmøderne, så beslutningerne ligger klar samme dag."
WEEK_NOTES = [
    "Vi skrev ugeplanen sammen på personalemødet. Alle så, at udkastet skulle rettes til – det var godt at se.",
    "Vi fandt hver især en opgave på mødet, og flere har allerede skrevet den ind. Mange valgte nyhedsbrevet; "
    "to vil prøve at lave tjeklister til turdage.",
]
PROBLEMS = [
    ("Ugeplanen tager mig næsten en time hver fredag, fordi jeg starter fra et tomt ark.", False),
    ("Nyhedsbrevet til forældrene bliver for langt, og de læser det ikke.", True),
    ("Jeg vil have en fast skabelon til pakkeliste og tjekliste før turdage.", True),
    ("Referatet fra forældrerådet tager mig en hel aften at skrive rent.", False),
    ("Jeg skriver de samme påmindelser om tøj og regnsæt igen og igen.", False),
    ("Jeg vil prøve at få sangteksterne til temaugen sat op, så de er lette at læse.", False),
]


def _unit(m: Municipality, name: str) -> Unit | None:
    return Unit.objects.filter(municipality=m, name=name).order_by("path").first()


def _leaders(unit: Unit) -> list[Person]:
    ids = RoleAssignment.objects.filter(municipality_id=unit.municipality_id, unit=unit, role=Role.LEADER).values(
        "person_id"
    )
    return list(Person.objects.filter(pk__in=ids).order_by("pk"))


def _staff(unit: Unit, leaders: list[Person]) -> list[Person]:
    ids = Membership.objects.filter(municipality_id=unit.municipality_id, unit=unit).values("person_id")
    skip = {p.pk for p in leaders}
    return [p for p in Person.objects.filter(pk__in=ids).order_by("pk") if p.pk not in skip]


def _tool_activity(m: Municipality, tool: Tool) -> Activity | None:
    return Activity.objects.filter(municipality=m, tools=tool, is_active=True).order_by("pk").first()


def load(m: Municipality, logins: dict[str, Person]) -> None:
    today = timezone.localdate()
    tools = {t.name: t for t in Tool.objects.filter(municipality=m)}
    director = logins.get("direktion")
    team_leader, employee = logins.get("teamleder"), logins.get("medarbejder")
    assistant, minutes = tools.get("Kontorassistenten"), tools.get("Mødereferenten")
    if assistant is None or minutes is None or team_leader is None or employee is None:
        return  # track 1's demo tools are not there: nothing credible to roll out
    own_team = Membership.objects.filter(municipality=m, person=team_leader).select_related("unit").first()
    communications = _unit(m, "Kommunikation")
    if own_team is None or communications is None:
        return

    # Ready: the team leader tried the office assistant before anyone else did.
    team = own_team.unit
    activity = _tool_activity(m, assistant)
    if activity is not None and not Record.objects.filter(person=team_leader, activity=activity).exists():
        done = today - datetime.timedelta(days=40)
        Record.objects.create(
            municipality=m,
            person=team_leader,
            activity=activity,
            version=activity.version,
            completed_on=done,
            source=Record.Source.SELF,
            evidence="Kursusbevis fra e-læringen",
            next_refresh=next_refresh_for(activity, done),
            registered_by=team_leader,
        )
    ready = Rollout.objects.create(
        municipality=m,
        tool=assistant,
        unit=team,
        owner=team_leader,
        purpose=READY_PURPOSE,
        starts_on=today - datetime.timedelta(days=16),
        reminded_week=3,
        created_by=director,
    )
    for week, note in enumerate(WEEK_NOTES, start=1):
        RolloutWeek.objects.create(
            municipality=m,
            rollout=ready,
            week=week,
            note=note,
            done_by=team_leader,
            done_at=timezone.now() - datetime.timedelta(days=16 - 7 * week + 2),
        )
    writers = [employee, *[p for p in _staff(team, _leaders(team)) if p.pk != employee.pk]]
    ConcreteProblem.objects.bulk_create(
        ConcreteProblem(municipality=m, rollout=ready, person=person, text=text, solved=solved)
        for person, (text, solved) in zip(writers, PROBLEMS, strict=False)
    )

    # Not ready: the meeting-minutes tool is on its way to the communications team, whose leader
    # has not been through the tool's training yet.
    leaders = _leaders(communications)
    activity = _tool_activity(m, minutes)
    if activity is not None:
        Record.objects.filter(person__in=leaders, activity=activity).delete()
    # It scales the secretariat's pilot of meeting minutes (the sharing part's demo closed it "scale").
    scaled = Pilot.objects.filter(
        municipality=m, title="AI til referater af møder i Sekretariatet", decision=Pilot.Decision.SCALE
    ).first()
    Rollout.objects.create(
        municipality=m,
        tool=minutes,
        unit=communications,
        pilot=scaled,
        owner=leaders[0] if leaders else None,
        purpose=NOT_READY_PURPOSE,
        starts_on=today + datetime.timedelta(days=6),
        created_by=director,
    )
