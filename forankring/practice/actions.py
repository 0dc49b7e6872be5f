"""Every change in track 2: one transactional, audited function each (CONTRIBUTING.md).

Bad input raises ValidationError keyed by the form field it belongs to, so the view shows it
beside that field, and nothing is saved. An anonymous idea is never audited (core/audit.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Person, ProfessionalArea, Role, RoleAssignment, Unit
from forankring.direction import rules as direction_rules
from forankring.direction.models import FocusArea, Tool
from forankring.notifications.actions import notify
from forankring.privacy.models import DataClass

from . import rules
from .models import (
    MAX_CENTRE_FOCUS_AREAS,
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


def _record(actor: Person, action: str, obj: object, changes: dict[str, object] | None = None) -> None:
    audit.record(municipality=actor.municipality, actor=actor, action=action, obj=obj, changes=changes)  # type: ignore[arg-type]


def _same_tenant(actor: Person, *objects: object) -> None:
    for obj in objects:
        if obj is not None and not access.same_tenant(actor, obj):
            access.deny()


# --- Centre focus areas ----------------------------------------------------------------------


def add_centre_focus_area(
    *, actor: Person, unit: Unit, strategic: FocusArea, name: str, why: str, success: str
) -> CentreFocusArea:
    _same_tenant(actor, unit, strategic)
    if not access.can_edit_centre_focus(actor, unit):
        access.deny()
    with transaction.atomic():
        # Lock the centre's rows so two chiefs cannot both add the third.
        existing = list(
            CentreFocusArea.objects.select_for_update().filter(municipality_id=actor.municipality_id, unit=unit)
        )
        if len(existing) >= MAX_CENTRE_FOCUS_AREAS:
            raise ValidationError(
                {
                    "name": _("Et center kan højst have %(max)d fokusområder. Fjern et, før du tilføjer et nyt.")
                    % {"max": MAX_CENTRE_FOCUS_AREAS}
                }
            )
        if any(area.name.strip().lower() == name.strip().lower() for area in existing):
            raise ValidationError({"name": _("Centret har allerede et fokusområde med det navn.")})
        area = CentreFocusArea(
            municipality_id=actor.municipality_id,
            unit=unit,
            strategic=strategic,
            name=name,
            why=why,
            success=success,
            created_by=actor,
        )
        area.full_clean()
        area.save()
        _record(actor, "practice.focus_area.add", area, {"name": name, "strategic": strategic.name})
    return area


def remove_centre_focus_area(*, actor: Person, area: CentreFocusArea) -> None:
    _same_tenant(actor, area)
    if not access.can_edit_centre_focus(actor, area.unit):
        access.deny()
    with transaction.atomic():
        _record(actor, "practice.focus_area.remove", area, {"name": area.name})
        UseCase.objects.filter(focus_area=area).update(focus_area=None)
        area.delete()


# --- Use cases ------------------------------------------------------------------------------


def value_rows(municipality_id: int, keys: Iterable[str]) -> list[UseCaseValue]:
    """The municipality's rows for these value types, made on first use."""
    wanted = [key for key in keys if key in ValueType.values]
    rows = {row.key: row for row in UseCaseValue.objects.filter(municipality_id=municipality_id, key__in=wanted)}
    for key in wanted:
        if key not in rows:
            rows[key] = UseCaseValue.objects.create(municipality_id=municipality_id, key=key)
    return [rows[key] for key in wanted]


