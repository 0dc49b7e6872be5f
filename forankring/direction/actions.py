"""Every change in track 1: one transactional, audited function each (CONTRIBUTING.md).

Bad input raises ValidationError keyed by the form field it belongs to, so the view shows it
beside that field, and nothing is saved."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forankring.core import access, audit
from forankring.core.models import Person, Role
from forankring.notifications.actions import notify_all
from forankring.privacy import roster
from forankring.privacy.models import Concern, DataClass, TierAllowance, ToolTier

from . import rules
from .models import (
    MAX_FOCUS_AREAS,
    MAX_PRINCIPLES,
    MIN_PRINCIPLES,
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


def _record(actor: Person, action: str, obj: object, changes: dict[str, object] | None = None) -> None:
    audit.record(municipality=actor.municipality, actor=actor, action=action, obj=obj, changes=changes)  # type: ignore[arg-type]


# --- Purpose and focus areas -----------------------------------------------------------------


def save_purpose(*, actor: Person, why: str, ambitions: str, governance: str, whom_to_ask: str) -> Purpose:
    if not access.can_edit_direction(actor):
        access.deny()
    with transaction.atomic():
        purpose = Purpose.objects.filter(municipality_id=actor.municipality_id).first() or Purpose(
            municipality_id=actor.municipality_id
        )
        before = {"why": purpose.why, "ambitions": purpose.ambitions, "governance": purpose.governance}
        purpose.why, purpose.ambitions, purpose.governance, purpose.whom_to_ask = (
            why,
            ambitions,
            governance,
            whom_to_ask,
        )
        purpose.full_clean()
        purpose.save()
        _record(
            actor,
            "direction.purpose",
            purpose,
            audit.diff(before, {"why": why, "ambitions": ambitions, "governance": governance}),
        )
    return purpose


def add_focus_area(*, actor: Person, name: str, why: str) -> FocusArea:
    if not access.can_decide(actor, rules.who_decides(actor.municipality, "focus_areas")):
        access.deny()
    with transaction.atomic():
        # Lock the municipality's areas so two direktion members cannot both add the fourth.
        existing = list(FocusArea.objects.select_for_update().filter(municipality_id=actor.municipality_id))
        if len(existing) >= MAX_FOCUS_AREAS:
            raise ValidationError(
                {
                    "name": _("Der kan højst være %(max)d fokusområder. Fjern et, før du tilføjer et nyt.")
                    % {"max": MAX_FOCUS_AREAS}
                }
            )
        area = FocusArea(municipality_id=actor.municipality_id, name=name, why=why)
        area.full_clean()
        area.save()
        _record(actor, "direction.focus_area.add", area, {"name": name})
    return area


def remove_focus_area(*, actor: Person, area: FocusArea) -> None:
    if not access.can_decide(actor, rules.who_decides(actor.municipality, "focus_areas")) or not access.same_tenant(
        actor, area
    ):
        access.deny()
    with transaction.atomic():
        _record(actor, "direction.focus_area.remove", area, {"name": area.name})
        area.delete()


# --- The AI-kompas ----------------------------------------------------------------------------


def _require_editor(actor: Person, compass: Compass) -> None:
    if not access.can_edit_direction(actor) or not access.same_tenant(actor, compass):
        access.deny()


def _require_draft(compass: Compass) -> None:
    if compass.status != Compass.Status.DRAFT:
        raise ValidationError(_("Kun en kladde kan ændres. Send kompasset tilbage til kladde først."))


def start_draft(*, actor: Person) -> Compass:
    """A new version, starting from the newest one's text. Only one version is on its way at a
    time, so the hearing and the approval are always about one text."""
    if not access.can_edit_direction(actor):
        access.deny()
    with transaction.atomic():
        versions = Compass.objects.select_for_update().filter(municipality_id=actor.municipality_id)
        on_the_way = versions.exclude(status__in=[Compass.Status.PUBLISHED, Compass.Status.RETIRED]).first()
        if on_the_way is not None:
            return on_the_way
        newest = versions.order_by("-version").first()
        draft = Compass.objects.create(
            municipality_id=actor.municipality_id,
            version=(newest.version + 1) if newest else 1,
            ethics=newest.ethics if newest else "",
        )
        if newest is not None:
            Principle.objects.bulk_create(
                Principle(
                    municipality_id=actor.municipality_id,
                    compass=draft,
                    position=p.position,
                    headline=p.headline,
                    explanation=p.explanation,
                )
                for p in newest.principles.all()
            )
            CompassRule.objects.bulk_create(
                CompassRule(
                    municipality_id=actor.municipality_id, compass=draft, kind=r.kind, text=r.text, example=r.example
                )
                for r in newest.rules.all()
            )
        _record(actor, "direction.compass.draft", draft, {"version": draft.version})
    return draft


def save_ethics(*, actor: Person, compass: Compass, ethics: str) -> Compass:
    _require_editor(actor, compass)
    _require_draft(compass)
    with transaction.atomic():
        before = {"ethics": compass.ethics}
        compass.ethics = ethics
        compass.full_clean()
        compass.save(update_fields=["ethics"])
        _record(actor, "direction.compass.edit", compass, audit.diff(before, {"ethics": ethics}))
    return compass


def add_principle(*, actor: Person, compass: Compass, headline: str, explanation: str) -> Principle:
    _require_editor(actor, compass)
    _require_draft(compass)
    with transaction.atomic():
        position = compass.principles.count() + 1
        principle = Principle(
            municipality_id=compass.municipality_id,
            compass=compass,
            position=position,
            headline=headline,
            explanation=explanation,
        )
        principle.full_clean()
        principle.save()
        _record(actor, "direction.compass.edit", compass, {"principle_added": headline})
    return principle


def remove_principle(*, actor: Person, principle: Principle) -> None:
    _require_editor(actor, principle.compass)
    _require_draft(principle.compass)
    with transaction.atomic():
        _record(actor, "direction.compass.edit", principle.compass, {"principle_removed": principle.headline})
        principle.delete()


def add_rule(*, actor: Person, compass: Compass, kind: str, text: str, example: str) -> CompassRule:
    _require_editor(actor, compass)
    _require_draft(compass)
    with transaction.atomic():
        rule = CompassRule(
            municipality_id=compass.municipality_id, compass=compass, kind=kind, text=text, example=example
        )
        rule.full_clean()
        rule.save()
        _record(actor, "direction.compass.edit", compass, {"rule_added": text})
    return rule


def remove_rule(*, actor: Person, rule: CompassRule) -> None:
    _require_editor(actor, rule.compass)
    _require_draft(rule.compass)
    with transaction.atomic():
        _record(actor, "direction.compass.edit", rule.compass, {"rule_removed": rule.text})
        rule.delete()


def principle_count_error(count: int) -> str | None:
    """The message beside the principles when a compass cannot be published with `count`."""
    if count < MIN_PRINCIPLES:
        return _("Kompasset skal have mindst %(min)d principper for at kunne offentliggøres. Det har %(n)d.") % {
            "min": MIN_PRINCIPLES,
            "n": count,
        }
    if count > MAX_PRINCIPLES:
        return _(
            "Kompasset kan højst have %(max)d principper, så alle kan huske dem. Det har %(n)d. "
            "Send det tilbage til kladde, og slå nogle sammen."
        ) % {"max": MAX_PRINCIPLES, "n": count}
    return None


def send_to_hearing(
    *, actor: Person, compass: Compass, deadline: datetime.date, today: datetime.date | None = None
) -> Compass:
    _require_editor(actor, compass)
    _require_draft(compass)
    today = today or timezone.localdate()
    if deadline < today:
        raise ValidationError({"deadline": _("Fristen skal være i dag eller senere.")})
    with transaction.atomic():
        compass.status, compass.hearing_deadline = Compass.Status.HEARING, deadline
        compass.save(update_fields=["status", "hearing_deadline"])
        _record(actor, "direction.compass.hearing", compass, {"deadline": deadline.isoformat()})
    return compass


def comment_in_hearing(
    *, actor: Person, compass: Compass, text: str, today: datetime.date | None = None
) -> HearingComment:
    if not access.can_comment_in_hearing(actor) or not access.same_tenant(actor, compass):
        access.deny()
    today = today or timezone.localdate()
    if compass.status != Compass.Status.HEARING or (compass.hearing_deadline and today > compass.hearing_deadline):
        raise ValidationError({"text": _("Høringen er slut. Der kan ikke kommenteres mere.")})
    with transaction.atomic():
        comment = HearingComment(municipality_id=compass.municipality_id, compass=compass, author=actor, text=text)
        comment.full_clean()
        comment.save()
        _record(actor, "direction.compass.comment", compass, {"comment": comment.pk})
    return comment


def approve(*, actor: Person, compass: Compass) -> Compass:
    """The direktion approves the text after the hearing; publishing is a step of its own, so
    the date it takes effect can be chosen."""
    _require_editor(actor, compass)
    if compass.status != Compass.Status.HEARING:
        raise ValidationError(_("Kun et kompas i høring kan godkendes."))
    with transaction.atomic():
        compass.status = Compass.Status.APPROVED
        compass.save(update_fields=["status"])
        _record(actor, "direction.compass.approve", compass, {"status": compass.status})
    return compass


def publish(*, actor: Person, compass: Compass) -> Compass:
    """Makes the version the one in force; everyone is asked to acknowledge it again. Who may
    publish is the decision rights' answer for "publish_compass"."""
    if not access.can_decide(actor, rules.who_decides(actor.municipality, "publish_compass")) or not access.same_tenant(
        actor, compass
    ):
        access.deny()
    if compass.status != Compass.Status.APPROVED:
        raise ValidationError(_("Kompasset skal være godkendt af direktionen, før det kan offentliggøres."))
    error = principle_count_error(compass.principles.count())
    if error:
        raise ValidationError({"principles": error})
    with transaction.atomic():
        Compass.objects.filter(municipality_id=compass.municipality_id, status=Compass.Status.PUBLISHED).update(
            status=Compass.Status.RETIRED
        )
        compass.status, compass.published_at = Compass.Status.PUBLISHED, timezone.now()
        compass.save(update_fields=["status", "published_at"])
        _record(actor, "direction.compass.publish", compass, {"version": compass.version})
        # Everyone in the municipality is to acknowledge the new version. In bulk: a large
        # municipality has tens of thousands of staff (notifications is shared by all tracks).
        notify_all(
            people=Person.objects.filter(municipality_id=compass.municipality_id),
            kind="compass.published",
            # Words that read the same in Danish and English: the sentence around it is translated.
            subject=f"version {compass.version}",
            url=reverse("direction:compass"),
            actor=actor,
        )
    return compass


