from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction

from forankring.core import access
from forankring.core.audit import verify_chain
from forankring.core.demo import DEMO_PASSWORD, load_demo
from forankring.core.models import Municipality, Person, Role, Unit

LOGINS = {
    "direktion": Role.EXECUTIVE,
    "centerchef": Role.LEADER,
    "teamleder": Role.LEADER,
    "medarbejder": Role.EMPLOYEE,
    "fyrtaarn": Role.LIGHTHOUSE,
    "it": Role.IT,
    "med": Role.MED,
    "facilitator": Role.FACILITATOR,
    "admin": Role.ADMIN,
}


@pytest.fixture
def demo(db):
    return load_demo()


def test_it_builds_the_promised_organisation(demo):
    eks = Municipality.objects.get(slug="eksempel")
    depth_counts = {d: Unit.objects.filter(municipality=eks, depth=d).count() for d in range(4)}
    assert depth_counts == {0: 1, 1: 5, 2: 20, 3: 60}
    people = Person.objects.filter(municipality=eks).count()
    assert 780 <= people <= 840


@pytest.mark.parametrize(("username", "role"), LOGINS.items())
def test_it_gives_every_demo_login_its_role(demo, username, role):
    user = authenticate(username=username, password=DEMO_PASSWORD)
    assert user is not None
    person = Person.objects.get(user=user, municipality__slug="eksempel")
    assert access.has_role(person, role)


def test_it_keeps_the_outsider_in_the_other_municipality(demo):
    user = authenticate(username="udefra", password=DEMO_PASSWORD)
    assert user is not None
    assert list(Person.objects.filter(user=user).values_list("municipality__slug", flat=True)) == ["nabo"]


def test_it_lets_the_facilitator_work_in_both_municipalities(demo):
    user = authenticate(username="facilitator", password=DEMO_PASSWORD)
    slugs = set(Person.objects.filter(user=user).values_list("municipality__slug", flat=True))
    assert slugs == {"eksempel", "nabo"}


def _fingerprint() -> list[tuple[str, str]]:
    return list(Person.objects.order_by("employee_id", "name").values_list("employee_id", "name"))


class _Rollback(Exception):
    pass


def test_it_is_deterministic(db):
    fingerprints = []
    for _ in range(2):
        try:
            with transaction.atomic():
                load_demo(seed=7)
                fingerprints.append(_fingerprint())
                raise _Rollback
        except _Rollback:
            pass
    assert len(fingerprints[0]) > 700
    assert fingerprints[0] == fingerprints[1]


def test_it_writes_a_valid_audit_chain(demo):
    for municipality in demo.municipalities:
        assert verify_chain(municipality).problem is None


def test_the_command_loads_only_into_an_empty_database(db):
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "Loaded 2 demo municipalities" in out.getvalue()
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert "not loaded again" in out.getvalue()
    assert Municipality.objects.count() == 2