def save_use_case(
    *,
    actor: Person,
    title: str,
    today: str,
    ai_help: str,
    human_decides: str,
    area: ProfessionalArea,
    unit: Unit,
    value_types: list[str],
    data_classes: Iterable[DataClass],
    tools: Iterable[Tool],
    focus_area: CentreFocusArea | None = None,
    use_case: UseCase | None = None,
    idea: Idea | None = None,
    anonymous_idea: AnonymousIdea | None = None,
) -> UseCase:
    """Create a use case (or change one). The owning unit must be one of the actor's own."""
    data_classes, tools = list(data_classes), list(tools)
    _same_tenant(actor, area, unit, focus_area, use_case, idea, anonymous_idea, *data_classes, *tools)
    if use_case is None and not access.can_register_use_case(actor):
        access.deny()
    if use_case is not None and not access.can_edit_use_case(actor, use_case.unit, use_case.created_by_id):
        access.deny()
    from .queries import own_units  # the one definition of "the person's units"

    if not any(unit.path.startswith(own.path) for own in own_units(actor)):
        raise ValidationError({"unit": _("Vælg en af dine egne enheder eller en enhed under dem.")})
    if use_case is not None and use_case.status in (UseCase.Status.PILOT, UseCase.Status.OPERATION):
        # A use case in pilot or operation may not take on data or tools its rules refuse.
        blocking = [f for f in _flags(actor.municipality_id, tools, data_classes) if f.blocks]
        if blocking:
            raise ValidationError({"tools": _blocked_message(blocking)})
    with transaction.atomic():
        creating = use_case is None
        obj = use_case or UseCase(municipality_id=actor.municipality_id, created_by=actor)
        before = {"title": obj.title, "unit": obj.unit_id if not creating else None}
        obj.title, obj.today, obj.ai_help, obj.human_decides = title.strip(), today, ai_help, human_decides
        obj.area, obj.unit, obj.focus_area = area, unit, focus_area
        if idea is not None:
            obj.idea = idea
        if anonymous_idea is not None:
            obj.anonymous_idea = anonymous_idea
        obj.full_clean()
        obj.save()
        obj.value_types.set(value_rows(actor.municipality_id, value_types))
        obj.data_classes.set(data_classes)
        obj.tools.set(tools)
        if creating:
            obj.followers.add(actor)
            StatusChange.objects.create(
                municipality_id=actor.municipality_id, use_case=obj, to_status=obj.status, decided_by=actor
            )
            _record(actor, "practice.use_case.add", obj, {"title": obj.title})
        else:
            _record(actor, "practice.use_case.edit", obj, audit.diff(before, {"title": obj.title, "unit": unit.pk}))
            _tell_followers(actor, obj)
    return obj


def _flags(municipality_id: int, tools: list[Tool], data_classes: list[DataClass]) -> list[rules.Flag]:
    tools = list(Tool.objects.filter(pk__in=[t.pk for t in tools]).prefetch_related("data_classes"))
    return rules.flags_for(tools, data_classes, rules.allowances_for(municipality_id))


def _blocked_message(blocking: list[rules.Flag]) -> str:
    pairs = ", ".join(f"{f.tool.name} / {f.data_class.display_name}" for f in blocking)
    return _("Værktøjet må ikke bruges til de data, anvendelsen nævner: %(pairs)s.") % {"pairs": pairs}


def _tell_followers(actor: Person, use_case: UseCase) -> None:
    notify(
        recipients=use_case.followers.filter(is_active=True),
        kind="usecase.changed",
        subject=use_case.title,
        url=reverse("practice:use_case", kwargs={"pk": use_case.pk}),
        actor=actor,
    )


def change_status(*, actor: Person, use_case: UseCase, to_status: str, note: str = "") -> UseCase:
    """Move a use case one step, by whom track 1's decision rights say. A use case whose tools
    may not take its data cannot go into pilot or operation."""
    _same_tenant(actor, use_case)
    from_status = use_case.status
    if to_status not in rules.NEXT.get(from_status, ()):
        raise ValidationError({"to_status": _("Den status kan ikke følge efter den nuværende.")})
    roles = direction_rules.who_decides(actor.municipality, rules.decision_area(from_status, to_status))
    if not access.can_decide_for_unit(actor, roles, use_case.unit):
        access.deny()
    if to_status in (UseCase.Status.PILOT, UseCase.Status.OPERATION):
        blocking = [
            f
            for f in _flags(actor.municipality_id, list(use_case.tools.all()), list(use_case.data_classes.all()))
            if f.blocks
        ]
        if blocking:
            raise ValidationError({"to_status": _blocked_message(blocking)})
    with transaction.atomic():
        locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
        if locked.status != from_status:
            raise ValidationError({"to_status": _("Nogen har lige ændret status. Se den nye status, og prøv igen.")})
        change = StatusChange(
            municipality_id=actor.municipality_id,
            use_case=use_case,
            from_status=from_status,
            to_status=to_status,
            decided_by=actor,
            note=note,
        )
        change.full_clean()
        change.save()
        use_case.status = to_status
        use_case.save(update_fields=["status", "updated_at"])
        _record(actor, "practice.use_case.status", use_case, audit.diff({"status": from_status}, {"status": to_status}))
        _tell_followers(actor, use_case)
    return use_case


