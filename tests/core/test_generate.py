"""The large-municipality generator (manage.py generate_municipality), at a small size."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forankring.competence.models import Activity, Record
from forankring.core import actions, generate, orgfile
from forankring.core.models import Membership, Municipality, Person, Role, RoleAssignment, Unit
from forankring.direction.models import Acknowledgement, Compass, ConcernAnswer, Tool
from forankring.notifications.models import Notification
from forankring.pilots.models import LearningCard, Pilot
from forankring.practice.models import LighthouseQuestion, UseCase
from forankring.privacy.models import Concern
from tests.core.orgdata import make_rows, to_csv


def test_it_spreads_the_units_over_the_levels():
    assert generate.level_sizes(2000, 5) == [1, 6, 41, 263, 1689]
    assert sum(generate.level_sizes(85, 4)) == 85


def test_it_writes_the_same_file_for_the_same_seed():
    first = generate.organisation_lines(people=500, units=40, levels=4, seed=7, slug="x")
    assert first == generate.organisation_lines(people=500, units=40, levels=4, seed=7, slug="x")
    assert first != generate.organisation_lines(people=500, units=40, levels=4, seed=8, slug="x")


def test_it_builds_a_municipality_through_the_import_with_a_login_per_persona(db, capsys):
    call_command("generate_municipality", people=600, units=40, levels=4, slug="lille", name="Lille Kommune")
    m = Municipality.objects.get(slug="lille")
    assert Unit.objects.filter(municipality=m).count() == 40
    # Through the import: everyone in the file has an employee number and roles from the file.
    staff = Person.objects.filter(municipality=m).exclude(employee_id="")
    assert staff.count() == 600
    assert RoleAssignment.objects.filter(municipality=m, role=Role.EMPLOYEE, source="import").count() >= 600
    root = Unit.objects.get(municipality=m, parent__isnull=True)
    assert root.head_count == 600
    # Some people work in two units and count once.
    assert Membership.objects.filter(municipality=m).count() > 600
    kinds = ["direktion", "centerchef", "teamleder", "medarbejder", "fyrtaarn", "it", "med", "facilitator", "admin"]
    for kind in kinds:
        assert Person.objects.filter(municipality=m, user__username=f"lille-{kind}").exists(), kind
    for kind, role in [("direktion", Role.EXECUTIVE), ("med", Role.MED), ("admin", Role.ADMIN), ("it", Role.IT)]:
        assert RoleAssignment.objects.filter(person__user__username=f"lille-{kind}", role=role).exists(), kind
    # The privacy app's share, in proportion: one concern per 50 people.
    assert Concern.objects.filter(municipality=m).count() == 12
    # Track 1's share: the rules, and acknowledgements from part of the staff.
    assert Compass.objects.filter(municipality=m, status="published").count() == 1
    assert Tool.objects.filter(municipality=m).count() >= 8
    assert 0 < Acknowledgement.objects.filter(municipality=m).count() < 600
    # Track 3's share: activities and records for part of the staff.
    assert Activity.objects.filter(municipality=m).exists()
    assert Record.objects.filter(municipality=m).exists()
    # Later tracks read the earlier ones' objects, so the generators run in the apps' order:
    # track 4's pilots are made from track 2's use cases, learning cards from closed pilots.
    assert UseCase.objects.filter(municipality=m).exists()
    assert Pilot.objects.filter(municipality=m).exists()
    assert LearningCard.objects.filter(municipality=m).exists()
    # Answers to concerns, questions to lighthouses and notifications, so their lists have rows.
    assert ConcernAnswer.objects.filter(municipality=m, status="answered").exists()
    assert LighthouseQuestion.objects.filter(municipality=m).exists()
    assert Notification.objects.filter(municipality=m, recipient__user__username="lille-medarbejder").exists()
    assert "lille-admin" in capsys.readouterr().out


def test_it_refuses_a_short_name_in_use(db, capsys):
    call_command("generate_municipality", people=50, units=10, levels=3, slug="lille")
    with pytest.raises(CommandError, match="lille"):
        call_command("generate_municipality", people=50, units=10, levels=3, slug="lille")


def test_a_large_import_refreshes_the_planners_statistics(personas, django_capture_on_commit_callbacks):
    data = to_csv(make_rows(1200))
    parsed = orgfile.parse(data, "ansatte.csv", existing_roots=["Direktionen"])
    # The analysis runs once the import's transaction has committed.
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        actions.import_organisation(actor=personas.admin, rows=parsed.rows, source_name="ansatte.csv")
    analyzed = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]
    assert any("core_membership" in sql for sql in analyzed)
