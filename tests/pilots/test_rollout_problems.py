""" "Mit ene konkrete problem": each member of the rollout's unit writes their own, only they read
it (no leader, administrator, audit row or export), and the unit sees a count only above k_min."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from forankring.core.models import AuditEvent
from forankring.pilots import actions_rollout as actions
from forankring.pilots.models import ConcreteProblem
from tests.factories import Personas, make_person
from tests.pilots.helpers_rollout import make_rollout, note_problem

SECRET = "Jeg bruger en time på ugeplanen hver fredag"


def test_it_lets_a_member_write_change_and_delete_their_own_problem(personas, client_for):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)
    client = client_for("employee")
    url = reverse("pilots:rollout_problem", args=[rollout.pk])

    assert client.post(url, {"text": SECRET}).status_code == 302
    assert SECRET in client.get(url).content.decode()
    client.post(url, {"text": SECRET + " – nu løst", "solved": "on"})
    problem = ConcreteProblem.objects.get(rollout=rollout, person=p.employee)
    assert problem.solved and problem.text.endswith("nu løst")
    client.post(reverse("pilots:rollout_problem_delete", args=[rollout.pk]))
    assert not ConcreteProblem.objects.filter(rollout=rollout).exists()


def test_it_shows_the_text_to_nobody_but_its_writer(personas, client_for):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)
    note_problem(rollout, p.employee, SECRET)

    for who in ("team_leader", "lighthouse", "centre_chief", "executive", "admin"):
        client = client_for(who)
        for name in ("pilots:rollout", "pilots:rollout_problem"):
            response = client.get(reverse(name, args=[rollout.pk]))
            assert SECRET not in response.content.decode(), f"{who} sees the text on {name}"
    assert SECRET in client_for("employee").get(reverse("pilots:rollout_problem", args=[rollout.pk])).content.decode()


def test_it_keeps_the_text_out_of_the_audit_log_and_its_export(personas, client_for):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)

    actions.save_concrete_problem(actor=p.employee, rollout=rollout, text=SECRET, solved=False)
    actions.save_concrete_problem(actor=p.employee, rollout=rollout, text=SECRET + " igen", solved=True)

    events = AuditEvent.objects.filter(action__startswith="pilots.rollout.problem")
    assert events.count() == 2
    assert all(SECRET not in f"{e.object_label} {e.changes}" for e in events)
    admin = client_for("admin")
    assert SECRET not in admin.get(reverse("core:admin_audit")).content.decode()
    export = admin.get(reverse("core:admin_audit_export"))
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    assert b"Mit ene konkrete problem" in body or b"pilots.rollout.problem" in body
    assert SECRET.encode() not in body


def test_it_refuses_a_problem_from_someone_who_does_not_work_in_the_unit(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)

    for who in ("med", "centre_chief", "admin"):
        with pytest.raises(Http404):
            actions.save_concrete_problem(actor=getattr(p, who), rollout=rollout, text=SECRET, solved=False)
    assert not ConcreteProblem.objects.exists()


def test_it_refuses_another_persons_problem_to_delete(personas):
    p = personas
    rollout = make_rollout(p.team, owner=p.team_leader)
    note_problem(rollout, p.employee, SECRET)

    with pytest.raises(Http404):
        actions.delete_concrete_problem(actor=p.team_leader, rollout=rollout)
    assert ConcreteProblem.objects.filter(person=p.employee).exists()


def _members(p: Personas, n: int) -> list:
    return [make_person(p.municipality, f"Kollega {i}", unit=p.team) for i in range(n)]


def test_it_shows_the_units_count_only_from_k_min(personas, client_for):
    p = personas
    k_min = p.municipality.k_min
    rollout = make_rollout(p.team, owner=p.team_leader)
    writers = _members(p, k_min)
    for person in writers[: k_min - 1]:
        note_problem(rollout, person)
    url = reverse("pilots:rollout", args=[rollout.pk])

    below = client_for("team_leader").get(url).content.decode()
    assert f"Antallet vises først, når mindst {k_min} har skrevet et problem" in below
    assert f"{k_min - 1} har skrevet" not in below
    ConcreteProblem.objects.filter(person=writers[0]).update(solved=True)
    note_problem(rollout, writers[-1])

    at = client_for("team_leader").get(url).content.decode()
    assert f"{k_min} har skrevet deres ene konkrete problem." in at
    assert f"{round(100 / k_min)} procent har løst det." in at


def test_it_tells_the_writer_that_only_they_see_it(personas, client_for):
    rollout = make_rollout(personas.team, owner=personas.team_leader)

    page = client_for("employee").get(reverse("pilots:rollout_problem", args=[rollout.pk])).content.decode()

    assert "Kun du kan se det, du skriver her." in page


def test_it_keeps_the_text_on_a_screen_refusal(personas, client_for):
    rollout = make_rollout(personas.team, owner=personas.team_leader)

    response = client_for("employee").post(
        reverse("pilots:rollout_problem", args=[rollout.pk]), {"text": "Borgeren 150372-1240 ringer"}
    )

    assert response.status_code == 200
    assert "text" in response.context["form"].errors
    assert not ConcreteProblem.objects.exists()
