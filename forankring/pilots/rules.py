"""Track 4's rules for a pilot in one place: the EU AI Act screen, the checklist of a good pilot
against track 1's rules, which status may follow which, and the weeks of a pilot.

The AI Act screen asks the leader explicit questions instead of guessing from free text: a yes
to a forbidden use (article 5) refuses the pilot with the rule named; a yes to a high-risk area
(annex III) keeps it, flags it for legal review, and approval then needs a recorded review.
This is a first screen that makes people stop and ask, not legal advice; the texts say so."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from forankring.direction.models import Tool
from forankring.practice import rules as practice_rules
from forankring.privacy.models import DataClass

from .models.pilot import DEFAULT_WEEKS, MAX_WEEKS_WITHOUT_REASON, Pilot

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise
else:
    StrPromise = str

S = Pilot.Status


# --- The EU AI Act screen -------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    key: str
    question: StrPromise
    rule: StrPromise  # the article or annex point, named in the refusal or the flag
    reason: StrPromise  # why, in plain words


# Article 5: practices the regulation forbids outright. A yes refuses the pilot.
FORBIDDEN: tuple[Question, ...] = (
    Question(
        "emotion",
        _("Skal AI vurdere følelser eller sindstilstand hos ansatte, børn eller elever?"),
        _("AI-forordningens artikel 5, stk. 1, litra f"),
        _(
            "Forordningen forbyder AI, der udleder følelser hos personer på en arbejdsplads eller i en "
            "uddannelsesinstitution (undtaget er kun medicinske og sikkerhedsmæssige formål)."
        ),
    ),
    Question(
        "social_scoring",
        _("Skal AI give borgere eller ansatte en samlet score ud fra deres adfærd eller personlige træk?"),
        _("AI-forordningens artikel 5, stk. 1, litra c"),
        _(
            "Forordningen forbyder social pointgivning: at vurdere eller klassificere mennesker ud fra deres "
            "adfærd eller personlighed, så de behandles ringere i andre sammenhænge."
        ),
    ),
    Question(
        "manipulation",
        _(
            "Skal AI påvirke folks valg med skjulte eller manipulerende teknikker, eller udnytte, at nogen er "
            "sårbare på grund af alder, handicap eller social situation?"
        ),
        _("AI-forordningens artikel 5, stk. 1, litra a og b"),
        _(
            "Forordningen forbyder AI, der bruger manipulerende teknikker eller udnytter sårbarhed til at "
            "ændre menneskers adfærd på en måde, der kan skade dem."
        ),
    ),
    Question(
        "biometric_categorisation",
        _(
            "Skal AI ud fra ansigt, stemme eller andre biometriske data udlede fx etnisk oprindelse, politisk "
            "holdning, fagforeningsmedlemskab, religion eller seksuel orientering?"
        ),
        _("AI-forordningens artikel 5, stk. 1, litra g"),
        _("Forordningen forbyder biometrisk kategorisering, der udleder følsomme personlige forhold."),
    ),
    Question(
        "face_scraping",
        _("Skal AI opbygge en database med ansigtsbilleder hentet fra internettet eller overvågningskameraer?"),
        _("AI-forordningens artikel 5, stk. 1, litra e"),
        _("Forordningen forbyder at opbygge ansigtsdatabaser ved ikke-målrettet indsamling af billeder."),
    ),
)

# Annex III: high-risk areas. A yes flags the pilot for legal review before approval.
HIGH_RISK: tuple[Question, ...] = (
    Question(
        "employment",
        _(
            "Skal AI bruges til at rekruttere, forfremme eller afskedige, fordele opgaver eller følge og "
            "vurdere ansattes arbejde?"
        ),
        _("AI-forordningens bilag III, punkt 4 (beskæftigelse og ledelse af arbejdstagere)"),
        _("Beslutninger om ansættelse og om ansattes arbejde er et højrisikoområde."),
    ),
    Question(
        "public_services",
        _(
            "Skal AI bruges til at vurdere, om en borger har ret til en offentlig ydelse eller service, fx "
            "hjemmehjælp, hjælpemidler eller kontanthjælp?"
        ),
        _("AI-forordningens bilag III, punkt 5, litra a (offentlige ydelser og tjenester)"),
        _("Vurdering af borgeres adgang til offentlige ydelser er et højrisikoområde."),
    ),
    Question(
        "education",
        _(
            "Skal AI bruges til at optage, fordele eller bedømme børn, elever eller studerende, eller til at "
            "holde øje med dem under prøver?"
        ),
        _("AI-forordningens bilag III, punkt 3 (uddannelse)"),
        _("Optagelse, bedømmelse og overvågning i uddannelse er et højrisikoområde."),
    ),
    Question(
        "emergency",
        _("Skal AI bruges til at vurdere eller prioritere nødopkald, udrykning eller akut hjælp?"),
        _("AI-forordningens bilag III, punkt 5, litra d (nødopkald og akut hjælp)"),
        _("Prioritering af akut hjælp er et højrisikoområde."),
    ),
)
HIGH_RISK_BY_KEY = {q.key: q for q in HIGH_RISK}
QUESTION_KEYS = tuple(q.key for q in (*FORBIDDEN, *HIGH_RISK))


@dataclass(frozen=True)
class Screen:
    forbidden: list[Question]
    high_risk: list[Question]

    @property
    def area_keys(self) -> str:
        return ",".join(q.key for q in self.high_risk)


def screen(answers: dict[str, bool]) -> Screen:
    """The questions answered yes, forbidden ones and high-risk ones."""
    return Screen(
        forbidden=[q for q in FORBIDDEN if answers.get(q.key)],
        high_risk=[q for q in HIGH_RISK if answers.get(q.key)],
    )


def refusal(question: Question) -> str:
    return str(
        _("Afprøvningen kan ikke gennemføres: %(reason)s (%(rule)s). Den kan ikke godkendes i nogen form.")
        % {"reason": question.reason, "rule": question.rule}
    )


def high_risk_areas(pilot: Pilot) -> list[Question]:
    return [HIGH_RISK_BY_KEY[key] for key in pilot.ai_act_areas.split(",") if key in HIGH_RISK_BY_KEY]


# --- The checklist against track 1's rules --------------------------------------------------


def data_flags(
    municipality_id: int, tools: Iterable[Tool], data_classes: Iterable[DataClass]
) -> list[practice_rules.Flag]:
    """Track 1's answer for every tool × data class that is not a plain yes (the tool register's
    status, the tool's own list of data classes and the data × tier rules): two queries."""
    tool_list = list(Tool.objects.filter(pk__in=[t.pk for t in tools]).prefetch_related("data_classes"))
    return practice_rules.flags_for(tool_list, list(data_classes), practice_rules.allowances_for(municipality_id))


