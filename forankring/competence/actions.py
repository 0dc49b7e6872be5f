"""Every change in track 3: one transactional, audited function per change (CONTRIBUTING.md).

The one exception is marking a prompt useful (`toggle_useful`): auditing it would write down
who found which prompt useful, which is exactly what the count must not reveal."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from forankring.core import access, audit
from forankring.core.models import Person, ProfessionalArea
from forankring.direction.models import Tool
from forankring.notifications.actions import notify
from forankring.privacy.models import ToolTier

from .dates import next_refresh_for
from .models import (
    Activity,
    CompetenceSettings,
    LearningPath,
    Level,
    PathStep,
    Prompt,
    Record,
    Session,
    Signup,
    UsefulMark,
)
from .notices import REFRESH_AHEAD, REMINDER_AHEAD, session_subject
from .useful import useful_key


def _same_tenant(actor: Person, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and not access.same_tenant(actor, obj):
            access.deny()


# --- Settings and levels ----------------------------------------------------------------------


def save_settings(*, actor: Person, leaders_see_mandatory: bool) -> CompetenceSettings:
    if not access.can_edit_levels(actor):
        access.deny()
    with transaction.atomic():
        settings, _created = CompetenceSettings.objects.get_or_create(municipality=actor.municipality)
        before = {"leaders_see_mandatory": settings.leaders_see_mandatory}
        settings.leaders_see_mandatory = leaders_see_mandatory
        settings.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.settings",
            obj=settings,
            changes=audit.diff(before, {"leaders_see_mandatory": leaders_see_mandatory}),
        )
    return settings


def save_level(
    *, actor: Person, level: Level | None, name: str, goals: str, name_en: str = "", goals_en: str = ""
) -> Level:
    if not access.can_edit_levels(actor):
        access.deny()
    _same_tenant(actor, level)
    with transaction.atomic():
        if level is None:
            taken = set(Level.objects.filter(municipality=actor.municipality).values_list("key", flat=True))
            base = slugify(name)[:36] or "niveau"
            key, n = base, 2
            while key in taken:
                key, n = f"{base}-{n}", n + 1
            position = Level.objects.filter(municipality=actor.municipality).count()
            level = Level(municipality=actor.municipality, key=key, position=position)
            before: dict[str, Any] = {}
            action = "competence.level.add"
        else:
            before = {"name": level.name, "goals": level.goals, "name_en": level.name_en, "goals_en": level.goals_en}
            action = "competence.level.edit"
        level.name, level.goals, level.name_en, level.goals_en = name, goals, name_en, goals_en
        level.full_clean()
        level.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action=action,
            obj=level,
            changes=audit.diff(before, {"name": name, "goals": goals, "name_en": name_en, "goals_en": goals_en}),
        )
    return level


# --- Activities and sessions -----------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "level",
    "form",
    "description",
    "tasks",
    "duration_minutes",
    "version",
    "materials_url",
    "mandatory",
    "refresh_months",
    "is_active",
)


def save_activity(
    *,
    actor: Person,
    activity: Activity | None,
    areas: Iterable[ProfessionalArea] = (),
    tools: Iterable[Tool] = (),
    **fields: Any,
) -> Activity:
    if not access.can_manage_learning(actor):
        access.deny()
    areas, tools = list(areas), list(tools)
    _same_tenant(actor, activity, fields.get("level"), *areas, *tools)
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")
    with transaction.atomic():
        if activity is None:
            activity = Activity(municipality=actor.municipality)
            before: dict[str, Any] = {}
            action = "competence.activity.add"
        else:
            before = _activity_state(activity)
            action = "competence.activity.edit"
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.full_clean()
        activity.save()
        activity.areas.set(areas)
        activity.tools.set(tools)
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action=action,
            obj=activity,
            changes=audit.diff(before, _activity_state(activity)),
        )
    return activity


def _activity_state(activity: Activity) -> dict[str, Any]:
    state: dict[str, Any] = {name: getattr(activity, name) for name in ACTIVITY_FIELDS if name != "level"}
    state["level"] = activity.level_id
    state["areas"] = sorted(a.pk for a in activity.areas.all()) if activity.pk else []
    state["tools"] = sorted(t.pk for t in activity.tools.all()) if activity.pk else []
    return state


def add_session(
    *,
    actor: Person,
    activity: Activity,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    capacity: int,
    host: Person | None,
) -> Session:
    if not access.can_manage_learning(actor):
        access.deny()
    _same_tenant(actor, activity, host)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Holdet skal slutte, efter det er begyndt.")})
    with transaction.atomic():
        session = Session(
            municipality=actor.municipality,
            activity=activity,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place,
            capacity=capacity,
            host=host,
        )
        session.full_clean()
        session.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.session.add",
            obj=session,
            changes={"starts_at": starts_at, "place": place, "capacity": capacity, "host": host.pk if host else None},
        )
    return session


def change_session(
    *,
    actor: Person,
    session: Session,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    capacity: int,
    host: Person | None,
    now: datetime.datetime | None = None,
) -> Session:
    """Move a session, change its place, seats or host. Those signed up (seats and waiting list)
    are told when the time or the place changes; more seats move the waiting list up; fewer seats
    than people already given one are refused (a facilitator calls people off themselves)."""
    if not access.can_manage_learning(actor):
        access.deny()
    _same_tenant(actor, session, host)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
        _refuse_unless_ahead(locked, now)
        errors: dict[str, Any] = {}
        if ends_at <= starts_at:
            errors["ends_at"] = _("Holdet skal slutte, efter det er begyndt.")
        seats = Signup.objects.filter(session=locked, status=Signup.Status.SEAT).count()
        if capacity < seats:
            errors["capacity"] = _("Pladser givet: %(n)d. Antallet af pladser kan ikke være lavere.") % {"n": seats}
        if errors:
            raise ValidationError(errors)
        before = {
            "starts_at": locked.starts_at,
            "ends_at": locked.ends_at,
            "place": locked.place,
            "capacity": locked.capacity,
            "host": locked.host_id,
        }
        locked.starts_at, locked.ends_at, locked.place, locked.capacity, locked.host = (
            starts_at,
            ends_at,
            place,
            capacity,
            host,
        )
        locked.full_clean()
        locked.save(update_fields=["starts_at", "ends_at", "place", "capacity", "host"])
        after = {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "capacity": capacity,
            "host": locked.host_id,
        }
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.session.edit",
            obj=locked,
            changes=audit.diff(before, after),
        )
        if before["starts_at"] != starts_at:
            # Reminded of the old time: remind again of the new one.
            Signup.objects.filter(session=locked).update(reminded_at=None)
        signed_up = list(
            Signup.objects.filter(session=locked, status__in=[Signup.Status.SEAT, Signup.Status.WAITING])
            .select_related("person")
            .order_by("queued_at", "pk")
        )
        if capacity > seats:
            waiting = [s for s in signed_up if s.status == Signup.Status.WAITING][: capacity - seats]
            if waiting:
                _promote(actor=actor, session=locked, signups=waiting)
        if any(before[key] != after[key] for key in ("starts_at", "ends_at", "place")):
            notify(
                recipients=[s.person for s in signed_up],
                kind="competence.session_changed",
                subject=session_subject(locked),
                url=_session_url(locked),
                actor=actor,
            )
    return locked


def call_off_session(*, actor: Person, session: Session, now: datetime.datetime | None = None) -> Session:
    """Call a session off. It stays, with who had signed up, and everyone signed up is told."""
    if not access.can_manage_learning(actor):
        access.deny()
    _same_tenant(actor, session)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
        _refuse_unless_ahead(locked, now)
        locked.cancelled_at = now
        locked.save(update_fields=["cancelled_at"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.session.cancel",
            obj=locked,
            changes={"cancelled_at": now},
        )
        notify(
            recipients=[
                s.person
                for s in Signup.objects.filter(
                    session=locked, status__in=[Signup.Status.SEAT, Signup.Status.WAITING]
                ).select_related("person")
            ],
            kind="competence.session_cancelled",
            subject=session_subject(locked),
            url=_session_url(locked),
            actor=actor,
        )
    return locked


def _refuse_unless_ahead(session: Session, now: datetime.datetime) -> None:
    if session.cancelled_at is not None:
        raise ValidationError(_("Holdet er aflyst."))
    if session.starts_at <= now:
        raise ValidationError(_("Holdet er begyndt og kan ikke længere ændres eller aflyses."))


def _session_url(session: Session) -> str:
    return reverse("competence:session_detail", kwargs={"pk": session.pk})


def sign_up(*, actor: Person, session: Session, now: datetime.datetime | None = None) -> Signup:
    """A seat if one is free, else the back of the waiting list.

    The session row is locked first (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers anyway), so two people signing up for the last seat at the
    same moment are counted one after the other and never both get it. The same person pressing
    twice gets the place the first press gave (`already` is then True on it), never a second
    one and never an error."""
    _same_tenant(actor, session)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
        if locked.cancelled_at is not None:
            raise ValidationError(_("Holdet er aflyst."))
        if locked.starts_at <= now:
            raise ValidationError(_("Holdet er begyndt, så du kan ikke længere tilmelde dig."))
        signup = Signup.objects.filter(session=locked, person=actor).first()
        if signup is not None and signup.status != Signup.Status.CANCELLED:
            return _already(signup)
        seats = Signup.objects.filter(session=locked, status=Signup.Status.SEAT).count()
        waiting = Signup.objects.filter(session=locked, status=Signup.Status.WAITING).exists()
        status = Signup.Status.SEAT if seats < locked.capacity and not waiting else Signup.Status.WAITING
        if signup is None:
            signup = Signup(municipality=actor.municipality, session=locked, person=actor)
        signup.status, signup.queued_at, signup.reminded_at = status, now, None
        try:
            # A savepoint: should another request for the same person have slipped in between
            # (a database that does not serialise as ours do), its place stands and this one
            # answers with it instead of failing.
            with transaction.atomic():
                signup.save()
        except IntegrityError:
            return _already(Signup.objects.get(session=locked, person=actor))
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.signup" if status == Signup.Status.SEAT else "competence.waiting",
            obj=locked,
            changes={"person": actor.pk},
        )
        # The person is told too (no actor passed): the confirmation, by e-mail if they want it.
        notify(
            recipients=[actor],
            kind="competence.seat" if status == Signup.Status.SEAT else "competence.waiting",
            subject=session_subject(locked),
            url=_session_url(locked),
        )
    return signup


def _already(signup: Signup) -> Signup:
    signup.already = True  # type: ignore[attr-defined]
    return signup


def cancel(*, actor: Person, session: Session) -> Signup | None:
    """Give up a seat or a place in the waiting list. A freed seat goes to the first person
    waiting, in the same transaction; that person is returned."""
    _same_tenant(actor, session)
    with transaction.atomic():
        locked = Session.objects.select_for_update(of=("self",)).select_related("activity").get(pk=session.pk)
        signup = Signup.objects.filter(
            session=locked, person=actor, status__in=[Signup.Status.SEAT, Signup.Status.WAITING]
        ).first()
        if signup is None:
            raise ValidationError(_("Du er ikke tilmeldt holdet."))
        had_seat = signup.status == Signup.Status.SEAT
        signup.status = Signup.Status.CANCELLED
        signup.save(update_fields=["status"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.cancel",
            obj=locked,
            changes={"person": actor.pk},
        )
        promoted = None
        if had_seat and locked.cancelled_at is None:
            promoted = (
                Signup.objects.filter(session=locked, status=Signup.Status.WAITING)
                .select_related("person")
                .order_by("queued_at", "pk")
                .first()
            )
            if promoted is not None:
                _promote(actor=actor, session=locked, signups=[promoted])
    return promoted


def _promote(*, actor: Person, session: Session, signups: list[Signup]) -> None:
    """Give the waiting `signups` a seat, audited, and tell each of them."""
    for signup in signups:
        signup.status = Signup.Status.SEAT
    Signup.objects.bulk_update(signups, ["status"])
    for signup in signups:
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.promote",
            obj=session,
            changes={"person": signup.person_id},
        )
    notify(
        recipients=[s.person for s in signups],
        kind="competence.promoted",
        subject=session_subject(session),
        url=_session_url(session),
    )


# --- Records -------------------------------------------------------------------------------


def complete(
    *,
    actor: Person,
    activity: Activity,
    completed_on: datetime.date,
    evidence: str,
    confirmed: bool,
) -> Record:
    """The person registers that they have completed an activity themselves.

    Once a day per activity: the database's unique constraint decides it, inside a savepoint, so
    two presses at the same moment give one record and, for the second, the same friendly error
    as pressing again later, never a server error."""
    _same_tenant(actor, activity)
    errors: dict[str, Any] = {}
    if not confirmed:
        errors["confirmed"] = _("Bekræft, at du har gennemført aktiviteten.")
    if completed_on > timezone.localdate():
        errors["completed_on"] = _("Datoen må ikke ligge i fremtiden.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = Record(
            municipality=actor.municipality,
            person=actor,
            activity=activity,
            version=activity.version,
            completed_on=completed_on,
            source=Record.Source.SELF,
            evidence=evidence,
            next_refresh=next_refresh_for(activity, completed_on),
            registered_by=actor,
        )
        # The once-a-day constraint is answered below, where a race is answered too.
        record.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise ValidationError({"completed_on": _("Du har allerede registreret aktiviteten den dag.")}) from None
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.complete",
            obj=record,
            changes={"person": actor.pk, "activity": activity.pk, "completed_on": completed_on},
        )
    return record


def register_attendance(
    *, actor: Person, session: Session, person_ids: Iterable[int], evidence: str = ""
) -> list[Record]:
    """The session's facilitator or leader registers everyone who came, in one go. Only people
    with a seat can be registered; someone registered before is skipped."""
    _same_tenant(actor, session)
    if not access.can_register_attendance(actor, session.host_id):
        access.deny()
    if session.cancelled_at is not None:
        raise ValidationError(_("Holdet er aflyst."))
    if session.starts_at > timezone.now():
        raise ValidationError(_("Fremmøde kan først registreres, når holdet er begyndt."))
    wanted = set(person_ids)
    seats = set(Signup.objects.filter(session=session, status=Signup.Status.SEAT).values_list("person_id", flat=True))
    if not wanted:
        raise ValidationError({"people": _("Vælg mindst én, der var med.")})
    if wanted - seats:
        raise ValidationError({"people": _("Kun tilmeldte kan registreres.")})
    activity = session.activity
    day = timezone.localtime(session.starts_at).date()
    with transaction.atomic():
        # Locked, so two registrations sent at once (a double click) are made one after the
        # other: the second finds the first's records and adds nobody twice.
        Session.objects.select_for_update().filter(pk=session.pk).first()
        done = set(
            Record.objects.filter(activity=activity, completed_on=day, person_id__in=wanted).values_list(
                "person_id", flat=True
            )
        )
        new = [
            Record(
                municipality=actor.municipality,
                person_id=pid,
                activity=activity,
                version=activity.version,
                session=session,
                completed_on=day,
                source=Record.Source.ATTENDANCE,
                evidence=evidence,
                next_refresh=next_refresh_for(activity, day),
                registered_by=actor,
            )
            for pid in sorted(wanted - done)
        ]
        for record in new:
            record.full_clean(exclude=["person"])
        Record.objects.bulk_create(new)
        session.attendance_registered = True
        session.save(update_fields=["attendance_registered"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.attendance",
            obj=session,
            changes={"people": sorted(wanted - done), "completed_on": day},
        )
    return new


# --- Reminders (run by `manage.py send_competence_reminders`) ------------------------------------


def send_reminders(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Remind everyone with a seat on a session that starts within REMINDER_AHEAD, and tell
    everyone whose refresh of an activity falls within REFRESH_AHEAD (or has passed), each once.

    For every municipality at once, in a fixed number of queries per session and per activity
    concerned, never per person. The rows told about are locked and marked in the same
    transaction as the notifications, so two runs at the same moment tell nobody twice. Not
    audited: it records nothing anyone did. Returns (reminders, refresh notices)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        signups = list(
            Signup.objects.select_for_update(of=("self",))
            .filter(
                status=Signup.Status.SEAT,
                reminded_at__isnull=True,
                session__cancelled_at__isnull=True,
                session__starts_at__gt=now,
                session__starts_at__lte=now + REMINDER_AHEAD,
                person__is_active=True,
            )
            .select_related("session__activity", "person")
            .order_by("session_id", "pk")
        )
        by_session: dict[int, list[Signup]] = {}
        for signup in signups:
            by_session.setdefault(signup.session_id, []).append(signup)
        for coming in by_session.values():
            notify(
                recipients=[s.person for s in coming],
                kind="competence.reminder",
                subject=session_subject(coming[0].session),
                url=_session_url(coming[0].session),
                now=now,
            )
        Signup.objects.filter(pk__in=[s.pk for s in signups]).update(reminded_at=now)

        # Only the newest record of an activity counts: a refresh already done is not due.
        newer = Record.objects.filter(
            municipality_id=OuterRef("municipality_id"),  # so the person index serves it
            person_id=OuterRef("person_id"),
            activity_id=OuterRef("activity_id"),
            completed_on__gt=OuterRef("completed_on"),
        )
        records = list(
            Record.objects.select_for_update(of=("self",))
            .filter(
                refresh_notified_at__isnull=True,
                next_refresh__isnull=False,
                next_refresh__lte=today + REFRESH_AHEAD,
                activity__is_active=True,
                person__is_active=True,
            )
            .exclude(Exists(newer))
            .select_related("activity", "person")
            .order_by("activity_id", "pk")
        )
        by_activity: dict[int, list[Record]] = {}
        for record in records:
            by_activity.setdefault(record.activity_id, []).append(record)
        for due in by_activity.values():
            notify(
                recipients=[r.person for r in due],
                kind="competence.refresh_due",
                subject=due[0].activity.title,
                url=reverse("competence:activity_detail", kwargs={"pk": due[0].activity_id}),
                now=now,
            )
        Record.objects.filter(pk__in=[r.pk for r in records]).update(refresh_notified_at=now)
    return len(signups), len(records)


# --- Learning paths ----------------------------------------------------------------------------


def add_path_step(*, actor: Person, role: str, activity: Activity, note: str) -> PathStep:
    if not access.can_edit_levels(actor):
        access.deny()
    _same_tenant(actor, activity)
    if role not in LearningPath.For.values:
        access.deny()
    with transaction.atomic():
        path, _created = LearningPath.objects.get_or_create(municipality=actor.municipality, role=role)
        if path.steps.filter(activity=activity).exists():
            raise ValidationError({"activity": _("Aktiviteten er allerede et trin i forløbet.")})
        step = PathStep(
            municipality=actor.municipality, path=path, activity=activity, note=note, position=path.steps.count()
        )
        step.full_clean()
        step.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.path.add",
            obj=path,
            changes={"activity": activity.pk, "note": note},
        )
    return step


def remove_path_step(*, actor: Person, step: PathStep) -> None:
    if not access.can_edit_levels(actor):
        access.deny()
    _same_tenant(actor, step)
    with transaction.atomic():
        path = step.path
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.path.remove",
            obj=path,
            changes={"activity": step.activity_id},
        )
        step.delete()


# --- Prompt library ---------------------------------------------------------------------------


def propose_prompt(
    *,
    actor: Person,
    title: str,
    text: str,
    area: ProfessionalArea | None,
    task: str,
    tier: ToolTier,
    anonymise_first: bool,
) -> Prompt:
    """Anyone may propose; a lighthouse or a leader approves before others see it."""
    _same_tenant(actor, area, tier)
    with transaction.atomic():
        prompt = Prompt(
            municipality=actor.municipality,
            title=title,
            text=text,
            area=area,
            task=task,
            tier=tier,
            anonymise_first=anonymise_first,
            proposed_by=actor,
        )
        prompt.full_clean()
        prompt.save()
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.prompt.propose",
            obj=prompt,
            changes={"tier": tier.key, "anonymise_first": anonymise_first},
        )
    return prompt


def decide_prompt(*, actor: Person, prompt: Prompt, approve: bool) -> Prompt:
    _same_tenant(actor, prompt)
    if not access.can_decide_prompts(actor):
        access.deny()
    with transaction.atomic():
        before = {"status": prompt.status}
        prompt.status = Prompt.Status.APPROVED if approve else Prompt.Status.DECLINED
        prompt.decided_by = actor
        prompt.save(update_fields=["status", "decided_by"])
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="competence.prompt.approve" if approve else "competence.prompt.decline",
            obj=prompt,
            changes=audit.diff(before, {"status": prompt.status}),
        )
    return prompt


def toggle_useful(*, actor: Person, prompt: Prompt) -> bool:
    """Mark an approved prompt useful, or take the mark back; True if it is now marked.

    Stores no person next to the mark and writes no audit row (see the module docstring): the
    prompt's count goes up or down, and an opaque once-per-person key is kept apart."""
    _same_tenant(actor, prompt)
    if prompt.status != Prompt.Status.APPROVED:
        access.deny()
    key = useful_key(person=actor, prompt=prompt)
    with transaction.atomic():
        deleted, _rows = UsefulMark.objects.filter(municipality=actor.municipality, key=key).delete()
        if deleted:
            Prompt.objects.filter(pk=prompt.pk, useful_count__gt=0).update(useful_count=F("useful_count") - 1)
            return False
        try:
            with transaction.atomic():
                UsefulMark.objects.create(municipality=actor.municipality, key=key)
        except IntegrityError:
            # The same person in two tabs at once: the other request marked it already.
            return True
        Prompt.objects.filter(pk=prompt.pk).update(useful_count=F("useful_count") + 1)
    return True
