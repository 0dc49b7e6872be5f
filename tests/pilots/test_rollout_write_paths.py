"""Runs the rollout drivers the way tests/privacy/test_every_write_path.py does, so they are
proven here even before that test reads `write_paths_*.py` files."""

from __future__ import annotations

import inspect

import pytest
from django.db import transaction

from forankring.pilots import actions_rollout
from tests.pilots.write_paths_rollout import DRIVERS, NO_TEXT
from tests.privacy.test_every_write_path import CPR, MARKER, columns_holding

CASES = [(target, argument) for target, drivers in DRIVERS.items() for argument in drivers]


def test_it_has_a_driver_or_a_reason_for_every_rollout_action():
    rollout_actions = {
        f"{actions_rollout.__name__}.{name}"
        for name, function in inspect.getmembers(actions_rollout, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == actions_rollout.__name__
    }
    assert rollout_actions == {name for name in (*DRIVERS, *NO_TEXT) if not name.startswith("command:")}


@pytest.mark.parametrize(("target", "argument"), CASES, ids=[f"{t}:{a}" for t, a in CASES])
def test_it_stores_a_cpr_number_given_to_a_rollout_action_nowhere(personas, tmp_path, target, argument):
    try:
        with transaction.atomic():
            DRIVERS[target][argument](personas, CPR, tmp_path)
    except Exception:  # noqa: S110 - a refusal is fine; what was stored decides
        pass
    assert columns_holding() == []


@pytest.mark.parametrize(("target", "argument"), CASES, ids=[f"{t}:{a}" for t, a in CASES])
def test_it_reaches_the_write_with_harmless_text(personas, tmp_path, target, argument):
    with transaction.atomic():
        DRIVERS[target][argument](personas, MARKER, tmp_path)
    assert columns_holding((MARKER,)) != []
