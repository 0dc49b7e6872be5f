"""The K_MIN floor (privacy/rules.py) is the one number every check of it uses."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from forankring.privacy import suppression
from forankring.privacy.rules import K_MIN_FLOOR
from tests.factories import Personas


def test_it_refuses_a_municipality_below_the_floor_in_the_form_and_in_the_database(personas: Personas):
    municipality = personas.municipality
    municipality.k_min = K_MIN_FLOOR - 1
    with pytest.raises(ValidationError):
        municipality.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        municipality.save(update_fields=["k_min"])


def test_it_refuses_to_suppress_with_a_group_size_below_the_floor():
    with pytest.raises(ValueError, match=f"at least {K_MIN_FLOOR}"):
        suppression.validate_k_min(K_MIN_FLOOR - 1)
    assert suppression.validate_k_min(K_MIN_FLOOR) == K_MIN_FLOOR


def test_it_tells_the_administrator_the_floor(client_for):
    html = client_for("admin").get(reverse("core:admin_settings")).content.decode()
    assert f"Mindst {K_MIN_FLOOR}." in html
