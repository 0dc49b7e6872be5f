"""Changes to learning cards, experiences and celebrations.

Named changes are audited like every other action. Anonymous ones are not: an anonymous
experience, a celebration (which stores no author, models/sharing.py) and a reaction are
anonymous contributions, and the audit log records none of them (core/audit.py), not even
their taking down, because a row in the hash chain would date the item between two named rows.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from forankring.core import access, audit
from forankring.core.models import Membership, Municipality, Person, ProfessionalArea, Unit
from forankring.direction.rules import who_decides
from forankring.notifications.models import Notification
from forankring.privacy import ratelimit
from forankring.privacy.suppression import k_min_for

from .models import (
    AnonymousExperience,
    Celebration,
    CelebrationReceipt,
    Experience,
    ExperienceReminder,
    LearningCard,
    Pilot,
    Reaction,
)

_RECEIPT_SALT = "forankring.pilots.celebration"
REMINDER_KIND = "experience.reminder"
# Rows per INSERT when the monthly reminder goes to every active person.
REMINDER_BATCH = 2000


def _same_tenant(actor: Person, *objects: object) -> None:
    if not actor.is_active:
        access.deny()
    for obj in objects:
        if obj is not None and not access.same_tenant(actor, obj):
            access.deny()


# --- Learning cards -------------------------------------------------------------------------


def may_publish_card(person: Person, pilot: Pilot) -> bool:
    return access.can_publish_learning_card(person, pilot.leader_id, who_decides(person.municipality, "scale_or_stop"))


def publish_learning_card(
    *,
    actor: Person,
    pilot: Pilot,
    tried: str,
    learned: str,
    advice: str = "",
    now: datetime.datetime | None = None,
) -> LearningCard:
    """The card a closed pilot leaves in the library, written by its leader or by whoever may
    decide to scale or stop. One per pilot; the decision is the pilot's own."""
    _same_tenant(actor, pilot)
    if not may_publish_card(actor, pilot):
        access.deny()
    if pilot.status != Pilot.Status.CLOSED or not pilot.decision:
        raise ValidationError(_("Læringskortet kan deles, når afprøvningen er afsluttet med en beslutning."))
    card = LearningCard(
        municipality_id=actor.municipality_id,
        pilot=pilot,
        tried=tried,
        learned=learned,
        advice=advice,
        decision=pilot.decision,
        published_by=actor,
        published_at=now or timezone.now(),
    )
    card.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            card.save(force_insert=True)
            audit.record(
                municipality=actor.municipality,
                actor=actor,
                action="pilots.card.publish",
                obj=card,
                changes={"pilot": pilot.title, "decision": card.decision},
            )
    except IntegrityError:
        # Two leaders publishing at the same moment: the first card stands.
        raise ValidationError(_("Afprøvningen har allerede et læringskort.")) from None
    return card


def edit_learning_card(
    *,
    actor: Person,
    card: LearningCard,
    tried: str,
    learned: str,
    advice: str = "",
    now: datetime.datetime | None = None,
) -> LearningCard:
    """Correct or add to a published card, by whoever may publish it (the pilot's leader, or who
    may decide to scale or stop). The card keeps its id, URL and place in the library; it shows
    when it was edited, and the audit row says by whom and which parts changed. The decision is
    the pilot's and is not edited here."""
    _same_tenant(actor, card)
    if not may_publish_card(actor, card.pilot):
        access.deny()
    before = {"tried": card.tried, "learned": card.learned, "advice": card.advice}
    after = {"tried": tried, "learned": learned, "advice": advice}
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return card
    card.tried, card.learned, card.advice = tried, learned, advice
    card.edited_at, edited_before = now or timezone.now(), card.edited_at
    try:
        card.full_clean(validate_unique=False)
    except ValidationError:
        # Refused: the caller's card stays the card that is stored.
        card.tried, card.learned, card.advice = before["tried"], before["learned"], before["advice"]
        card.edited_at = edited_before
        raise
    with transaction.atomic():
        card.save(update_fields=["tried", "learned", "advice", "edited_at"])
        # Which parts changed, not their text: the card itself is the record of what it says now.
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.card.edit",
            obj=card,
            changes={"changed": changed},
        )
    return card


