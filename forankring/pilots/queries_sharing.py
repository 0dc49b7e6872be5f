"""Reads for learning cards, experiences and celebrations: municipality-filtered, access-checked
and in a fixed number of queries whatever the data.

Nothing here counts or ranks people: cards, posts and celebrations are listed by date, and the
only figures are the reactions on a team's celebration."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast

from forankring.core import access
from forankring.core.models import Membership, Person, ProfessionalArea
from forankring.practice.models import UseCase

from . import actions_sharing
from .models import (
    AnonymousExperience,
    Celebration,
    CelebrationReceipt,
    Experience,
    LearningCard,
    Pilot,
    Reaction,
)

CARDS_PER_PAGE = 12
EXPERIENCES_PER_PAGE = 15
CELEBRATIONS_PER_PAGE = 15
HOME_CELEBRATIONS = 3
FEED_CELEBRATIONS = 4
SIMILAR_CARDS = 5
CELEBRATION_ITEM_FIELDS = (
    "pk",
    "story",
    "created_on",
    *Reaction.values,  # the counters
    "unit",
    "unit__municipality",
    "unit__path",
    "unit__name",
    "area",
    "area__name",
)


# --- Learning cards -------------------------------------------------------------------------


@dataclass(frozen=True)
class CardFilter:
    q: str = ""
    use_case: int | None = None
    area: int | None = None
    decision: str = ""


def _cards(person: Person) -> Any:
    return LearningCard.objects.filter(municipality_id=person.municipality_id).select_related(
        "pilot", "pilot__use_case", "pilot__use_case__area", "published_by"
    )


def cards_page(person: Person, f: CardFilter, page_number: str | int | None) -> Page[LearningCard]:
    """The library: every card in the municipality, newest first. No ranking by decision: a
    stopped pilot's card sits between the others, by date like them."""
    rows = _cards(person)
    for word in f.q.split()[:6]:
        rows = rows.filter(
            Q(pilot__title__icontains=word)
            | Q(tried__icontains=word)
            | Q(learned__icontains=word)
            | Q(advice__icontains=word)
            | Q(pilot__use_case__title__icontains=word)
        )
    if f.use_case:
        rows = rows.filter(pilot__use_case_id=f.use_case)
    if f.area:
        rows = rows.filter(pilot__use_case__area_id=f.area)
    if f.decision in Pilot.Decision.values:
        rows = rows.filter(decision=f.decision)
    return Paginator(rows.order_by("-published_at", "-pk"), CARDS_PER_PAGE).get_page(page_number)


def card_filter_choices(person: Person) -> dict[str, object]:
    """The library's filters: the areas, and the use cases that have at least one card."""
    with_cards = LearningCard.objects.filter(pilot__use_case=OuterRef("pk"))
    return {
        "areas": list(ProfessionalArea.objects.filter(municipality_id=person.municipality_id).order_by("name")),
        "use_cases": list(
            UseCase.objects.filter(Exists(with_cards), municipality_id=person.municipality_id)
            .only("pk", "title")
            .order_by("title")
        ),
        "decisions": Pilot.Decision.choices,
    }


def get_card_for(person: Person, pk: int) -> LearningCard:
    card = _cards(person).filter(pk=pk).first()
    if card is None:
        access.deny()
    return card


def may_edit_card(person: Person, card: LearningCard) -> bool:
    """Whoever may publish the card may edit it (actions_sharing.may_publish_card)."""
    return actions_sharing.may_publish_card(person, card.pilot)


def card_page(person: Person, pk: int) -> dict[str, object]:
    """The card's own page: the card and whether the reader may edit it."""
    card = get_card_for(person, pk)
    return {"card": card, "can_edit": may_edit_card(person, card)}


def get_card_to_edit(person: Person, pk: int) -> LearningCard:
    """A card the person may edit; any other (or a missing one) is 404, like a foreign one."""
    card = get_card_for(person, pk)
    if not may_edit_card(person, card):
        access.deny()
    return card


