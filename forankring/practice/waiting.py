"""What track 2 puts under "Det venter på dig": ideas a leader has not answered in time."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from forankring.core.models import Person
from forankring.core.tracks import WaitingItem

from .models import IdeaStatus
from .queries import IDEA_ANSWER_DAYS, unanswered_ideas_for_leader


def items_for(person: Person) -> list[WaitingItem]:
    named, anonymous = unanswered_ideas_for_leader(person)
    total = named + anonymous
    if not total:
        return []
    label = ngettext(
        "%(count)d idé fra en medarbejder har ventet på svar i mere end %(days)d dage",
        "%(count)d idéer fra medarbejdere har ventet på svar i mere end %(days)d dage",
        total,
    ) % {"count": total, "days": IDEA_ANSWER_DAYS}
    return [WaitingItem(label, reverse("practice:ideas") + f"?status={IdeaStatus.NEW}")]