# --- Experiences ----------------------------------------------------------------------------


def share_experience(
    *,
    actor: Person,
    area: ProfessionalArea,
    title: str,
    text: str,
    anonymous: bool = False,
    now: datetime.datetime | None = None,
) -> Experience | AnonymousExperience:
    """An "AI-erfaring" for the feed of a professional area: with the writer's name, or without
    it, chosen per post. An anonymous post stores nothing of the writer and is not audited."""
    _same_tenant(actor, area)
    if anonymous:
        if not area_is_large_enough(area):
            raise ValidationError(
                {
                    "area": _(
                        "Der er færre end %(k)s personer i fagområdet, så et opslag uden navn kunne pege på dig. "
                        "Del med dit navn, eller vælg et bredere fagområde."
                    )
                    % {"k": k_min_for(actor.municipality)}
                }
            )
        item = AnonymousExperience(municipality_id=actor.municipality_id, area=area, title=title, text=text)
        item.full_clean()
        # Counted before, and outside, the item's own transaction: see privacy/ratelimit.py.
        ratelimit.hit(person=actor, scope="experience")
        with transaction.atomic():
            item.save(force_insert=True)
        return item
    now = now or timezone.now()
    experience = Experience(
        municipality_id=actor.municipality_id,
        area=area,
        title=title,
        text=text,
        author=actor,
        created_on=timezone.localdate(now),
        created_at=now,
    )
    experience.full_clean()
    with transaction.atomic():
        experience.save(force_insert=True)
        audit.record(
            municipality=actor.municipality,
            actor=actor,
            action="pilots.experience.share",
            obj=experience,
            changes={"title": title, "area": area.name},
        )
    return experience


def area_is_large_enough(area: ProfessionalArea) -> bool:
    """An anonymous post names a professional area; in a small area the writer would be one of a
    few, so it needs at least k_min active people (one COUNT, in the action only)."""
    people = (
        Membership.objects.filter(municipality_id=area.municipality_id, professional_area=area, person__is_active=True)
        .values("person_id")
        .distinct()
        .count()
    )
    return people >= k_min_for(area.municipality)


