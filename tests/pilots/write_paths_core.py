"""Track 4 core's actions for tests/privacy/test_every_write_path.py: a driver per text argument,
each putting the CPR number into that argument alone."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from forankring.core.models import ProfessionalArea
from forankring.pilots import actions
from forankring.pilots.models import Pilot
from tests.factories import Personas, make_use_case
from tests.pilots.helpers_core import make_pilot

Driver = Callable[[Personas, str, Path], object]
S = Pilot.Status


def _save(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        today = timezone.localdate()
        values: dict[str, Any] = {
            "title": "Ugeplaner",
            "goal": "Mindre tid.",
            "look_at": "Tid.",
            "human_decides": "Pædagogen.",
            "med_note": "Aftalt.",
            "long_reason": "En hel sæson.",
        }
        values[field] = f"Se {cpr}"
        return actions.save_pilot(
            actor=p.team_leader,
            use_case=make_use_case(p.municipality, unit=p.team),
            units=[p.team],
            leader=p.team_leader,
            starts_on=today,
            ends_on=today + datetime.timedelta(weeks=14),
            small_and_safe=True,
            data_classes=[],
            tools=[],
            med_considered=True,
            ai_act_answers={},
            **values,
        )

    return drive


def _new_use_case(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        today = timezone.localdate()
        values = {"title": "Referater", "today": "I hånden.", "ai_help": "Et udkast."}
        values[field] = f"Se {cpr}"
        return actions.save_pilot(
            actor=p.team_leader,
            title="Referater",
            new_use_case=actions.NewUseCase(area=ProfessionalArea.objects.get(municipality=p.municipality), **values),
            units=[p.team],
            leader=p.team_leader,
            goal="Mindre tid.",
            look_at="Tid.",
            starts_on=today,
            ends_on=today + datetime.timedelta(weeks=4),
            small_and_safe=True,
            data_classes=[],
            tools=[],
            med_considered=True,
            human_decides="Mødelederen.",
            ai_act_answers={},
        )

    return drive


def _pilot(p: Personas, status: str) -> Pilot:
    return make_pilot(p.municipality, leader=p.team_leader, units=[p.team], status=status)


def _approve(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        pilot = _pilot(p, S.IDEA)
        Pilot.objects.filter(pk=pilot.pk).update(ai_act_flag=Pilot.AiActFlag.HIGH_RISK, ai_act_areas="employment")
        pilot.refresh_from_db()
        values = {"note": "Godkendt.", "legal_review_note": "Vurderet af Jura."}
        values[field] = f"Se {cpr}"
        return actions.approve_pilot(actor=p.centre_chief, pilot=pilot, **values)

    return drive


def _step(action: Callable[..., Pilot], status: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        return action(actor=p.team_leader, pilot=_pilot(p, status), note=f"Se {cpr}")

    return drive


def _close(p: Personas, cpr: str, tmp: Path) -> object:
    return actions.close_pilot(actor=p.executive, pilot=_pilot(p, S.EVALUATING), decision="stop", note=f"Se {cpr}")


def _extend(p: Personas, cpr: str, tmp: Path) -> object:
    pilot = _pilot(p, S.RUNNING)
    return actions.extend_pilot(
        actor=p.team_leader, pilot=pilot, ends_on=pilot.ends_on + datetime.timedelta(weeks=1), reason=f"Se {cpr}"
    )


def _pulse(field: str) -> Driver:
    def drive(p: Personas, cpr: str, tmp: Path) -> object:
        values = {"easier": "Skabelonen.", "harder": "Tiden."}
        values[field] = f"Se {cpr}"
        return actions.give_pulse(
            actor=p.employee, pilot=_pilot(p, S.RUNNING), score=4, easier=values["easier"], harder=values["harder"]
        )

    return drive


DRIVERS: dict[str, dict[str, Driver]] = {
    "forankring.pilots.actions.save_pilot": {
        **{f: _save(f) for f in ("title", "goal", "look_at", "human_decides", "med_note", "long_reason")},
        **{f"new_use_case.{f}": _new_use_case(f) for f in ("title", "today", "ai_help")},
    },
    "forankring.pilots.actions.approve_pilot": {f: _approve(f) for f in ("note", "legal_review_note")},
    "forankring.pilots.actions.start_pilot": {"note": _step(actions.start_pilot, S.APPROVED)},
    "forankring.pilots.actions.evaluate_pilot": {"note": _step(actions.evaluate_pilot, S.RUNNING)},
    "forankring.pilots.actions.close_pilot": {"note": _close},
    "forankring.pilots.actions.extend_pilot": {"reason": _extend},
    "forankring.pilots.actions.give_pulse": {f: _pulse(f) for f in ("easier", "harder")},
}

NO_TEXT: dict[str, str] = {
    "forankring.pilots.actions.participants": "reads only",
    "forankring.pilots.actions.deciders": "reads only",
    "forankring.pilots.actions.approvers_roles": "reads only",
    "forankring.pilots.actions.can_approve": "reads only",
    "forankring.pilots.actions.can_decide_outcome": "reads only",
    "forankring.pilots.actions.can_run": "reads only",
    "forankring.pilots.actions.receipt_key": "computes an HMAC; writes nothing",
    "forankring.pilots.actions.is_participant": "reads only",
    "forankring.pilots.actions.evaluate_ended_pilots": "a date; the history row carries no note, only a flag",
    "command:evaluate_ended_pilots": "no arguments",
}
