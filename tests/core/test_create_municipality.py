from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from forankring.core import access
from forankring.core.audit import verify_chain
from forankring.core.models import Municipality, Person, Role


def test_it_creates_a_municipality_with_an_administrator(db):
    out = StringIO()
    call_command(
        "create_municipality",
        "Prøvekommune",
        "proeve",
        "--admin-name=Alma Admin",
        "--admin-username=alma",
        stdout=out,
    )
    municipality = Municipality.objects.get(slug="proeve")
    password = out.getvalue().split("One-time password for alma: ")[1].split()[0]
    user = authenticate(username="alma", password=password)
    assert user is not None
    admin = Person.objects.get(user=user, municipality=municipality)
    assert access.has_role(admin, Role.ADMIN)
    assert verify_chain(municipality).problem is None


def test_it_refuses_a_taken_slug(db):
    call_command("create_municipality", "A Kommune", "a", "--admin-name=A", "--admin-username=a", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_municipality", "B Kommune", "a", "--admin-name=B", "--admin-username=b", stdout=StringIO())
    assert not Municipality.objects.filter(name="B Kommune").exists()
