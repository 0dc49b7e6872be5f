"""Thirty participants write cards and put dots on the board at the same moment, and none is lost.

On PostgreSQL only (as competence's concurrent sign-up test): SQLite's IMMEDIATE transactions
serialise every writer anyway, so there is no race there to lose anything to.

The issue asks for a minute of it. The test runs the same thirty threads for
RETRO_LOAD_SECONDS (10 by default, so the suite stays quick on a small machine); set it to 60 for
the full minute. What matters is the concurrency, which is the same either way."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from forankring.pilots import actions_retro
from forankring.pilots.models.retro import (
    DOT_BUDGET,
    RetroBoard,
    RetroCard,
    RetroGroup,
    RetroVote,
    RetroVoteReceipt,
)
from tests.factories import make_person
from tests.pilots.retro_support import make_board, make_pilot

PARTICIPANTS = 30
SECONDS = float(os.environ.get("RETRO_LOAD_SECONDS", "10"))


@pytest.mark.django_db(transaction=True)
def test_it_loses_no_card_and_no_dot_when_thirty_post_at_once(personas, settings):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite's IMMEDIATE transactions serialise writers anyway")
    settings.ANONYMOUS_DAILY_LIMIT = 100_000  # the flood limit is not what this measures
    m = personas.municipality
    people = [make_person(m, f"Deltager {i}", unit=personas.team) for i in range(PARTICIPANTS)]
    # Two boards of the same teams: one taking cards, one taking dots, both hit at once.
    cards_board = make_board(make_pilot(m, units=[personas.team], leader=personas.team_leader, title="Kortene"))
    voting_board = make_board(
        make_pilot(m, units=[personas.team], leader=personas.team_leader, title="Prikkerne"),
        phase=RetroBoard.Phase.VOTING,
    )
    groups = [
        RetroGroup.objects.create(municipality=m, board=voting_board, column="worked", heading=f"Emne {n}")
        for n in range(4)
    ]
    barrier = threading.Barrier(PARTICIPANTS)
    errors: list[BaseException] = []
    written: Counter[str] = Counter()
    dots: Counter[int] = Counter()
    refused: Counter[str] = Counter()
    lock = threading.Lock()

    def take_part(n: int, person) -> None:
        try:
            barrier.wait(timeout=30)
            deadline = time.monotonic() + SECONDS
            i = 0
            # Every participant tries one dot more than the budget; the last try must be refused.
            while time.monotonic() < deadline or i <= DOT_BUDGET:
                if time.monotonic() < deadline:
                    text = f"Kort {i} fra deltager nummer {n}"
                    actions_retro.add_card(actor=person, board=cards_board, column="worked", text=text)
                    with lock:
                        written[text] += 1
                if i <= DOT_BUDGET:
                    group = groups[(n + i) % len(groups)]
                    try:
                        actions_retro.cast_vote(actor=person, group=group)
                    except actions_retro.BudgetSpent:
                        with lock:
                            refused["budget"] += 1
                    else:
                        with lock:
                            dots[group.pk] += 1
                i += 1
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take_part, args=(n, p)) for n, p in enumerate(people)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=SECONDS + 120)
    took = time.monotonic() - started
    print(f"{PARTICIPANTS} participants: {sum(written.values())} cards, {sum(dots.values())} dots in {took:.1f} s")
    assert errors == []
    stored = Counter(RetroCard.objects.filter(board=cards_board).values_list("text", flat=True))
    assert stored == written and sum(written.values()) >= PARTICIPANTS
    assert refused["budget"] == PARTICIPANTS
    assert RetroVote.objects.filter(board=voting_board).count() == PARTICIPANTS * DOT_BUDGET
    for group in groups:
        assert RetroVote.objects.filter(group=group).count() == dots[group.pk]
    assert list(RetroVoteReceipt.objects.values_list("used", flat=True)) == [DOT_BUDGET] * PARTICIPANTS
    assert took < SECONDS + 60
