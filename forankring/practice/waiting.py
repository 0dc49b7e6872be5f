"""What track 2 puts under "Det venter på dig": ideas a leader has not answered in time."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .models import IdeaStatus
from .queries import (
    AI_ITEM_WEEKS,
    IDEA_ANSWER_DAYS,
    teams_without_ai_item,
    waiting_counts,
)


def items_for(person: Person) -> list[WaitingItem]:
    """Two queries at most, whatever the data: the led teams without a recent note, and one for
    the figures (the ideas waiting, named and anonymous, and, for a lighthouse, the questions
    waiting for their answer). None for anyone who is neither leader nor lighthouse."""
    items = [
        WaitingItem(
            _("Sæt AI på dagsordenen i %(team)s: der er ikke skrevet en note i %(weeks)d uger")
            % {"team": unit.name, "weeks": AI_ITEM_WEEKS},
            reverse("practice:team", kwargs={"pk": unit.pk}),
        )
        for unit in teams_without_ai_item(person)
    ]
    figures = waiting_counts(person)
    questions = figures["questions"]
    if questions:
        items.append(
            WaitingItem(
                ngettext(
                    "%(count)d spørgsmål venter på dit svar som fyrtårn",
                    "%(count)d spørgsmål venter på dit svar som fyrtårn",
                    questions,
                )
                % {"count": questions},
                reverse("practice:lighthouse_questions"),
            )
        )
    total = figures["named"] + figures["anonymous"]
    if not total:
        return items
    label = ngettext(
        "%(count)d idé fra en medarbejder har ventet på svar i mere end %(days)d dage",
        "%(count)d idéer fra medarbejdere har ventet på svar i mere end %(days)d dage",
        total,
    ) % {"count": total, "days": IDEA_ANSWER_DAYS}
    return [WaitingItem(label, reverse("practice:ideas") + f"?status={IdeaStatus.NEW}"), *items]
