"""The links between the parts of track 4: a pilot decided "scale" leads to its rollouts (and to
starting one), and a rollout leads back to the pilot it spreads."""

from __future__ import annotations

from django.urls import reverse

from forankring.pilots.models import Pilot
from tests.factories import Personas
from tests.pilots.helpers_rollout import make_rollout
from tests.pilots.retro_support import make_pilot


def _closed(p: Personas, decision: str) -> Pilot:
    pilot = make_pilot(p.municipality, units=[p.team], leader=p.team_leader, status=Pilot.Status.CLOSED)
    pilot.decision = decision
    pilot.save(update_fields=["decision"])
    return pilot


def test_it_links_a_scaled_pilot_to_its_rollouts_and_back(personas, client_for):
    pilot = _closed(personas, Pilot.Decision.SCALE)
    rollout = make_rollout(personas.team)
    rollout.pilot = pilot
    rollout.save(update_fields=["pilot"])
    start = f"{reverse('pilots:rollout_new')}?afproevning={pilot.pk}"

    page = client_for("executive").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert reverse("pilots:rollout", args=[rollout.pk]) in page
    assert start in page
    employee_page = client_for("employee").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert reverse("pilots:rollout", args=[rollout.pk]) in employee_page
    assert start not in employee_page
    back = client_for("employee").get(reverse("pilots:rollout", args=[rollout.pk])).content.decode()
    assert reverse("pilots:detail", args=[pilot.pk]) in back


def test_it_offers_a_rollout_only_for_a_pilot_decided_scale(personas, client_for):
    pilot = _closed(personas, Pilot.Decision.STOP)
    page = client_for("executive").get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "Udbredelsen" not in page
    assert reverse("pilots:rollout_new") not in page