def join_use_case(*, actor: Person, use_case: UseCase, unit: Unit) -> UseCaseUnit:
    """ "Vi vil også": one of the actor's units works with the use case too."""
    _same_tenant(actor, use_case, unit)
    from .queries import own_units

    if unit.pk not in {u.pk for u in own_units(actor)}:
        raise ValidationError({"unit": _("Vælg en af dine egne enheder.")})
    if unit.pk == use_case.unit_id or UseCaseUnit.objects.filter(use_case=use_case, unit=unit).exists():
        raise ValidationError({"unit": _("Enheden er allerede med i anvendelsen.")})
    with transaction.atomic():
        joined = UseCaseUnit.objects.create(
            municipality_id=actor.municipality_id, use_case=use_case, unit=unit, joined_by=actor
        )
        use_case.save(update_fields=["updated_at"])
        _record(actor, "practice.use_case.join", use_case, {"unit": unit.name})
        notify(
            recipients=use_case.followers.filter(is_active=True),
            kind="usecase.joined",
            subject=use_case.title,
            url=reverse("practice:use_case", kwargs={"pk": use_case.pk}),
            actor=actor,
        )
        use_case.followers.add(actor)
    return joined


def follow_use_case(*, actor: Person, use_case: UseCase, follow: bool = True) -> None:
    """Following is the person's own business: it is not audited, as it changes nothing shared."""
    _same_tenant(actor, use_case)
    if follow:
        use_case.followers.add(actor)
    else:
        use_case.followers.remove(actor)


# --- Ideas ("Peg på en arbejdsgang") -------------------------------------------------------


def point_to_workflow(
    *,
    actor: Person,
    title: str,
    description: str,
    unit: Unit,
    anonymous: bool = False,
    now: datetime.datetime | None = None,
) -> Idea | AnonymousIdea:
    """An employee's idea for their own unit (or a unit above it). Named by default; anonymous
    when they choose, and then nothing of them is stored or audited."""
    _same_tenant(actor, unit)
    from forankring.privacy.queries import concern_units_for

    from .queries import idea_units

    # Anonymous: only a unit with at least k_min people in it, so the proposer is one of many.
    allowed = concern_units_for(actor) if anonymous else idea_units(actor)
    if unit.pk not in {u.pk for u in allowed}:
        raise ValidationError({"unit": _("Vælg din egen enhed eller en enhed over den.")})
    with transaction.atomic():
        idea: Idea | AnonymousIdea
        if anonymous:
            idea = AnonymousIdea(municipality_id=actor.municipality_id, title=title, description=description, unit=unit)
            idea.full_clean()
            idea.save()
            return idea
        idea = Idea(
            municipality_id=actor.municipality_id,
            title=title,
            description=description,
            unit=unit,
            proposer=actor,
            created_at=now or timezone.now(),
        )
        idea.full_clean()
        idea.save()
        _record(actor, "practice.idea.add", idea, {"title": title})
        leaders = Person.objects.filter(
            municipality_id=actor.municipality_id,
            is_active=True,
            role_assignments__role="leader",
            role_assignments__unit=unit,
        ).distinct()
        notify(
            recipients=leaders,
            kind="idea.new",
            subject=title,
            url=reverse("practice:idea", kwargs={"pk": idea.pk}),
            actor=actor,
        )
    return idea


def answer_idea(*, actor: Person, idea: Idea | AnonymousIdea, status: str, answer: str) -> Idea | AnonymousIdea:
    """The responsible leader's official answer. A named proposer and the followers are told; an
    anonymous proposer reads it on the idea's own page."""
    _same_tenant(actor, idea)
    if not access.can_answer_idea(actor, idea.unit):
        access.deny()
    if status == IdeaStatus.NEW or status not in IdeaStatus.values:
        raise ValidationError({"status": _("Vælg, hvad svaret er.")})
    if not answer.strip():
        raise ValidationError({"answer": _("Skriv et svar, så forslagsstilleren ved, hvad der sker.")})
    with transaction.atomic():
        idea.status, idea.answer = status, answer
        if isinstance(idea, AnonymousIdea):
            idea.answered_on = timezone.localdate()
            idea.full_clean()
            idea.save(update_fields=["status", "answer", "answered_on"])
            return idea
        before = {"status": Idea.objects.values_list("status", flat=True).get(pk=idea.pk)}
        idea.answered_by, idea.answered_at = actor, timezone.now()
        idea.full_clean()
        idea.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        _record(actor, "practice.idea.answer", idea, audit.diff(before, {"status": status}))
        notify(
            recipients=[idea.proposer, *idea.followers.filter(is_active=True)],
            kind="idea.answered",
            subject=idea.title,
            url=reverse("practice:idea", kwargs={"pk": idea.pk}),
            actor=actor,
        )
    return idea