def similar_cards(person: Person, *, use_case: UseCase | int | None = None, text: str = "") -> list[LearningCard]:
    """Cards worth reading before a new pilot: those of the same use case, and those whose pilot
    title or use case shares a longer word with `text`. One query."""
    condition = Q()
    use_case_id = use_case.pk if isinstance(use_case, UseCase) else use_case
    if use_case_id:
        condition |= Q(pilot__use_case_id=use_case_id)
    for word in [w for w in text.lower().replace(",", " ").split() if len(w) >= 5][:6]:
        stem = word[:7]
        condition |= Q(pilot__title__icontains=stem) | Q(pilot__use_case__title__icontains=stem)
    if not condition:
        return []
    return list(_cards(person).filter(condition).order_by("-published_at", "-pk")[:SIMILAR_CARDS])


def card_panel(person: Person, pilot: Pilot) -> dict[str, object]:
    """What the pilot page shows about its card: the card, or (for whoever may publish it, once
    the pilot is closed) the form to write it. Two or three queries."""
    from .forms_sharing import LearningCardForm

    card = _cards(person).filter(pilot=pilot).first()
    can_publish = (
        card is None
        and pilot.status == Pilot.Status.CLOSED
        and bool(pilot.decision)
        and actions_sharing.may_publish_card(person, pilot)
    )
    return {
        "pilot": pilot,
        "card": card,
        "can_publish": can_publish,
        "card_form": LearningCardForm() if can_publish else None,
    }


# --- Experiences ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One post in the feed, named or anonymous, in the same layout."""

    post: Experience | AnonymousExperience
    anonymous: bool


def areas_for(person: Person) -> list[ProfessionalArea]:
    return list(ProfessionalArea.objects.filter(municipality_id=person.municipality_id).order_by("name"))


def get_area_for(person: Person, pk: int | None) -> ProfessionalArea | None:
    """The area a feed is filtered to; None for all areas. Another municipality's area is 404."""
    if not pk:
        return None
    area = ProfessionalArea.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    if area is None:
        access.deny()
    return area


def experiences_page(
    person: Person, area: ProfessionalArea | None, page_number: str | int | None
) -> tuple[Page[Any], list[FeedItem]]:
    """Named and anonymous posts in one feed, newest date first; within a date in a stable
    order that says nothing about arrival (anonymous posts by their random key). One UNION for
    the page and its count, then one query per kind for the posts on it."""
    named = Experience.objects.filter(municipality_id=person.municipality_id)
    anonymous = AnonymousExperience.objects.filter(municipality_id=person.municipality_id)
    if area is not None:
        named = named.filter(area=area)
        anonymous = anonymous.filter(area=area)
    keys = (
        named.order_by()
        .annotate(kind=Value("n", output_field=CharField()), ref=Cast("pk", CharField()))
        .values_list("created_on", "kind", "ref")
        .union(
            anonymous.order_by()
            .annotate(kind=Value("a", output_field=CharField()), ref=Cast("shuffle_key", CharField()))
            .values_list("created_on", "kind", "ref"),
            all=True,
        )
        .order_by("-created_on", "kind", "ref")
    )
    page = Paginator(keys, EXPERIENCES_PER_PAGE).get_page(page_number)
    rows = list(page.object_list)
    named_ids = [int(ref) for _day, kind, ref in rows if kind == "n"]
    shuffle_keys = [int(ref) for _day, kind, ref in rows if kind == "a"]
    by_ref: dict[tuple[str, str], Experience | AnonymousExperience] = {}
    for post in Experience.objects.filter(pk__in=named_ids).select_related("area", "author"):
        by_ref[("n", str(post.pk))] = post
    for anon in AnonymousExperience.objects.filter(
        municipality_id=person.municipality_id, shuffle_key__in=shuffle_keys
    ).select_related("area"):
        by_ref[("a", str(anon.shuffle_key))] = anon
    items = [
        FeedItem(post=by_ref[(kind, ref)], anonymous=kind == "a") for _day, kind, ref in rows if (kind, ref) in by_ref
    ]
    return page, items