def take_down_experience(*, actor: Person, experience: Experience | AnonymousExperience) -> None:
    """A named post by its author or an administrator; an anonymous one by an administrator
    (and, being anonymous, without an audit row)."""
    _same_tenant(actor, experience)
    author_id = experience.author_id if isinstance(experience, Experience) else None
    if not access.can_take_down_experience(actor, author_id):
        access.deny()
    with transaction.atomic():
        if isinstance(experience, Experience):
            audit.record(
                municipality=actor.municipality,
                actor=actor,
                action="pilots.experience.take_down",
                obj=experience,
                changes={"title": experience.title},
            )
        experience.delete()


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def send_experience_reminders(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The gentle monthly reminder to share an experience, as a notification for every active
    person of every municipality that has not had this month's yet. Safe to run as often as one
    likes: a municipality's month is marked in the same transaction as its notifications.

    Bulk: one query for the people of a municipality and one INSERT per REMINDER_BATCH rows,
    whatever the number of people. The notifications wait for each person's digest; whoever
    chose e-mail "at once" sees the reminder in the app only (a monthly nudge is never urgent)."""
    now = now or timezone.now()
    month = month_of(timezone.localdate(now))
    url = reverse("pilots:experience_new")
    subject = f"{month:%Y-%m}"  # the month, in no language: the kind's sentence says the rest
    sent: dict[str, int] = {}
    for municipality in Municipality.objects.order_by("pk"):
        if ExperienceReminder.objects.filter(municipality=municipality, month=month).exists():
            continue
        with transaction.atomic():
            try:
                with transaction.atomic():
                    reminder = ExperienceReminder.objects.create(municipality=municipality, month=month)
            except IntegrityError:
                continue  # another run took this month a moment ago
            template = Notification(
                municipality=municipality, kind=REMINDER_KIND, subject=subject, url=url, created_at=now
            )
            template.full_clean(exclude=["municipality", "recipient"])
            people = (
                Person.objects.filter(municipality=municipality, is_active=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            batch: list[Notification] = []
            count = 0
            for person_id in people.iterator(chunk_size=REMINDER_BATCH):
                batch.append(
                    Notification(
                        municipality=municipality,
                        recipient_id=person_id,
                        kind=REMINDER_KIND,
                        subject=subject,
                        url=url,
                        created_at=now,
                    )
                )
                if len(batch) >= REMINDER_BATCH:
                    Notification.objects.bulk_create(batch)
                    count += len(batch)
                    batch = []
            if batch:
                Notification.objects.bulk_create(batch)
                count += len(batch)
            reminder.sent_to = count
            reminder.save(update_fields=["sent_to"])
            audit.record(
                municipality=municipality,
                actor=None,
                actor_label="remind_experiences",
                action="pilots.experience.remind",
                obj=reminder,
                changes={"month": month.isoformat(), "sent_to": count},
            )
        sent[municipality.slug] = count
    return sent


# --- Celebrations ---------------------------------------------------------------------------


def celebration_units(person: Person) -> list[Unit]:
    """The teams a person may celebrate on behalf of: the units they belong to."""
    return list(
        Unit.objects.filter(
            municipality_id=person.municipality_id,
            is_active=True,
            pk__in=Membership.objects.filter(person=person).values("unit_id"),
        ).order_by("path")
    )


def celebrate(*, actor: Person, unit: Unit, story: str, area: ProfessionalArea | None = None) -> Celebration:
    """A small success told as the team's. The team must be one the actor belongs to; the actor
    is not stored, and the action is not audited (an anonymous contribution)."""
    _same_tenant(actor, unit, area)
    if unit.pk not in {u.pk for u in celebration_units(actor)}:
        raise ValidationError({"unit": _("Vælg et team, du selv er en del af.")})
    celebration = Celebration(municipality_id=actor.municipality_id, unit=unit, area=area, story=story)
    celebration.full_clean()
    ratelimit.hit(person=actor, scope="celebration")
    with transaction.atomic():
        celebration.save(force_insert=True)
    return celebration


def receipt_key(*, person: Person, celebration: Celebration, reaction: str) -> str:
    return salted_hmac(_RECEIPT_SALT, f"{celebration.pk}:{reaction}:{person.pk}", algorithm="sha256").hexdigest()


def react(*, actor: Person, celebration: Celebration, reaction: str) -> bool:
    """Give a reaction to a celebration, or take it back; True if it is now given.

    The counter on the celebration goes up or down; an opaque once-per-person receipt is kept
    apart, with no celebration, person or time beside it. Not audited (see the module docstring)."""
    _same_tenant(actor, celebration)
    if reaction not in Reaction.values:
        raise ValidationError({"reaction": _("Vælg en af reaktionerne.")})
    key = receipt_key(person=actor, celebration=celebration, reaction=reaction)
    rows = Celebration.objects.filter(pk=celebration.pk)
    with transaction.atomic():
        deleted, _rows = CelebrationReceipt.objects.filter(municipality_id=actor.municipality_id, key=key).delete()
        if deleted:
            rows.filter(**{f"{reaction}__gt": 0}).update(**{reaction: F(reaction) - 1})
            return False
        try:
            with transaction.atomic():
                CelebrationReceipt.objects.create(municipality_id=actor.municipality_id, key=key)
        except IntegrityError:
            return True  # the same person in two tabs at once
        rows.update(**{reaction: F(reaction) + 1})
    return True


def take_down_celebration(*, actor: Person, celebration: Celebration) -> None:
    """The team's leaders (or an administrator) take a celebration down. Not audited: a
    celebration is an anonymous contribution (see the module docstring)."""
    _same_tenant(actor, celebration)
    if not access.can_take_down_celebration(actor, celebration.unit):
        access.deny()
    with transaction.atomic():
        celebration.delete()
