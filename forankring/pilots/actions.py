"""Track 4's changes to a pilot and its pulse: one transactional, audited function each.

Bad input raises ValidationError keyed by the form field it belongs to, so the view shows it
beside that field, and nothing is saved. A pulse answer is anonymous and never audited
(core/audit.py); its once-a-week receipt holds only an HMAC (see models/pulse.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Membership, Person, ProfessionalArea, RoleAssignment, Unit
from forankring.direction import rules as direction_rules
from forankring.direction.models import Tool
from forankring.notifications.actions import notify
from forankring.practice import actions as practice_actions
from forankring.practice.models import UseCase
from forankring.privacy.models import DataClass

from . import rules
from .models import Pilot, PilotPulse, PilotStatusChange, PulseAnswer, PulseReceipt

S = Pilot.Status
_RECEIPT_SALT = "forankring.pilots.pulse"
# Roles that may put a team into a pilot: the team's leaders and lighthouses, the direktion.


def _record(actor: Person, action: str, obj: object, changes: dict[str, object] | None = None) -> None:
    audit.record(municipality=actor.municipality, actor=actor, action=action, obj=obj, changes=changes)  # type: ignore[arg-type]


def _same_tenant(actor: Person, *objects: object) -> None:
    for obj in objects:
        if obj is not None and not access.same_tenant(actor, obj):
            access.deny()


def participants(pilot: Pilot) -> QuerySet[Person]:
    """The active people placed in the pilot's teams or below them: who gives the pulse."""
    paths = Q(pk__in=[])
    for unit in pilot.units.all():
        paths |= Q(unit__path__startswith=unit.path)
    placed = Membership.objects.filter(paths, municipality_id=pilot.municipality_id, person=OuterRef("pk"))
    return Person.objects.filter(municipality_id=pilot.municipality_id, is_active=True).filter(Exists(placed))


def deciders(pilot: Pilot) -> QuerySet[Person]:
    """The people who may approve the pilot for one of its teams (a deciding role in the team or
    above it): they are told when it is proposed."""
    ids: set[int] = set()
    for unit in pilot.units.all():
        ids.update(unit.path_ids())
    holds = RoleAssignment.objects.filter(
        municipality_id=pilot.municipality_id, role__in=approvers_roles(pilot), unit_id__in=ids, person=OuterRef("pk")
    )
    return Person.objects.filter(municipality_id=pilot.municipality_id, is_active=True).filter(Exists(holds))


def approvers_roles(pilot: Pilot) -> list[str]:
    return direction_rules.who_decides(pilot.municipality, "approve_pilot")


def can_approve(actor: Person, pilot: Pilot) -> bool:
    return access.can_decide_for_units(actor, approvers_roles(pilot), pilot.units.all())


def can_decide_outcome(actor: Person, pilot: Pilot) -> bool:
    roles = direction_rules.who_decides(pilot.municipality, "scale_or_stop")
    return access.can_decide_for_units(actor, roles, pilot.units.all())


def can_run(actor: Person, pilot: Pilot) -> bool:
    return access.can_run_pilot(actor, leader_id=pilot.leader_id, approvers=can_approve(actor, pilot))


# --- Create and edit ------------------------------------------------------------------------


@dataclass(frozen=True)
class NewUseCase:
    """The few fields of a use case made in place on the pilot form (track 2's action saves it)."""

    title: str
    today: str
    ai_help: str
    area: ProfessionalArea


# The pilot form's names for the use-case fields, so an error from track 2 lands beside its field.
NEW_USE_CASE_FIELDS = {"title": "uc_title", "today": "uc_today", "ai_help": "uc_ai_help", "area": "uc_area"}


def _owning_unit(actor: Person, team: Unit) -> Unit | None:
    """The actor's own unit (track 2's rule) closest above or at `team`: the new use case's owner."""
    from forankring.practice.queries import own_units

    covering = [u for u in own_units(actor) if team.path.startswith(u.path)]
    return max(covering, key=lambda u: u.depth) if covering else None