def reopen(*, actor: Person, compass: Compass) -> Compass:
    """Back to draft from the hearing or after approval, to change the text. The hearing's
    comments stay with the version."""
    _require_editor(actor, compass)
    if compass.status not in (Compass.Status.HEARING, Compass.Status.APPROVED):
        raise ValidationError(_("Kun et kompas i høring eller et godkendt kompas kan sendes tilbage til kladde."))
    with transaction.atomic():
        compass.status = Compass.Status.DRAFT
        compass.save(update_fields=["status"])
        _record(actor, "direction.compass.reopen", compass, {"status": compass.status})
    return compass


def acknowledge(*, actor: Person, compass: Compass) -> Acknowledgement:
    """ "Jeg har læst og forstået". Not written to the audit log on purpose: the log would be a
    list of who has acknowledged, and so of who has not (PRIVACY.md; the coverage page shows
    only suppressed figures per unit)."""
    if not access.same_tenant(actor, compass) or not actor.is_active:
        access.deny()
    if compass.status != Compass.Status.PUBLISHED:
        raise ValidationError(_("Kun det gældende kompas kan kvitteres for."))
    with transaction.atomic():
        ack, _created = Acknowledgement.objects.get_or_create(
            municipality_id=compass.municipality_id, compass=compass, person=actor
        )
    return ack