@dataclass(frozen=True)
class Blocker:
    field: str
    message: str


def approval_blockers(pilot: Pilot, flags: list[practice_rules.Flag]) -> list[Blocker]:
    """What stands in the way of approving the pilot: the checklist not done, a tool that may
    not take the data, or a high-risk area without a legal review."""
    found: list[Blocker] = []
    if not pilot.small_and_safe:
        found.append(
            Blocker("small_and_safe", str(_("Afprøvningen er ikke markeret som lille, tryg og tidsafgrænset.")))
        )
    if not pilot.med_considered:
        found.append(Blocker("med_considered", str(_("Arbejdsmiljøet er ikke drøftet med MED endnu."))))
    blocking = [f for f in flags if f.blocks]
    if blocking:
        pairs = ", ".join(f"{f.tool.name} / {f.data_class.display_name}" for f in blocking)
        found.append(
            Blocker(
                "tools",
                str(_("Værktøjet må ikke bruges til de data, afprøvningen nævner: %(pairs)s.") % {"pairs": pairs}),
            )
        )
    return found


# --- Status and dates -----------------------------------------------------------------------

# The next step from each status, and the action that takes it.
NEXT: dict[str, str] = {S.IDEA: S.APPROVED, S.APPROVED: S.RUNNING, S.RUNNING: S.EVALUATING, S.EVALUATING: S.CLOSED}
# Statuses in which the end date may still be moved.
EXTENDABLE = (S.APPROVED, S.RUNNING)


def default_end(starts_on: datetime.date) -> datetime.date:
    return starts_on + datetime.timedelta(weeks=DEFAULT_WEEKS)


def needs_long_reason(starts_on: datetime.date, ends_on: datetime.date) -> bool:
    return (ends_on - starts_on).days > MAX_WEEKS_WITHOUT_REASON * 7


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the ISO week `day` is in: the period a pulse belongs to."""
    return day - datetime.timedelta(days=day.weekday())