def follow_idea(*, actor: Person, idea: Idea) -> None:
    _same_tenant(actor, idea)
    idea.followers.add(actor)


# --- Lighthouses ----------------------------------------------------------------------------


def appoint_lighthouse(
    *, actor: Person, person: Person, unit: Unit, area: ProfessionalArea, helps_with: str, contact: str
) -> Lighthouse:
    """Appoint a colleague as lighthouse, by whom track 1's decision rights say ("lighthouses")
    for the unit, give them the lighthouse role in the unit and tell them."""
    _same_tenant(actor, person, unit, area)
    if not access.can_decide_for_unit(actor, direction_rules.who_decides(actor.municipality, "lighthouses"), unit):
        access.deny()
    if Lighthouse.objects.filter(municipality_id=actor.municipality_id, person=person, unit=unit, area=area).exists():
        raise ValidationError({"person": _("Personen er allerede fyrtårn for det fagområde i enheden.")})
    with transaction.atomic():
        lighthouse = Lighthouse(
            municipality_id=actor.municipality_id,
            person=person,
            unit=unit,
            area=area,
            helps_with=helps_with,
            contact=contact,
            appointed_by=actor,
        )
        lighthouse.full_clean()
        lighthouse.role = _grant_lighthouse_role(actor, person, unit)
        lighthouse.save()
        _record(actor, "practice.lighthouse.appoint", lighthouse, {"person": person.name, "unit": unit.name})
        notify(
            recipients=[person],
            kind="lighthouse.appointed",
            subject=area.name,
            url=reverse("practice:lighthouses"),
            actor=actor,
        )
    access.forget_roles(person)
    return lighthouse


def _grant_lighthouse_role(actor: Person, person: Person, unit: Unit) -> RoleAssignment | None:
    """The LIGHTHOUSE role in the unit, audited like any role given; None when the person holds
    it there already (from the organisation file, an administrator or another appointment), so
    ending this appointment leaves that role alone."""
    assignment, created = RoleAssignment.objects.get_or_create(
        municipality_id=actor.municipality_id,
        person=person,
        role=Role.LIGHTHOUSE,
        unit=unit,
        defaults={"source": RoleAssignment.Source.APPOINTED},
    )
    if not created:
        return None
    audit.record(
        municipality=actor.municipality,
        actor=actor,
        action="role.grant",
        obj=person,
        changes=audit.diff({}, {"role": Role.LIGHTHOUSE, "unit": unit.name}),
    )
    return assignment


def may_end_lighthouse(person: Person, lighthouse: Lighthouse) -> bool:
    roles = direction_rules.who_decides(person.municipality, "lighthouses")
    return access.can_end_lighthouse(person, roles, lighthouse.unit, lighthouse.person_id)


def remove_lighthouse(*, actor: Person, lighthouse: Lighthouse) -> int:
    """End an appointment (by whom decides, or the lighthouse themselves). The role it gave goes
    with it, unless another appointment of the person in the same unit still stands, which then
    keeps it. Returns how many unanswered questions went with it; each asker is told.

    The questions go with the appointment (LighthouseQuestion.lighthouse is CASCADE), answered
    or not. A question's text is the asker's, written to one person; with that person no longer
    the lighthouse nobody is there to answer it, and keeping it would only keep a private
    conversation in the database. An answered one has been read (its asker was told). An
    unanswered one must not vanish unnoticed: its asker is told that it was not answered and
    is sent to the list of lighthouses to ask another."""
    _same_tenant(actor, lighthouse)
    if not may_end_lighthouse(actor, lighthouse):
        access.deny()
    with transaction.atomic():
        unanswered = list(
            LighthouseQuestion.objects.filter(
                municipality_id=actor.municipality_id, lighthouse=lighthouse, answered_at__isnull=True
            )
            .select_related("asker")
            .order_by("asked_at", "pk")
        )
        _record(
            actor,
            "practice.lighthouse.remove",
            lighthouse,
            {"person": lighthouse.person.name, "unanswered": len(unanswered)},
        )
        role_id = lighthouse.role_id
        lighthouse.delete()
        # One notice per question, since each names its own question; a lighthouse has few
        # open at a time (each was a notice to them already).
        for question in unanswered:
            notify(
                recipients=[question.asker],
                kind="lighthouse.stopped",
                subject=_excerpt(question.text),
                url=reverse("practice:lighthouses"),
                actor=actor,
            )
        if role_id is not None:
            other = (
                Lighthouse.objects.filter(
                    municipality_id=actor.municipality_id, person_id=lighthouse.person_id, unit_id=lighthouse.unit_id
                )
                .order_by("pk")
                .first()
            )
            if other is not None:
                other.role_id = role_id
                other.save(update_fields=["role"])
            elif RoleAssignment.objects.filter(municipality_id=actor.municipality_id, pk=role_id).delete()[0]:
                audit.record(
                    municipality=actor.municipality,
                    actor=actor,
                    action="role.revoke",
                    obj=lighthouse.person,
                    changes=audit.diff({"role": Role.LIGHTHOUSE, "unit": lighthouse.unit.name}, {}),
                )
    access.forget_roles(lighthouse.person)
    return len(unanswered)