# --- Tools and data rules ---------------------------------------------------------------------


TOOL_FIELDS = (
    "name",
    "vendor",
    "purpose",
    "status",
    "dpa_status",
    "dpa_reference",
    "dpia_status",
    "dpia_reference",
    "technical_owner",
    "professional_owner",
    "licences",
    "yearly_cost",
    "training",
)


def _check_tool_data(tier: ToolTier, data_classes: Iterable[DataClass]) -> None:
    """A tool may be stricter than its tier, never looser."""
    states = dict(
        TierAllowance.objects.filter(municipality_id=tier.municipality_id, tool_tier=tier).values_list(
            "data_class_id", "state"
        )
    )
    refused = [dc.name for dc in data_classes if states.get(dc.pk, rules.NO) == rules.NO]
    if refused:
        raise ValidationError(
            {
                "data_classes": _(
                    "Reglerne for %(tier)s tillader ikke: %(classes)s. "
                    "Et værktøj kan være strengere end sin type, aldrig mere lempelig."
                )
                % {"tier": tier.display_name, "classes": ", ".join(refused)}
            }
        )


def save_tool(
    *, actor: Person, tool: Tool | None, tier: ToolTier, data_classes: list[DataClass], values: Mapping[str, object]
) -> Tool:
    if not access.can_edit_tools(actor):
        access.deny()
    if tool is not None and not access.same_tenant(actor, tool):
        access.deny()
    if tier.municipality_id != actor.municipality_id or any(
        dc.municipality_id != actor.municipality_id for dc in data_classes
    ):
        access.deny()
    _check_tool_data(tier, data_classes)
    with transaction.atomic():
        is_new = tool is None
        target = tool or Tool(municipality_id=actor.municipality_id)
        before = {} if is_new else {f: str(getattr(target, f)) for f in TOOL_FIELDS} | {"tier": target.tier.name}
        for name in TOOL_FIELDS:
            setattr(target, name, values[name])
        target.tier = tier
        target.full_clean()
        target.save()
        target.data_classes.set(data_classes)
        after = {f: str(getattr(target, f)) for f in TOOL_FIELDS} | {
            "tier": tier.name,
            "data": sorted(dc.key for dc in data_classes),
        }
        _record(actor, "direction.tool.add" if is_new else "direction.tool.edit", target, audit.diff(before, after))
        # The name check knows the register's tool names; a new or renamed tool counts at once.
        transaction.on_commit(lambda: roster.invalidate(actor.municipality_id))
    return target


