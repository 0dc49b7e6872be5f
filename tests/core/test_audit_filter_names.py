"""The log's filters have English field names; links made with the earlier Danish ones still work."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from forankring.core import actions
from forankring.core.models import Role
from tests.factories import Personas

LOG_URL = reverse("core:admin_audit")


def grant_one_role(personas: Personas) -> None:
    actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.team)


def test_it_names_the_filters_in_english(client_for, personas: Personas):
    html = client_for("admin").get(LOG_URL).content.decode()
    for name in ("action", "person", "object_type", "date_from", "date_to"):
        assert f'name="{name}"' in html
    for old in ("handling", "type", "fra", "til"):
        assert f'name="{old}"' not in html


def test_it_still_reads_a_link_bookmarked_with_the_danish_names(client_for, personas: Personas):
    grant_one_role(personas)
    today = timezone.localdate()
    old = {"handling": "role.grant", "fra": today.isoformat(), "til": today.isoformat()}
    html = client_for("admin").get(LOG_URL, old).content.decode()
    assert "1 hændelse passer til søgningen" in html
    assert '<option value="role.grant" selected>' in html
    assert f'name="date_from" value="{today.isoformat()}"' in html
    later = {"handling": "role.grant", "fra": (today + dt.timedelta(days=1)).isoformat()}
    assert "0 hændelser passer til søgningen" in client_for("admin").get(LOG_URL, later).content.decode()


def test_it_lets_the_english_name_win_over_a_danish_one(client_for, personas: Personas):
    grant_one_role(personas)
    html = client_for("admin").get(LOG_URL, {"action": "role.grant", "handling": "role.revoke"}).content.decode()
    assert "1 hændelse passer til søgningen" in html