def _excerpt(text: str) -> str:
    """The start of a question, as the title of its notification."""
    return Truncator(" ".join(text.split())).chars(80)


def ask_lighthouse(
    *, actor: Person, lighthouse: Lighthouse, text: str, now: datetime.datetime | None = None
) -> LighthouseQuestion:
    """A colleague's question to a lighthouse; the lighthouse is told and answers on the
    question's page."""
    _same_tenant(actor, lighthouse)
    if not actor.is_active:
        access.deny()
    if lighthouse.person_id == actor.pk:
        raise ValidationError({"text": _("Du er selv fyrtårnet her. Vælg et andet fyrtårn at spørge.")})
    if not text.strip():
        raise ValidationError({"text": _("Skriv dit spørgsmål.")})
    with transaction.atomic():
        question = LighthouseQuestion(
            municipality_id=actor.municipality_id,
            lighthouse=lighthouse,
            asker=actor,
            text=text.strip(),
            asked_at=now or timezone.now(),
        )
        question.full_clean()
        question.save()
        _record(actor, "practice.lighthouse.ask", question, {"lighthouse": lighthouse.person.name})
        notify(
            recipients=[lighthouse.person],
            kind="lighthouse.question",
            subject=_excerpt(question.text),
            url=reverse("practice:lighthouse_question", kwargs={"pk": question.pk}),
            actor=actor,
        )
    return question


def answer_lighthouse_question(
    *, actor: Person, question: LighthouseQuestion, answer: str, now: datetime.datetime | None = None
) -> LighthouseQuestion:
    """The lighthouse's answer (they may improve it later); the asker is told."""
    _same_tenant(actor, question)
    if question.lighthouse.person_id != actor.pk:
        access.deny()
    if not answer.strip():
        raise ValidationError({"answer": _("Skriv dit svar.")})
    with transaction.atomic():
        before = {"answered": question.answered_at is not None}
        question.answer, question.answered_at = answer.strip(), now or timezone.now()
        question.full_clean()
        question.save(update_fields=["answer", "answered_at"])
        _record(actor, "practice.lighthouse.answer", question, audit.diff(before, {"answered": True}))
        notify(
            recipients=[question.asker],
            kind="lighthouse.answered",
            subject=_excerpt(question.text),
            url=reverse("practice:lighthouse_question", kwargs={"pk": question.pk}),
            actor=actor,
        )
    return question


# --- The team's AI item ---------------------------------------------------------------------


def write_team_note(
    *,
    actor: Person,
    unit: Unit,
    held_on: datetime.date,
    how_it_goes: str,
    gains: str = "",
    barriers: str = "",
    adjustments: str = "",
) -> TeamNote:
    """The team leader's note after the AI item: about the team as a whole, never a person."""
    _same_tenant(actor, unit)
    if not access.can_write_team_note(actor, unit):
        access.deny()
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("Mødet kan ikke ligge i fremtiden.")})
    with transaction.atomic():
        note = TeamNote(
            municipality_id=actor.municipality_id,
            unit=unit,
            held_on=held_on,
            how_it_goes=how_it_goes,
            gains=gains,
            barriers=barriers,
            adjustments=adjustments,
            written_by=actor,
        )
        note.full_clean()
        note.save()
        _record(actor, "practice.team_note.add", note, {"unit": unit.name, "held_on": held_on.isoformat()})
    return note