def snapshot(municipality_id: int) -> dict[str, dict[str, list[str]]]:
    rows = TierAllowance.objects.filter(municipality_id=municipality_id).values_list(
        "data_class__key", "tool_tier__key", "state", "note"
    )
    result: dict[str, dict[str, list[str]]] = {}
    for class_key, tier_key, state, note in rows:
        result.setdefault(class_key, {})[tier_key] = [state, note]
    return result


def save_data_rules(*, actor: Person, cells: Mapping[tuple[int, int], tuple[str, str, str]], note: str) -> RulesVersion:
    """Saves the whole matrix as a new version of the rules. `cells`: (data class id, tier id) →
    (state, Danish note, English note). A tool that allowed a class its tier no longer allows
    loses it in the same step, so no tool is ever looser than its tier."""
    if not access.can_edit_data_rules(actor):
        access.deny()
    m = actor.municipality_id
    classes = {dc.pk: dc for dc in DataClass.objects.filter(municipality_id=m)}
    tiers = {t.pk: t for t in ToolTier.objects.filter(municipality_id=m)}
    if any(c not in classes or t not in tiers for c, t in cells):
        access.deny()
    with transaction.atomic():
        existing = {
            (a.data_class_id, a.tool_tier_id): a
            for a in TierAllowance.objects.select_for_update().filter(municipality_id=m)
        }
        changed = []
        for (class_id, tier_id), (state, text, text_en) in cells.items():
            row = existing.get((class_id, tier_id)) or TierAllowance(
                municipality_id=m, data_class_id=class_id, tool_tier_id=tier_id
            )
            if row.pk and (row.state, row.note, row.note_en) == (state, text, text_en):
                continue
            row.state, row.note, row.note_en = state, text, text_en
            row.full_clean()
            row.save()
            changed.append(f"{classes[class_id].key}×{tiers[tier_id].key}={state}")
        states = {(a.data_class_id, a.tool_tier_id): a.state for a in TierAllowance.objects.filter(municipality_id=m)}
        removed = []
        for tool in Tool.objects.filter(municipality_id=m).prefetch_related("data_classes"):
            for dc in tool.data_classes.all():
                if states.get((dc.pk, tool.tier_id), rules.NO) == rules.NO:
                    tool.data_classes.remove(dc)
                    removed.append(f"{tool.name}: {dc.key}")
        last = RulesVersion.objects.filter(municipality_id=m).order_by("-number").first()
        version = RulesVersion(
            municipality_id=m, number=(last.number + 1) if last else 1, rules=snapshot(m), note=note, changed_by=actor
        )
        version.full_clean()
        version.save()
        _record(
            actor, "direction.data_rules", version, {"changed": changed, "removed_from_tools": removed, "note": note}
        )
    return version


