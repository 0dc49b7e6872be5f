"""Every change to a rollout: one transactional, audited function each (CONTRIBUTING.md).

Bad input raises ValidationError keyed by the form field it belongs to, and nothing is saved.
"Mit ene konkrete problem" is audited without its text: the audit log says that the person
saved theirs, never what it says (models/rollout.py)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Municipality, Person, Unit
from forankring.direction.models import Tool
from forankring.notifications.actions import notify

from . import queries_rollout as q
from .models import ConcreteProblem, Pilot, Rollout, RolloutWeek
from .models.rollout import PLAN_WEEKS

# How far back a new rollout may start: a few days' slack for registering what already began.
START_SLACK_DAYS = 7


def _same_tenant(actor: Person, *objects: object) -> None:
    for obj in objects:
        if obj is not None and not access.same_tenant(actor, obj):
            access.deny()


def _label(rollout: Rollout) -> str:
    return str(rollout)


def start_rollout(
    *,
    actor: Person,
    tool: Tool,
    unit: Unit,
    starts_on: datetime.date,
    purpose: str,
    pilot: Pilot | None = None,
    today: datetime.date | None = None,
) -> Rollout:
    """A rollout of a tool to a unit, by whoever track 1 names for "scale_or_stop"."""
    _same_tenant(actor, tool, unit, pilot)
    if not access.can_start_rollout(actor, q.deciding_roles(actor)):
        access.deny()
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if tool.status != Tool.Status.APPROVED:
        errors["tool"] = _("Værktøjet er ikke godkendt i værktøjsregistret og kan ikke rulles ud.")
    if not unit.is_active:
        errors["unit"] = _("Enheden findes ikke længere.")
    if pilot is not None and (pilot.status != Pilot.Status.CLOSED or pilot.decision != Pilot.Decision.SCALE):
        errors["pilot"] = _("Kun en afsluttet afprøvning, der er besluttet udbredt, kan udbredes.")
    if starts_on < today - datetime.timedelta(days=START_SLACK_DAYS):
        errors["starts_on"] = _("Startdatoen kan højst ligge %(days)d dage tilbage.") % {"days": START_SLACK_DAYS}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rollout = Rollout(
            municipality_id=actor.municipality_id,
            tool=tool,
            unit=unit,
            pilot=pilot,
            starts_on=starts_on,
            purpose=purpose,
            created_by=actor,
        )
        rollout.full_clean()
        rollout.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.rollout.start",
            obj=rollout,
            changes={"tool": tool.name, "unit": unit.name, "starts_on": starts_on.isoformat()},
        )
    return rollout


def choose_owner(*, actor: Person, rollout: Rollout, owner: Person) -> Rollout:
    """Name the leader who owns the first 30 days; they are told at once."""
    _same_tenant(actor, rollout, owner)
    if not access.can_choose_rollout_owner(actor, q.deciding_roles(actor), rollout.unit):
        access.deny()
    if rollout.closed_at is not None:
        raise ValidationError({"owner": _("Udrulningen er afsluttet.")})
    if not owner.is_active or not access.can_lead_rollout(owner, rollout.unit):
        raise ValidationError({"owner": _("Ejeren skal være leder i enheden eller i en enhed over den.")})
    with transaction.atomic():
        before = {"owner": rollout.owner.name if rollout.owner else ""}
        rollout.owner = owner
        rollout.full_clean()
        rollout.save(update_fields=["owner"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.rollout.owner",
            obj=rollout,
            changes=audit.diff(before, {"owner": owner.name}),
        )
        notify(
            recipients=[owner],
            kind="rollout.owner",
            subject=_label(rollout),
            url=reverse("pilots:rollout", args=[rollout.pk]),
            actor=actor,
        )
    return rollout


def tick_week(
    *, actor: Person, rollout: Rollout, week: int, note: str, today: datetime.date | None = None
) -> RolloutWeek:
    """The owner ticks a week of the plan off, with a short note on how it went."""
    _same_tenant(actor, rollout)
    if not access.can_run_rollout_plan(actor, rollout.owner_id):
        access.deny()
    if not 1 <= week <= PLAN_WEEKS:
        access.deny()
    today = today or timezone.localdate()
    if rollout.closed_at is not None:
        raise ValidationError({"note": _("Udrulningen er afsluttet.")})
    starts = q.week_starts(rollout, week)
    if starts > today:
        raise ValidationError(
            {"note": _("Uge %(week)d begynder først den %(date)s.") % {"week": week, "date": f"{starts:%d-%m-%Y}"}}
        )
    with transaction.atomic():
        if RolloutWeek.objects.filter(municipality_id=actor.municipality_id, rollout=rollout, week=week).exists():
            raise ValidationError({"note": _("Ugen er allerede sat flueben ved.")})
        row = RolloutWeek(
            municipality_id=actor.municipality_id,
            rollout=rollout,
            week=week,
            note=note,
            done_by=actor,
            done_at=timezone.now(),
        )
        row.full_clean()
        row.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.rollout.week",
            obj=rollout,
            changes={"week": week, "note": note},
        )
    return row


def close_rollout(
    *, actor: Person, rollout: Rollout, gains: str, barriers: str, today: datetime.date | None = None
) -> Rollout:
    """The owner's closing note on gains and barriers, from the last week on."""
    _same_tenant(actor, rollout)
    if not access.can_run_rollout_plan(actor, rollout.owner_id):
        access.deny()
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if rollout.closed_at is not None:
        errors["gains"] = _("Udrulningen er allerede afsluttet.")
    elif not q.may_close(rollout, today):
        errors["gains"] = _("Afslutningsnoten kan skrives fra den sidste uge, den %(date)s.") % {
            "date": f"{q.week_starts(rollout, PLAN_WEEKS):%d-%m-%Y}"
        }
    if not gains.strip():
        errors.setdefault("gains", _("Skriv, hvad enheden har fået ud af det – også hvis det er lidt."))
    if not barriers.strip():
        errors["barriers"] = _("Skriv, hvad der stod i vejen – eller at intet gjorde.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rollout.gains, rollout.barriers, rollout.closed_at = gains, barriers, timezone.now()
        rollout.full_clean()
        rollout.save(update_fields=["gains", "barriers", "closed_at"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.rollout.close",
            obj=rollout,
            changes={"gains": gains, "barriers": barriers},
        )
    return rollout


def save_concrete_problem(*, actor: Person, rollout: Rollout, text: str, solved: bool) -> ConcreteProblem:
    """The person's own "one concrete problem" for the rollout, made or changed. Only people who
    work in the unit (or below it) have one; the text is audited as changed, never copied."""
    _same_tenant(actor, rollout)
    if not actor.is_active or not q.is_member(actor, rollout.unit):
        access.deny()
    if rollout.closed_at is not None:
        raise ValidationError({"text": _("Udrulningen er afsluttet.")})
    with transaction.atomic():
        problem = (
            ConcreteProblem.objects.select_for_update()
            .filter(municipality_id=actor.municipality_id, rollout=rollout, person=actor)
            .first()
        )
        created = problem is None
        if problem is None:
            problem = ConcreteProblem(municipality_id=actor.municipality_id, rollout=rollout, person=actor)
        before = {"solved": problem.solved}
        problem.text, problem.solved = text, solved
        problem.full_clean()
        problem.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.rollout.problem.add" if created else "pilots.rollout.problem.edit",
            obj=rollout,
            # Whether it was solved, never the text.
            changes=audit.diff(before, {"solved": solved}) if not created else {"solved": solved},
        )
    return problem


def delete_concrete_problem(*, actor: Person, rollout: Rollout) -> None:
    _same_tenant(actor, rollout)
    with transaction.atomic():
        problem = ConcreteProblem.objects.filter(
            municipality_id=actor.municipality_id, rollout=rollout, person=actor
        ).first()
        if problem is None or not access.can_read_concrete_problem(actor, problem.person_id):
            access.deny()
        problem.delete()
        audit.record(municipality=actor.municipality, actor=actor, action="pilots.rollout.problem.delete", obj=rollout)


def remind_rollout_owners(*, municipality: Municipality, today: datetime.date | None = None) -> int:
    """Tell each owner about the week's prompt when a week begins, and that the closing note is
    due when the four weeks are over; each once (Rollout.reminded_week). Run on a timer
    (manage.py remind_rollouts). Returns how many were told."""
    today = today or timezone.localdate()
    told = 0
    candidates = (
        Rollout.objects.filter(
            municipality=municipality,
            closed_at__isnull=True,
            owner__isnull=False,
            starts_on__lte=today,
            reminded_week__lte=PLAN_WEEKS,
        )
        .select_related("tool", "unit", "owner")
        .order_by("pk")
    )
    for rollout in candidates:
        due = PLAN_WEEKS + 1 if q.closing_due(rollout, today) else q.current_week(rollout, today)
        if due <= rollout.reminded_week:
            continue
        with transaction.atomic():
            locked = (
                Rollout.objects.select_for_update()
                .filter(pk=rollout.pk, reminded_week__lt=due)
                .update(reminded_week=due)
            )
            if not locked:
                continue
            assert rollout.owner is not None
            closing = due > PLAN_WEEKS
            notify(
                recipients=[rollout.owner],
                kind="rollout.closing_due" if closing else "rollout.week",
                subject=_label(rollout),
                url=reverse("pilots:rollout_close", args=[rollout.pk])
                if closing
                else reverse("pilots:rollout_week", args=[rollout.pk, due]),
            )
            audit.record(
                municipality=municipality,
                actor=None,
                actor_label=str(_("Påmindelser")),
                action="pilots.rollout.remind",
                obj=rollout,
                changes={"week": due},
            )
            told += 1
    return told