def get_experience_for(person: Person, pk: int) -> Experience:
    experience = Experience.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    if experience is None:
        access.deny()
    return experience


def get_anonymous_experience_for(person: Person, pk: uuid.UUID) -> AnonymousExperience:
    experience = AnonymousExperience.objects.filter(municipality_id=person.municipality_id, pk=pk).first()
    if experience is None:
        access.deny()
    return experience


# --- Celebrations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReactionButton:
    key: str
    label: str
    count: int
    given: bool


@dataclass(frozen=True)
class CelebrationItem:
    celebration: Celebration
    reactions: list[ReactionButton]
    can_take_down: bool


def _with_reactions(person: Person, celebrations: list[Celebration]) -> list[CelebrationItem]:
    """Each celebration with its counters and whether this person has given each reaction: the
    person's receipts are recomputed and looked up in one query (they name nobody)."""
    keys = {
        (c.pk, r): actions_sharing.receipt_key(person=person, celebration=c, reaction=r)
        for c in celebrations
        for r in Reaction.values
    }
    given = set(
        CelebrationReceipt.objects.filter(
            municipality_id=person.municipality_id, key__in=list(keys.values())
        ).values_list("key", flat=True)
    )
    items = []
    for c in celebrations:
        buttons = [
            ReactionButton(key=value, label=str(label), count=getattr(c, value), given=keys[(c.pk, value)] in given)
            for value, label in Reaction.choices
        ]
        items.append(
            CelebrationItem(
                celebration=c, reactions=buttons, can_take_down=access.can_take_down_celebration(person, c.unit)
            )
        )
    return items


def _celebrations(person: Person, area: ProfessionalArea | None = None) -> Any:
    rows = Celebration.objects.filter(municipality_id=person.municipality_id)
    if area is not None:
        rows = rows.filter(area=area)
    # Only what `celebration_item.html` shows and `access.can_take_down_celebration` asks: these
    # lists are on everyone's home page.
    return rows.select_related("unit", "area").only(*CELEBRATION_ITEM_FIELDS).by_date_in_display_order()


def latest_celebrations(person: Person, *, area: ProfessionalArea | None = None, limit: int) -> list[CelebrationItem]:
    return _with_reactions(person, list(_celebrations(person, area)[:limit]))


def celebrations_page(
    person: Person, area: ProfessionalArea | None, page_number: str | int | None
) -> tuple[Page[Celebration], list[CelebrationItem]]:
    page = Paginator(_celebrations(person, area), CELEBRATIONS_PER_PAGE).get_page(page_number)
    return page, _with_reactions(person, list(page.object_list))


def get_celebration_for(person: Person, pk: uuid.UUID) -> Celebration:
    celebration = (
        Celebration.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("unit").first()
    )
    if celebration is None:
        access.deny()
    return celebration


def latest_celebration_item(person: Person, pk: uuid.UUID) -> CelebrationItem:
    return _with_reactions(person, [get_celebration_for(person, pk)])[0]


def home_panel(person: Person) -> dict[str, object]:
    """The home page's "Små sejre" panel (core/tracks.register_home_panel): two queries, the
    latest celebrations with only the columns the panel shows, then the person's receipts for
    them (keys computed from the celebrations, so they cannot be read in the same query)."""
    return {"celebrations": latest_celebrations(person, limit=HOME_CELEBRATIONS)}


def pilot_for_card(person: Person, pk: int) -> Pilot:
    """The pilot a learning card is published for, in the person's municipality (else 404)."""
    pilot = Pilot.objects.filter(municipality_id=person.municipality_id, pk=pk).select_related("use_case").first()
    if pilot is None:
        access.deny()
    return pilot


def own_area_id(person: Person) -> int | None:
    """The professional area of one of the person's placements: the form's first choice."""
    return (
        Membership.objects.filter(person=person, professional_area__isnull=False)
        .order_by("pk")
        .values_list("professional_area_id", flat=True)
        .first()
    )
