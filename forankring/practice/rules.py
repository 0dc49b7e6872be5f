"""Track 2's rules in one place: which status may follow which, who decides each step (asked of
track 1's decision rights), and whether a use case's tools may take its data (track 1's rules)."""

from __future__ import annotations

from dataclasses import dataclass

from forankring.direction import rules as direction_rules
from forankring.direction.models import Tool
from forankring.privacy.models import DataClass, TierAllowance

from .models import UseCase

S = UseCase.Status

# Which status may follow which. Stopping is always possible; a stopped use case can be taken up
# again for assessment.
NEXT: dict[str, tuple[str, ...]] = {
    S.IDEA: (S.ASSESSED, S.STOPPED),
    S.ASSESSED: (S.PILOT, S.IDEA, S.STOPPED),
    S.PILOT: (S.OPERATION, S.STOPPED),
    S.OPERATION: (S.STOPPED,),
    S.STOPPED: (S.ASSESSED,),
}


def decision_area(from_status: str, to_status: str) -> str:
    """Track 1's decision area for a step: a local assessment or pilot is the unit's decision
    ("approve_pilot"); putting into operation, or stopping something already in use, is
    "scale_or_stop"."""
    if to_status == S.OPERATION or (to_status == S.STOPPED and from_status in (S.PILOT, S.OPERATION)):
        return "scale_or_stop"
    return "approve_pilot"


@dataclass(frozen=True)
class Flag:
    tool: Tool
    data_class: DataClass
    answer: direction_rules.Answer

    @property
    def blocks(self) -> bool:
        return self.answer.state == direction_rules.NO


def flags_for(
    tools: list[Tool], data_classes: list[DataClass], allowances: dict[tuple[int, int], TierAllowance]
) -> list[Flag]:
    """Track 1's answer for every tool × data class of a use case that is not a plain yes.
    `tools` need `data_classes` prefetched; `allowances` maps (data class id, tier id) to its rule."""
    found: list[Flag] = []
    for tool in tools:
        allowed_here = {dc.pk for dc in tool.data_classes.all()}
        for data_class in data_classes:
            answer = direction_rules.answer(
                tool, data_class.pk in allowed_here, allowances.get((data_class.pk, tool.tier_id))
            )
            if answer.state != direction_rules.YES:
                found.append(Flag(tool, data_class, answer))
    return found


def allowances_for(municipality_id: int) -> dict[tuple[int, int], TierAllowance]:
    """One query: the municipality's whole data × tier table (a few dozen rows)."""
    return {(a.data_class_id, a.tool_tier_id): a for a in TierAllowance.objects.filter(municipality_id=municipality_id)}