def save_data_names(*, actor: Person, texts: Mapping[tuple[str, int], tuple[str, str, str, str]]) -> None:
    """The municipality's own names and descriptions of its data classes and tool tiers, in
    Danish and English. `texts`: ("class" or "tier", id) → (name, description, name_en,
    description_en). Names are unique within the municipality (the database says so too)."""
    if not access.can_edit_data_rules(actor):
        access.deny()
    m = actor.municipality_id
    models_by_kind: dict[str, type[DataClass] | type[ToolTier]] = {"class": DataClass, "tier": ToolTier}
    rows = {
        (kind, row.pk): row for kind, model in models_by_kind.items() for row in model.objects.filter(municipality_id=m)
    }
    if any(key not in rows for key in texts):
        access.deny()
    with transaction.atomic():
        changed: dict[str, object] = {}
        for key, (name, description, name_en, description_en) in texts.items():
            row = rows[key]
            before = (row.name, row.description, row.name_en, row.description_en)
            if before == (name, description, name_en, description_en):
                continue
            row.name, row.description, row.name_en, row.description_en = name, description, name_en, description_en
            try:
                row.full_clean()
            except ValidationError as error:
                # Beside the field it is about; the unique-name constraint reports itself for the
                # whole row, and a name is what makes a row a duplicate.
                raise ValidationError(
                    {
                        f"{key[0]}{key[1]}_{'name' if field == NON_FIELD_ERRORS else field}": messages
                        for field, messages in error.message_dict.items()
                    }
                ) from error
            row.save()
            changed[f"{key[0]}:{row.key}"] = audit.diff(
                dict(zip(("name", "description", "name_en", "description_en"), before, strict=True)),
                {"name": name, "description": description, "name_en": name_en, "description_en": description_en},
            )
        if changed:
            audit.record(municipality=actor.municipality, actor=actor, action="direction.data_names", changes=changed)


# --- Decision rights --------------------------------------------------------------------------


def _materialise_defaults(municipality_id: int) -> None:
    """The first change writes the default decision rights to the municipality's own rows."""
    if DecisionArea.objects.filter(municipality_id=municipality_id).exists():
        return
    for position, default in enumerate(rules.DEFAULT_AREAS):
        area = DecisionArea.objects.create(
            municipality_id=municipality_id, key=default.key, name=default.name, scope=default.scope, position=position
        )
        DecisionRight.objects.bulk_create(
            DecisionRight(municipality_id=municipality_id, area=area, role=str(role), part=part)
            for role, part in default.parts.items()
        )


def save_decision_area(
    *, actor: Person, key: str | None, name: str, scope: str, parts: Mapping[str, str]
) -> DecisionArea:
    """Creates (key None) or changes one decision area and the part each role plays in it.
    `parts`: role → DecisionRight.Part value, or "" for no part."""
    if not access.can_edit_direction(actor):
        access.deny()
    if not any(part == DecisionRight.Part.DECIDES for part in parts.values()):
        raise ValidationError(
            {"__all__": _("Mindst én rolle skal beslutte. Ellers er det ikke tydeligt, hvem der gør hvad.")}
        )
    if any(role not in Role.values for role in parts):
        access.deny()
    with transaction.atomic():
        m = actor.municipality_id
        _materialise_defaults(m)
        if key is None:
            last = DecisionArea.objects.filter(municipality_id=m).order_by("-position").first()
            area = DecisionArea(
                municipality_id=m,
                key=f"own-{timezone.now():%Y%m%d%H%M%S%f}"[:40],
                position=(last.position + 1) if last else 0,
            )
        else:
            found = DecisionArea.objects.filter(municipality_id=m, key=key).first()
            if found is None:
                access.deny()
            area = found
        before = {
            "name": area.name,
            "scope": area.scope,
            "parts": {r.role: r.part for r in area.rights.all()} if area.pk else {},
        }
        area.name, area.scope = name, scope
        area.full_clean()
        area.save()
        area.rights.all().delete()
        DecisionRight.objects.bulk_create(
            DecisionRight(municipality_id=m, area=area, role=role, part=part) for role, part in parts.items() if part
        )
        after = {"name": name, "scope": scope, "parts": {r: p for r, p in parts.items() if p}}
        _record(actor, "direction.decision_rights", area, audit.diff(before, after))
    return area


# --- Concerns and wishes answered -------------------------------------------------------------


def answer_concern(*, actor: Person, concern: Concern, status: str, answer: str) -> ConcernAnswer:
    """Received → discussed → answered. An answered concern needs the answer, which everyone who
    may read the concern then sees, also on the page of answered concerns."""
    if not access.same_tenant(actor, concern) or not access.can_read_concerns(actor, concern.unit):
        access.deny()
    if status == ConcernAnswer.Status.ANSWERED and not answer.strip():
        raise ValidationError({"answer": _("Skriv svaret, før du markerer det som besvaret.")})
    with transaction.atomic():
        row = ConcernAnswer.objects.select_for_update().filter(concern=concern).first() or ConcernAnswer(
            municipality_id=concern.municipality_id, concern=concern
        )
        before = {"status": row.status, "answer": row.answer}
        row.status, row.answer = status, answer
        row.answered_on = timezone.localdate() if status == ConcernAnswer.Status.ANSWERED else None
        row.full_clean()
        row.save()
        _record(actor, "direction.concern.answer", row, audit.diff(before, {"status": status, "answer": answer}))
    return row