def _check_pilot_fields(
    actor: Person,
    *,
    units: list[Unit],
    leader: Person,
    starts_on: datetime.date,
    ends_on: datetime.date,
    long_reason: str,
) -> None:
    errors: dict[str, str] = {}
    if not units:
        errors["units"] = _("Vælg mindst ét team.")
    elif not all(access.can_put_team_in_pilot(actor, u) for u in units):
        errors["units"] = _("Vælg teams, du er leder eller fyrtårn for.")
    if not any(access.leads_unit(leader, u) for u in units):
        errors["leader"] = _("Den ansvarlige skal være leder for et af teamene.")
    if ends_on <= starts_on:
        errors["ends_on"] = _("Slutdatoen skal ligge efter startdatoen.")
    elif rules.needs_long_reason(starts_on, ends_on) and not long_reason.strip():
        errors["long_reason"] = _(
            "En afprøvning er tidsafgrænset: skriv, hvorfor den skal vare mere end 12 uger, eller gør den kortere."
        )
    if errors:
        raise ValidationError(errors)


def save_pilot(
    *,
    actor: Person,
    title: str,
    units: Iterable[Unit],
    leader: Person,
    goal: str,
    look_at: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    small_and_safe: bool,
    data_classes: Iterable[DataClass],
    tools: Iterable[Tool],
    med_considered: bool,
    human_decides: str,
    ai_act_answers: dict[str, bool],
    use_case: UseCase | None = None,
    new_use_case: NewUseCase | None = None,
    long_reason: str = "",
    med_note: str = "",
    pilot: Pilot | None = None,
) -> Pilot:
    """Propose a pilot (status idea), or change one that is still an idea. A use of AI that the
    EU AI Act forbids is refused with the rule named; a high-risk area is flagged for legal review."""
    units, data_classes, tools = list(units), list(data_classes), list(tools)
    _same_tenant(actor, leader, use_case, pilot, *units, *data_classes, *tools)
    if new_use_case is not None:
        _same_tenant(actor, new_use_case.area)
    if pilot is None and not access.can_propose_pilot(actor):
        access.deny()
    if pilot is not None and not access.can_edit_pilot(
        actor, leader_id=pilot.leader_id, created_by_id=pilot.created_by_id, is_idea=pilot.status == S.IDEA
    ):
        access.deny()
    screened = rules.screen(ai_act_answers)
    if screened.forbidden:
        raise ValidationError({q.key: rules.refusal(q) for q in screened.forbidden})
    if use_case is None and new_use_case is None:
        raise ValidationError({"use_case": _("Vælg en anvendelse, eller beskriv en ny.")})
    _check_pilot_fields(
        actor, units=units, leader=leader, starts_on=starts_on, ends_on=ends_on, long_reason=long_reason
    )
    with transaction.atomic():
        if new_use_case is not None:
            owner = _owning_unit(actor, units[0])
            if owner is None:
                raise ValidationError(
                    {"uc_title": _("Du kan kun oprette en anvendelse for dine egne enheder. Vælg en eksisterende.")}
                )
            try:
                use_case = practice_actions.save_use_case(
                    actor=actor,
                    title=new_use_case.title,
                    today=new_use_case.today,
                    ai_help=new_use_case.ai_help,
                    human_decides=human_decides,
                    area=new_use_case.area,
                    unit=owner,
                    value_types=[],
                    data_classes=data_classes,
                    tools=tools,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    raise ValidationError(
                        {NEW_USE_CASE_FIELDS.get(k, "uc_title"): v for k, v in error.error_dict.items()}
                    ) from error
                raise
        assert use_case is not None
        creating = pilot is None
        obj = pilot or Pilot(municipality_id=actor.municipality_id, created_by=actor)
        before = {"title": obj.title, "ends_on": str(obj.ends_on) if obj.ends_on else None}
        obj.title, obj.use_case, obj.leader = title.strip(), use_case, leader
        obj.goal, obj.look_at, obj.human_decides = goal, look_at, human_decides
        obj.starts_on, obj.ends_on = starts_on, ends_on
        obj.long_reason = long_reason if rules.needs_long_reason(starts_on, ends_on) else ""
        obj.small_and_safe, obj.med_considered, obj.med_note = small_and_safe, med_considered, med_note
        obj.ai_act_areas = screened.area_keys
        obj.ai_act_flag = Pilot.AiActFlag.HIGH_RISK if screened.high_risk else Pilot.AiActFlag.NONE
        obj.full_clean()
        obj.save()
        obj.units.set(units)
        obj.data_classes.set(data_classes)
        obj.tools.set(tools)
        if creating:
            PilotStatusChange.objects.create(
                municipality_id=actor.municipality_id, pilot=obj, from_status=S.IDEA, to_status=S.IDEA, decided_by=actor
            )
            _record(actor, "pilot.add", obj, {"title": obj.title, "ai_act": obj.ai_act_flag})
            notify(
                recipients=deciders(obj),
                kind="pilot.proposed",
                subject=obj.title,
                url=reverse("pilots:detail", kwargs={"pk": obj.pk}),
                actor=actor,
            )
        else:
            after = {"title": obj.title, "ends_on": str(obj.ends_on)}
            _record(actor, "pilot.edit", obj, {**audit.diff(before, after), "ai_act": obj.ai_act_flag})
    return obj


# --- Status -----------------------------------------------------------------------------------


def _move(
    actor: Person | None,
    pilot: Pilot,
    to_status: str,
    *,
    note: str,
    action: str,
    extra: dict[str, object],
    period_ended: bool = False,
) -> None:
    """One step of the status, its history row and its audit row; inside the caller's transaction.
    Without an actor the step is the system's (the period ran out): no person in the history or
    the audit row, which the log shows as "Systemet"."""
    from_status = pilot.status
    pilot.status = to_status
    pilot.full_clean()
    pilot.save()
    PilotStatusChange.objects.create(
        municipality_id=pilot.municipality_id,
        pilot=pilot,
        from_status=from_status,
        to_status=to_status,
        note=note,
        decided_by=actor,
        period_ended=period_ended,
    )
    changes = {"status": {"before": from_status, "after": to_status}, **extra}
    if actor is not None:
        _record(actor, action, pilot, changes)
    else:
        audit.record(municipality=pilot.municipality, actor=None, action=action, obj=pilot, changes=changes)


def _locked(pilot: Pilot) -> Pilot:
    """The pilot's row under lock, so two people cannot both move it."""
    return Pilot.objects.select_for_update().get(pk=pilot.pk, municipality_id=pilot.municipality_id)


def _expect(pilot: Pilot, *statuses: str) -> None:
    if pilot.status not in statuses:
        raise ValidationError({"note": _("Afprøvningen har skiftet status i mellemtiden. Se den igen.")})


def _tell(actor: Person | None, pilot: Pilot, kind: str) -> None:
    notify(
        recipients=[pilot.leader, *participants(pilot)],
        kind=kind,
        subject=pilot.title,
        url=reverse("pilots:detail", kwargs={"pk": pilot.pk}),
        actor=actor,
    )


def approve_pilot(*, actor: Person, pilot: Pilot, note: str = "", legal_review_note: str = "") -> Pilot:
    """Approve an idea, by whom track 1's decision rights name for every team of the pilot. The
    checklist must hold, the tools must be allowed the data, and a high-risk area needs a
    recorded legal review."""
    _same_tenant(actor, pilot)
    if not can_approve(actor, pilot):
        access.deny()
    with transaction.atomic():
        pilot = _locked(pilot)
        _expect(pilot, S.IDEA)
        blockers = rules.approval_blockers(
            pilot, rules.data_flags(pilot.municipality_id, pilot.tools.all(), pilot.data_classes.all())
        )
        if blockers:
            raise ValidationError({"note": [b.message for b in blockers]})
        if pilot.ai_act_flag == Pilot.AiActFlag.HIGH_RISK:
            if not legal_review_note.strip():
                raise ValidationError(
                    {
                        "legal_review_note": _(
                            "Afprøvningen rører et højrisikoområde i AI-forordningen. Skriv den juridiske vurdering, "
                            "før den godkendes."
                        )
                    }
                )
            pilot.legal_review_note = legal_review_note
        pilot.approved_by, pilot.approved_at = actor, timezone.now()
        _move(
            actor, pilot, S.APPROVED, note=note, action="pilot.approve", extra={"legal_review": bool(legal_review_note)}
        )
        _tell(actor, pilot, "pilot.approved")
    return pilot


def start_pilot(*, actor: Person, pilot: Pilot, note: str = "") -> Pilot:
    """The approved pilot begins: the weekly pulse opens for the participants."""
    _same_tenant(actor, pilot)
    if not can_run(actor, pilot):
        access.deny()
    with transaction.atomic():
        pilot = _locked(pilot)
        _expect(pilot, S.APPROVED)
        _move(actor, pilot, S.RUNNING, note=note, action="pilot.start", extra={})
        PilotPulse.objects.get_or_create(municipality_id=pilot.municipality_id, pilot=pilot)
        _tell(actor, pilot, "pilot.started")
    return pilot


def evaluate_pilot(*, actor: Person, pilot: Pilot, note: str = "") -> Pilot:
    """The running period is over (or stopped early): time for the retrospective and the decision."""
    _same_tenant(actor, pilot)
    if not can_run(actor, pilot):
        access.deny()
    with transaction.atomic():
        pilot = _locked(pilot)
        _expect(pilot, S.RUNNING)
        _move(actor, pilot, S.EVALUATING, note=note, action="pilot.evaluate", extra={})
        _tell(actor, pilot, "pilot.evaluating")
    return pilot


def evaluate_ended_pilots(*, today: datetime.date | None = None) -> int:
    """Every running pilot whose end date has passed goes to evaluating by itself, through the
    same step as a person's: a history row marked as the period having ended, an audit row with
    no person (the system), and the leader and participants told. Run on a timer (manage.py
    evaluate_ended_pilots); safe to run as often as one likes, since a pilot that has moved on, or
    whose end was moved later in the meantime, is left alone. Returns how many moved.

    One read finds the due pilots of every municipality (the status index); each then moves in a
    transaction of its own under the row lock, so one pilot's failure does not hold back the rest."""
    today = today or timezone.localdate()
    due = list(
        Pilot.objects.filter(status=S.RUNNING, ends_on__lt=today)
        .order_by("municipality_id", "pk")
        .values_list("pk", flat=True)
    )
    moved = 0
    for pk in due:
        with transaction.atomic():
            pilot = (
                Pilot.objects.select_for_update(of=("self",))
                .select_related("municipality", "leader")
                .filter(pk=pk, status=S.RUNNING, ends_on__lt=today)
                .first()
            )
            if pilot is None:
                continue  # moved by a person, or extended, since the read above
            _move(
                None,
                pilot,
                S.EVALUATING,
                note="",
                action="pilot.period_ended",
                extra={"ends_on": str(pilot.ends_on)},
                period_ended=True,
            )
            _tell(None, pilot, "pilot.evaluating")
            moved += 1
    return moved


def close_pilot(*, actor: Person, pilot: Pilot, decision: str, note: str) -> Pilot:
    """Close the pilot with the decision to scale, adjust or stop, by whom track 1's decision
    rights name for "scale_or_stop". The retrospective calls this with the meeting's decision."""
    _same_tenant(actor, pilot)
    if not can_decide_outcome(actor, pilot):
        access.deny()
    if decision not in Pilot.Decision.values:
        raise ValidationError({"decision": _("Vælg udbred, justér eller stop.")})
    if not note.strip():
        raise ValidationError({"note": _("Skriv kort, hvorfor I har besluttet det.")})
    with transaction.atomic():
        pilot = _locked(pilot)
        _expect(pilot, S.RUNNING, S.EVALUATING)
        pilot.decision, pilot.decision_note = decision, note
        _move(actor, pilot, S.CLOSED, note=note, action="pilot.close", extra={"decision": decision})
        _tell(actor, pilot, "pilot.closed")
    return pilot


def extend_pilot(*, actor: Person, pilot: Pilot, ends_on: datetime.date, reason: str) -> Pilot:
    """Move the end date later; it always needs a reason, kept in the history."""
    _same_tenant(actor, pilot)
    if not can_run(actor, pilot):
        access.deny()
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv, hvorfor afprøvningen skal forlænges.")})
    with transaction.atomic():
        pilot = _locked(pilot)
        if pilot.status not in rules.EXTENDABLE:
            raise ValidationError({"ends_on": _("Kun en godkendt eller igangværende afprøvning kan forlænges.")})
        if ends_on <= pilot.ends_on:
            raise ValidationError({"ends_on": _("Den nye slutdato skal ligge efter den nuværende.")})
        before = str(pilot.ends_on)
        pilot.ends_on = ends_on
        if rules.needs_long_reason(pilot.starts_on, ends_on) and not pilot.long_reason:
            pilot.long_reason = reason
        pilot.full_clean()
        pilot.save()
        PilotStatusChange.objects.create(
            municipality_id=actor.municipality_id,
            pilot=pilot,
            from_status=pilot.status,
            to_status=pilot.status,
            note=reason,
            decided_by=actor,
        )
        _record(actor, "pilot.extend", pilot, {"ends_on": {"before": before, "after": str(ends_on)}})
    return pilot


# --- The weekly pulse -------------------------------------------------------------------------


def receipt_key(*, person: Person, pilot: Pilot, week: datetime.date) -> str:
    return salted_hmac(_RECEIPT_SALT, f"{pilot.pk}:{person.pk}:{week.isoformat()}", algorithm="sha256").hexdigest()


def is_participant(person: Person, pilot: Pilot) -> bool:
    return participants(pilot).filter(pk=person.pk).exists()


def give_pulse(
    *, actor: Person, pilot: Pilot, score: int, easier: str = "", harder: str = "", today: datetime.date | None = None
) -> PulseAnswer:
    """A participant's answer for this week, once. Stored without them: the answer carries the
    week and the pilot's pulse; a separate receipt (an HMAC, no link to the answer) says that
    someone has answered. Not audited and nobody is told (an audit row would name the actor)."""
    _same_tenant(actor, pilot)
    if pilot.status != S.RUNNING or not is_participant(actor, pilot):
        access.deny()
    if score not in (1, 2, 3, 4, 5):
        raise ValidationError({"score": _("Vælg et tal fra 1 til 5.")})
    week = rules.week_of(today or timezone.localdate())
    pulse = PilotPulse.objects.get_or_create(municipality_id=pilot.municipality_id, pilot=pilot)[0]
    already = _("Du har allerede svaret i denne uge. Du kan svare igen fra mandag.")
    try:
        with transaction.atomic():
            PulseReceipt.objects.create(
                municipality_id=actor.municipality_id, key=receipt_key(person=actor, pilot=pilot, week=week)
            )
            answer = PulseAnswer(
                municipality_id=actor.municipality_id,
                pulse=pulse,
                week=week,
                created_on=week,
                score=score,
                easier=easier.strip(),
                harder=harder.strip(),
            )
            answer.full_clean()
            answer.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"score": already}) from None
    return answer
