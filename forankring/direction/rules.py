"""The municipality's rules as answers other code can ask for.

- `who_decides(municipality, area_key)`: the roles that decide an area (later tracks ask it who
  approves a pilot or a tool; this track asks it who may publish the compass).
- `answer(tool, data_class, allowance)`: "Må jeg bruge X til Y?" in one place, so the page,
  the tool register's check and the tests agree.

Until the direktion has changed anything, the decision rights are the defaults below; the first
change writes them to the municipality's own rows (actions.save_decision_area)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from forankring.core.models import Municipality, Role
from forankring.privacy.models import TierAllowance

from .models import DecisionArea, DecisionRight, Tool

D, C, INF, U = (
    DecisionRight.Part.DECIDES,
    DecisionRight.Part.CONSULTED,
    DecisionRight.Part.INFORMED,
    DecisionRight.Part.CARRIES_OUT,
)
COMMON, LOCAL = DecisionArea.Scope.COMMON, DecisionArea.Scope.LOCAL


@dataclass(frozen=True)
class DefaultArea:
    key: str
    name: str  # stored data in Danish, like the data classes: the municipality edits its copy
    scope: str
    parts: dict[str, str] = field(default_factory=dict)


# The areas every municipality starts with. The names are data (a municipality renames them),
# written in Danish; the English reader sees the catalogue's translation of the default name.
DEFAULT_AREAS: tuple[DefaultArea, ...] = (
    DefaultArea(
        "approve_tool",
        "Godkende et nyt AI-værktøj",
        COMMON,
        {Role.EXECUTIVE: D, Role.IT: U, Role.MED: INF, Role.LEADER: C},
    ),
    DefaultArea(
        "approve_pilot",
        "Godkende en afprøvning",
        LOCAL,
        {Role.LEADER: D, Role.LIGHTHOUSE: U, Role.EMPLOYEE: C, Role.IT: C, Role.EXECUTIVE: INF},
    ),
    DefaultArea(
        "scale_or_stop",
        "Udbrede eller stoppe en anvendelse",
        COMMON,
        {Role.EXECUTIVE: D, Role.LEADER: C, Role.MED: C, Role.IT: U},
    ),
    DefaultArea(
        "personal_data",
        "Godkende brug af personoplysninger",
        COMMON,
        {Role.EXECUTIVE: D, Role.IT: C, Role.LEADER: U, Role.MED: INF},
    ),
    DefaultArea(
        "publish_compass",
        "Offentliggøre AI-kompasset",
        COMMON,
        {Role.EXECUTIVE: D, Role.MED: C, Role.LEADER: INF, Role.EMPLOYEE: INF},
    ),
    DefaultArea(
        "focus_areas",
        "Vælge strategiske fokusområder",
        COMMON,
        {Role.EXECUTIVE: D, Role.LEADER: C, Role.MED: C, Role.EMPLOYEE: INF},
    ),
    DefaultArea(
        "lighthouses",
        "Udpege fyrtårne",
        LOCAL,
        {Role.LEADER: D, Role.EMPLOYEE: C, Role.LIGHTHOUSE: U, Role.EXECUTIVE: INF},
    ),
)
DEFAULT_AREAS_BY_KEY = {area.key: area for area in DEFAULT_AREAS}

# The default names, marked for the catalogue so an English reader sees them in English as long
# as the municipality keeps the default name.
_DEFAULT_NAMES_EN = {
    "Godkende et nyt AI-værktøj": _("Godkende et nyt AI-værktøj"),
    "Godkende en afprøvning": _("Godkende en afprøvning"),
    "Udbrede eller stoppe en anvendelse": _("Udbrede eller stoppe en anvendelse"),
    "Godkende brug af personoplysninger": _("Godkende brug af personoplysninger"),
    "Offentliggøre AI-kompasset": _("Offentliggøre AI-kompasset"),
    "Vælge strategiske fokusområder": _("Vælge strategiske fokusområder"),
    "Udpege fyrtårne": _("Udpege fyrtårne"),
}


def area_label(name: str) -> str:
    """The area's name in the reader's language when it is a default name; else as written."""
    return str(_DEFAULT_NAMES_EN.get(name, name))


def has_own_decision_rights(municipality: Municipality) -> bool:
    return DecisionArea.objects.filter(municipality=municipality).exists()


def who_decides(municipality: Municipality, area_key: str) -> list[str]:
    """The roles (Role values) that decide `area_key` in this municipality, in Role order. An
    area the municipality does not have falls back to the default; an unknown area is decided
    by nobody (so only an administrator passes access.can_decide)."""
    area = DecisionArea.objects.filter(municipality=municipality, key=area_key).first()
    if area is not None:
        roles = set(
            DecisionRight.objects.filter(
                municipality=municipality, area=area, part=DecisionRight.Part.DECIDES
            ).values_list("role", flat=True)
        )
    elif area_key in DEFAULT_AREAS_BY_KEY and not has_own_decision_rights(municipality):
        parts = DEFAULT_AREAS_BY_KEY[area_key].parts
        roles = {str(role) for role, part in parts.items() if part == DecisionRight.Part.DECIDES}
    else:
        roles = set()
    return [role for role in Role.values if role in roles]


# --- "Må jeg bruge X til Y?" -----------------------------------------------------------------

YES, ONLY_IF, NO = TierAllowance.State.ALLOWED, TierAllowance.State.ONLY_IF, TierAllowance.State.NOT_ALLOWED


@dataclass(frozen=True)
class Answer:
    state: str  # TierAllowance.State value
    reason: str
    example: str  # the rule's note: an example or the condition


def tier_state(allowance: TierAllowance | None) -> str:
    """A pair nobody has decided is "no": the rules fail closed."""
    return allowance.state if allowance is not None else NO


def answer(tool: Tool, allowed_here: bool, allowance: TierAllowance | None) -> Answer:
    """May data of one class go into this tool? `allowed_here` says whether the tool's own list
    of data classes includes it; `allowance` is the tier rule for the pair.

    A tool can be stricter than its tier, never looser: the answer is the stricter of the two."""
    note = allowance.display_note if allowance is not None else ""
    if tool.status == Tool.Status.NOT_ALLOWED:
        return Answer(NO, str(_("Værktøjet er ikke tilladt i kommunen.")), "")
    if tool.status == Tool.Status.REVIEW:
        return Answer(NO, str(_("Værktøjet er ved at blive vurderet og må ikke bruges endnu.")), "")
    state = tier_state(allowance)
    if state == NO:
        return Answer(NO, str(_("Reglerne for denne type værktøj tillader ikke den slags data.")), note)
    if not allowed_here:
        return Answer(
            NO, str(_("Værktøjet er ikke godkendt til den slags data, selv om typen kunne tillade det.")), note
        )
    if state == ONLY_IF:
        return Answer(ONLY_IF, str(_("Kun hvis betingelsen er opfyldt.")), note)
    return Answer(YES, str(_("Værktøjet er godkendt til den slags data.")), note)
