"""Write-path drivers for the rollout actions (read by tests/privacy/test_every_write_path.py):
one per text argument, each putting the text into that argument of a call that would succeed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import timezone

from tests.factories import Personas

Driver = Callable[[Personas, str, Path], object]
A = "forankring.pilots.actions_rollout"


def _start(p: Personas, purpose: str) -> object:
    from forankring.pilots import actions_rollout
    from tests.pilots.helpers_rollout import rollout_tool

    return actions_rollout.start_rollout(
        actor=p.executive, tool=rollout_tool(p.team), unit=p.team, starts_on=timezone.localdate(), purpose=purpose
    )


def _tick(p: Personas, note: str) -> object:
    from forankring.pilots import actions_rollout
    from tests.pilots.helpers_rollout import make_rollout

    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=3)
    return actions_rollout.tick_week(actor=p.team_leader, rollout=rollout, week=1, note=note)


def _close(p: Personas, gains: str = "Mere tid", barriers: str = "Ingen") -> object:
    from forankring.pilots import actions_rollout
    from tests.pilots.helpers_rollout import make_rollout

    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=29)
    return actions_rollout.close_rollout(actor=p.team_leader, rollout=rollout, gains=gains, barriers=barriers)


def _problem(p: Personas, text: str) -> object:
    from forankring.pilots import actions_rollout
    from tests.pilots.helpers_rollout import make_rollout

    rollout = make_rollout(p.team, owner=p.team_leader, days_ago=3)
    return actions_rollout.save_concrete_problem(actor=p.employee, rollout=rollout, text=text, solved=False)


DRIVERS: dict[str, dict[str, Driver]] = {
    f"{A}.start_rollout": {"purpose": lambda p, cpr, tmp: _start(p, f"Ugeplaner {cpr}")},
    f"{A}.tick_week": {"note": lambda p, cpr, tmp: _tick(p, f"Note {cpr}")},
    f"{A}.close_rollout": {
        "gains": lambda p, cpr, tmp: _close(p, gains=f"Gevinst {cpr}"),
        "barriers": lambda p, cpr, tmp: _close(p, barriers=f"Barriere {cpr}"),
    },
    f"{A}.save_concrete_problem": {"text": lambda p, cpr, tmp: _problem(p, f"Problem {cpr}")},
}

NO_TEXT: dict[str, str] = {
    f"{A}.choose_owner": "a rollout and a person",
    f"{A}.delete_concrete_problem": "a rollout; deletes the person's own row",
    f"{A}.remind_rollout_owners": "a municipality and a date; notifications carry the stored, screened title",
    "command:remind_rollouts": "no arguments",
}
