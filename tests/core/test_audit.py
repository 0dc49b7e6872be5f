"""The hash-chained audit log: writing, verifying, the actions that write it, and its page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from forankring.core import actions, audit
from forankring.core.models import (
    AppendOnlyError,
    AuditCheck,
    AuditEvent,
    Municipality,
    ProfessionalArea,
    Role,
    RoleAssignment,
)
from tests.factories import make_person

LOG_URL = reverse("core:admin_audit")
EXPORT_URL = reverse("core:admin_audit_export")
CHECK_URL = reverse("core:admin_audit_check")


# --- helpers ---------------------------------------------------------------------------------


def fill(municipality: Municipality, count: int, *, actor=None, action: str = "test.event") -> None:
    for i in range(count):
        with transaction.atomic():
            audit.record(municipality=municipality, actor=actor, action=action, obj=municipality, changes={"n": i})


def as_dba(sql: str, params: list | tuple = ()) -> None:
    """Change the log behind the application's back, as someone with database access would:
    the append-only trigger is dropped first (the test's transaction brings it back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute(sql, params)


def run_verify(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


# --- record ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_record_outside_a_transaction(personas):
    with pytest.raises(RuntimeError):
        audit.record(municipality=personas.municipality, actor=personas.admin, action="test.event")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_records_inside_a_transaction_and_chains_the_rows(personas):
    with transaction.atomic():
        first = audit.record(municipality=personas.municipality, actor=personas.admin, action="test.event")
    with transaction.atomic():
        second = audit.record(
            municipality=personas.municipality, actor=personas.admin, action="test.event", obj=personas.team
        )
    assert (first.seq, second.seq) == (1, 2)
    assert first.prev_hash == audit.GENESIS
    assert second.prev_hash == first.hash
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.actor_label == "Anders Admin"
    assert (stored.object_type, stored.object_id, stored.object_label) == (
        "core.unit",
        str(personas.team.pk),
        "Team Sol",
    )
    assert audit.compute_hash(stored) == stored.hash


@pytest.mark.django_db(transaction=True)
def test_it_drops_the_row_when_the_change_it_describes_is_rolled_back(personas):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit.record(municipality=personas.municipality, actor=personas.admin, action="test.event")
        1 / 0  # noqa: B018 - the change fails after its audit row was written
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_does_not_hold_up_other_writers_while_logging(personas):
    """An anonymous check-in or any other insert in the municipality must not wait for a
    transaction that is writing its audit row. Its foreign key check takes KEY SHARE on the
    municipality row at commit; a plain FOR UPDATE lock in record() would block that."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers anyway")
    m = personas.municipality
    logging_started, other_committed = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def log_and_linger() -> None:
        try:
            with transaction.atomic():
                audit.record(municipality=m, actor=None, action="test.event")
                logging_started.set()
                outcome["other_finished_meanwhile"] = other_committed.wait(timeout=5)
        finally:
            connection.close()

    def insert_something() -> None:
        try:
            logging_started.wait(timeout=5)
            with transaction.atomic():
                ProfessionalArea.objects.create(municipality=m, name="Ældrepleje")
            other_committed.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=log_and_linger), threading.Thread(target=insert_something)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == {"other_finished_meanwhile": True}
    assert audit.verify_chain(m).problem is None


def test_it_hashes_the_same_after_a_round_trip_through_the_database(personas):
    # Values that come back from PostgreSQL's jsonb differently than they went in, unless
    # record() normalises them first: big floats, Decimals, datetimes, sets and key order.
    changes = {
        "z": 1e16,
        "a": {"before": Decimal("1.10"), "after": 0.1},
        "when": timezone.now(),
        "day": dt.date(2026, 1, 31),
        "tags": {"b", "a"},
        "nested": {"y": [1, 2.5, None, True], "x": "æøå"},
    }
    with transaction.atomic():
        event = audit.record(municipality=personas.municipality, actor=None, action="test.event", changes=changes)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.changes["z"] == "1e+16"
    assert stored.changes["tags"] == ["a", "b"]
    assert audit.compute_hash(stored) == stored.hash
    assert audit.verify_chain(personas.municipality).problem is None


def test_it_refuses_to_change_or_delete_a_row_through_the_application(personas):
    fill(personas.municipality, 1)
    event = AuditEvent.objects.get()
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().action == "test.event"


def test_it_refuses_a_raw_update_in_the_database(personas):
    fill(personas.municipality, 1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'changed'")
    assert AuditEvent.objects.get().action == "test.event"


# --- verify ----------------------------------------------------------------------------------


def test_it_verifies_a_long_chain(personas):
    fill(personas.municipality, 250, actor=personas.admin)
    report = audit.verify_chain(personas.municipality, batch_size=40)
    assert report.ok
    assert report.rows == 250
    assert report.head_hash == AuditEvent.objects.get(municipality=personas.municipality, seq=250).hash
    code, out = run_verify()
    assert code == 0
    assert "test: ok, 250 rows" in out
    assert "anden: ok, 0 rows" in out


def test_it_finds_a_row_whose_changes_were_edited_by_hand(personas):
    fill(personas.municipality, 10)
    as_dba(
        "UPDATE core_auditevent SET changes = %s WHERE municipality_id = %s AND seq = %s",
        ['{"n": 999}', personas.municipality.pk, 4],
    )
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (4, "hash")
    code, out = run_verify()
    assert code == 1
    assert "test: BROKEN at row seq 4: the entry's content has been changed" in out
    assert "anden: ok" in out


def test_it_finds_a_deleted_row(personas):
    fill(personas.municipality, 10)
    as_dba("DELETE FROM core_auditevent WHERE municipality_id = %s AND seq = %s", [personas.municipality.pk, 6])
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (6, "missing")
    code, out = run_verify("--municipality", "test")
    assert code == 1
    assert "BROKEN at row seq 6: an entry is missing" in out


def test_it_finds_the_first_row_deleted(personas):
    fill(personas.municipality, 3)
    as_dba("DELETE FROM core_auditevent WHERE municipality_id = %s AND seq = 1", [personas.municipality.pk])
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (1, "missing")


def test_it_finds_an_edited_hash(personas):
    fill(personas.municipality, 10)
    as_dba(
        "UPDATE core_auditevent SET hash = %s WHERE municipality_id = %s AND seq = %s",
        ["f" * 64, personas.municipality.pk, 7],
    )
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (7, "hash")
    code, out = run_verify()
    assert code == 1
    assert "BROKEN at row seq 7" in out


def test_it_finds_a_rewritten_row_whose_hash_was_recomputed(personas):
    fill(personas.municipality, 5)
    event = AuditEvent.objects.get(municipality=personas.municipality, seq=3)
    event.changes = {"n": "forged"}
    forged_hash = audit.compute_hash(event)
    as_dba(
        "UPDATE core_auditevent SET changes = %s, hash = %s WHERE id = %s",
        ['{"n": "forged"}', forged_hash, event.pk],
    )
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    # Row 3 is consistent with itself now; row 4 still points at the old hash.
    assert (problem.seq, problem.code) == (4, "prev_hash")


def test_it_finds_an_inserted_row(personas):
    fill(personas.municipality, 5)
    copy = AuditEvent.objects.get(municipality=personas.municipality, seq=2)
    as_dba(
        "INSERT INTO core_auditevent (municipality_id, seq, created_at, actor_id, actor_label, action, "
        "object_type, object_id, object_label, changes, prev_hash, hash) "
        "VALUES (%s, %s, %s, NULL, '', %s, '', '', '', %s, %s, %s)",
        [personas.municipality.pk, 6, copy.created_at, "test.event", '{"n": 1}', copy.prev_hash, copy.hash],
    )
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (6, "prev_hash")


def test_it_finds_reordered_rows(personas):
    fill(personas.municipality, 6)
    m = personas.municipality.pk
    as_dba("UPDATE core_auditevent SET seq = 1000 WHERE municipality_id = %s AND seq = 3", [m])
    as_dba("UPDATE core_auditevent SET seq = 3 WHERE municipality_id = %s AND seq = 4", [m])
    as_dba("UPDATE core_auditevent SET seq = 4 WHERE municipality_id = %s AND seq = 1000", [m])
    problem = audit.verify_chain(personas.municipality).problem
    assert problem is not None
    assert (problem.seq, problem.code) == (3, "prev_hash")


def test_it_finds_rows_cut_off_the_end_after_a_good_check(personas):
    fill(personas.municipality, 8)
    assert run_verify()[0] == 0
    # Removing the newest rows leaves a chain that is consistent in itself...
    as_dba("DELETE FROM core_auditevent WHERE municipality_id = %s AND seq > 5", [personas.municipality.pk])
    assert audit.verify_chain(personas.municipality).problem is None
    # ...but not with the head the last good check saw.
    code, out = run_verify("--municipality", "test")
    assert code == 1
    assert "BROKEN at row seq 6: entries have been removed from the end since the latest good check" in out
    latest = AuditCheck.objects.filter(municipality=personas.municipality).order_by("-pk").first()
    assert latest is not None
    assert (latest.ok, latest.broken_seq, latest.reason) == (False, 6, "truncated")


def test_it_keeps_the_chains_of_two_municipalities_apart(personas):
    fill(personas.municipality, 4)
    fill(personas.other_municipality, 3, actor=personas.outsider)
    fill(personas.municipality, 2)
    assert list(
        AuditEvent.objects.filter(municipality=personas.municipality).order_by("seq").values_list("seq", flat=True)
    ) == [1, 2, 3, 4, 5, 6]
    other_first = AuditEvent.objects.get(municipality=personas.other_municipality, seq=1)
    assert other_first.prev_hash == audit.GENESIS
    as_dba(
        "UPDATE core_auditevent SET changes = %s WHERE municipality_id = %s AND seq = 2",
        ['{"n": "x"}', personas.other_municipality.pk],
    )
    assert audit.verify_chain(personas.municipality).problem is None
    problem = audit.verify_chain(personas.other_municipality).problem
    assert problem is not None
    assert problem.seq == 2
    assert run_verify("--municipality", "test")[0] == 0
    code, out = run_verify()
    assert code == 1
    assert "anden: BROKEN at row seq 2" in out
    assert "test: ok, 6 rows" in out


def test_it_refuses_an_unknown_municipality_in_the_command(personas):
    with pytest.raises(CommandError):
        call_command("verify_audit", "--municipality", "nowhere", stdout=io.StringIO())


# --- every action writes exactly one row -----------------------------------------------------


def events_of(personas) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(municipality=personas.municipality).order_by("seq"))


def test_it_logs_a_granted_role_with_actor_and_before_after(personas):
    actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.team)
    (event,) = events_of(personas)
    assert event.actor == personas.admin
    assert event.action == "role.grant"
    assert (event.object_type, event.object_id) == ("core.person", str(personas.employee.pk))
    assert event.changes == {
        "role": {"before": None, "after": "it"},
        "unit": {"before": None, "after": "Team Sol"},
    }


def test_it_logs_nothing_when_a_role_is_granted_again(personas):
    actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.team)
    actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.team)
    assert len(events_of(personas)) == 1


def test_it_logs_a_revoked_role_with_actor_and_before_after(personas):
    assignment = RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    actions.revoke_role(actor=personas.admin, assignment=assignment)
    (event,) = events_of(personas)
    assert event.actor == personas.admin
    assert event.action == "role.revoke"
    assert event.object_id == str(personas.lighthouse.pk)
    assert event.changes == {
        "role": {"before": "lighthouse", "after": None},
        "unit": {"before": "Børnehuset Mælkebøtten", "after": None},
    }


def test_it_logs_changed_settings_with_actor_and_before_after(personas):
    actions.update_municipality_settings(
        actor=personas.admin,
        level_names=["Direktion", "Område", "Team"],
        accessibility_statement_url="",
        k_min=6,
    )
    (event,) = events_of(personas)
    assert event.actor == personas.admin
    assert event.action == "municipality.update_settings"
    assert event.changes == {
        "k_min": {"before": 5, "after": 6},
        "level_names": {
            "before": ["Direktion", "Center", "Institution", "Team"],
            "after": ["Direktion", "Område", "Team"],
        },
    }


def test_it_logs_nothing_when_settings_are_saved_unchanged(personas):
    m = personas.municipality
    actions.update_municipality_settings(
        actor=personas.admin, level_names=m.level_names, accessibility_statement_url="", k_min=m.k_min
    )
    assert events_of(personas) == []


def test_it_logs_nothing_for_refused_actions(personas):
    with pytest.raises(Http404):
        actions.grant_role(actor=personas.team_leader, person=personas.employee, role=Role.ADMIN, unit=personas.root)
    with pytest.raises(Http404):
        actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.other_root)
    with pytest.raises(actions.LastAdministratorError):
        actions.revoke_role(
            actor=personas.admin, assignment=RoleAssignment.objects.get(person=personas.admin, role=Role.ADMIN)
        )
    with pytest.raises(Http404):
        actions.revoke_role(
            actor=personas.outsider,
            assignment=RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE),
        )
    with pytest.raises(ValidationError):
        actions.update_municipality_settings(
            actor=personas.admin, level_names=["Direktion"], accessibility_statement_url="", k_min=2
        )
    with pytest.raises(Http404):
        actions.update_municipality_settings(
            actor=personas.employee, level_names=["Direktion"], accessibility_statement_url="", k_min=5
        )
    assert not AuditEvent.objects.exists()
    assert RoleAssignment.objects.filter(person=personas.admin, role=Role.ADMIN).exists()
    personas.municipality.refresh_from_db()
    assert personas.municipality.k_min == 5


# --- the log page ----------------------------------------------------------------------------


def make_history(personas) -> None:
    """A few real events in Testkommune and one in Andenkommune."""
    actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.IT, unit=personas.team)
    actions.revoke_role(
        actor=personas.admin, assignment=RoleAssignment.objects.get(person=personas.lighthouse, role=Role.LIGHTHOUSE)
    )
    actions.update_municipality_settings(
        actor=personas.admin, level_names=["Direktion", "Center", "Team"], accessibility_statement_url="", k_min=7
    )
    other_person = make_person(personas.other_municipality, "Olga Andensted")
    actions.grant_role(actor=personas.outsider, person=other_person, role=Role.IT, unit=personas.other_root)


def test_it_shows_the_log_newest_first_in_danish(client_for, personas):
    make_history(personas)
    response = client_for("admin").get(LOG_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    table = html.split("<tbody>")[1]
    assert table.index("Indstillinger ændret") < table.index("Rolle fjernet") < table.index("Rolle givet")
    assert "Erik Medarbejder" in html
    assert "Anders Admin" in html
    assert "Mindste gruppestørrelse" in html
    assert "Fyrtårn" in html  # the role's label, not its code
    # A setting shows both sides; a removed role is struck through; a new one stands alone.
    assert '5 <span aria-hidden="true">→</span><span class="sr-only">ændret til</span> 7' in html
    assert '<del><span class="sr-only">fjernet: </span>Fyrtårn</del>' in html
    assert '<span class="weight-semibold">Rolle:</span>\n              IT\n' in html
    assert "3 hændelser" in html


def test_it_shows_only_the_own_municipalitys_events(client_for, personas):
    make_history(personas)
    html = client_for("admin").get(LOG_URL).content.decode()
    assert "Olga Andensted" not in html
    outsider_html = client_for("outsider").get(LOG_URL).content.decode()
    assert "Olga Andensted" in outsider_html
    assert "Erik Medarbejder" not in outsider_html
    assert "1 hændelse" in outsider_html
    export = client_for("outsider").get(EXPORT_URL)
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Olga Andensted" in body
    assert "Erik Medarbejder" not in body


@pytest.mark.parametrize("name", ["executive", "centre_chief", "team_leader", "employee", "it", "med", "facilitator"])
def test_it_hides_the_log_from_everyone_but_administrators(client_for, personas, name):
    make_history(personas)
    client = client_for(name)
    assert client.get(LOG_URL).status_code == 404
    assert client.get(EXPORT_URL).status_code == 404
    assert client.post(CHECK_URL).status_code == 404
    assert not AuditCheck.objects.exists()


def test_it_sends_anonymous_visitors_from_the_log_to_the_login_page(client, personas):
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_it_filters_by_action(client_for, personas):
    make_history(personas)
    html = client_for("admin").get(LOG_URL, {"action": "role.grant"}).content.decode()
    assert "1 hændelse passer til søgningen" in html
    assert "Erik Medarbejder" in html
    assert "Frida Fyrtårn" not in html
    assert '<option value="role.grant" selected>Rolle givet</option>' in html


def test_it_filters_by_person_name(client_for, personas):
    make_history(personas)
    client = client_for("admin")
    html = client.get(LOG_URL, {"person": "frida"}).content.decode()
    assert "1 hændelse passer til søgningen" in html
    assert "Rolle fjernet" in html
    # The actor's name finds everything they did.
    assert "3 hændelser passer til søgningen" in client.get(LOG_URL, {"person": "Anders"}).content.decode()


def test_it_filters_by_object_type(client_for, personas):
    make_history(personas)
    html = client_for("admin").get(LOG_URL, {"type": "core.municipality"}).content.decode()
    assert "1 hændelse passer til søgningen" in html
    assert "Indstillinger ændret" in html


def test_it_filters_by_dates_in_local_time(client_for, personas):
    make_history(personas)
    client = client_for("admin")
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    both = {"date_from": today.isoformat(), "date_to": today.isoformat()}
    assert "3 hændelser" in client.get(LOG_URL, both).content.decode()
    assert "0 hændelser" in client.get(LOG_URL, {"date_from": (today + day).isoformat()}).content.decode()
    assert "0 hændelser" in client.get(LOG_URL, {"date_to": (today - day).isoformat()}).content.decode()
    # A date typed the Danish way works too.
    assert "3 hændelser" in client.get(LOG_URL, {"date_from": today.strftime("%d-%m-%Y")}).content.decode()


def test_it_explains_a_bad_date_beside_the_field_and_keeps_it(client_for, personas):
    make_history(personas)
    client = client_for("admin")
    html = client.get(LOG_URL, {"date_from": "banan", "action": "role.grant"}).content.decode()
    assert "Skriv en dato som 31-12-2026." in html
    assert 'value="banan"' in html
    # The fields that are valid still filter.
    assert "1 hændelse passer til søgningen" in html
    html = client.get(LOG_URL, {"date_from": "2026-02-01", "date_to": "2026-01-01"}).content.decode()
    assert "Til-datoen skal være samme dag som fra-datoen eller senere." in html


def test_it_pages_the_log_by_fifty_and_keeps_the_filters(client_for, personas):
    fill(personas.municipality, 120, actor=personas.admin)
    client = client_for("admin")
    html = client.get(LOG_URL, {"person": "Anders"}).content.decode()
    assert html.count("<tr>") == 51  # the header row and 50 events
    assert "Side 1 af 3" in html
    assert "?person=Anders&amp;side=2" in html
    last = client.get(LOG_URL, {"person": "Anders", "side": 3}).content.decode()
    assert last.count("<tr>") == 21
    assert "Nr. 1<" in last


def test_it_keeps_the_query_count_of_the_log_page_flat(client_for, personas, assert_num_queries_stable):
    make_history(personas)
    client = client_for("admin")

    def grow() -> None:
        fill(personas.municipality, 80, actor=personas.admin)
        for unit in (personas.root, personas.centre, personas.institution):
            actions.grant_role(actor=personas.admin, person=personas.employee, role=Role.MED, unit=unit)

    assert_num_queries_stable(client, LOG_URL + "?person=a", grow)


def test_it_exports_the_filtered_rows_as_csv(client_for, personas):
    make_history(personas)
    response = client_for("admin").get(EXPORT_URL, {"action": "role.revoke"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content).decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(raw.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Løbenummer", "Tidspunkt", "Udført af", "Handling"]
    assert len(rows) == 2
    assert rows[1][2:5] == ["Anders Admin", "Rolle fjernet", "role.revoke"]
    assert rows[1][7] == "Frida Fyrtårn"
    assert "Rolle: Fyrtårn → –" in rows[1][8]


def test_it_defuses_spreadsheet_formulas_in_the_export(client_for, personas):
    sneaky = make_person(personas.municipality, "=HYPERLINK(1)")
    actions.grant_role(actor=personas.admin, person=sneaky, role=Role.IT, unit=personas.team)
    raw = b"".join(client_for("admin").get(EXPORT_URL).streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert rows[1][7] == "'=HYPERLINK(1)"


def test_it_says_when_the_chain_has_not_been_checked(client_for, personas):
    make_history(personas)
    html = client_for("admin").get(LOG_URL).content.decode()
    assert "Loggen er ikke kontrolleret endnu." in html
    assert "Kontrollér kæden nu" in html


def test_it_checks_the_chain_from_the_page(client_for, personas):
    make_history(personas)
    client = client_for("admin")
    response = client.post(CHECK_URL, follow=True)
    html = response.content.decode()
    assert "kæden er hel (3 poster)" in html
    assert "Kæden er hel. 3 poster blev kontrolleret" in html
    check = AuditCheck.objects.get(municipality=personas.municipality)
    assert (check.ok, check.rows, check.head_seq) == (True, 3, 3)
    assert "ikke kontrolleret endnu" not in html
    actions.grant_role(actor=personas.admin, person=personas.med, role=Role.IT, unit=personas.team)
    assert "1 nyere post er ikke kontrolleret endnu." in client.get(LOG_URL).content.decode()


def test_it_shows_a_broken_chain_on_the_page(client_for, personas):
    make_history(personas)
    as_dba(
        "UPDATE core_auditevent SET changes = %s WHERE municipality_id = %s AND seq = 2",
        ['{"role": {"before": "admin", "after": null}}', personas.municipality.pk],
    )
    client = client_for("admin")
    html = client.post(CHECK_URL, follow=True).content.decode()
    assert "kæden er brudt ved post nr. 2" in html
    assert "Kæden er brudt ved post nr. 2: postens indhold er ændret" in html
    # The command's run is what the page shows afterwards too.
    assert run_verify()[0] == 1
    assert "Kæden er brudt ved post nr. 2" in client.get(LOG_URL).content.decode()


def test_it_only_accepts_post_for_the_check(client_for, personas):
    assert client_for("admin").get(CHECK_URL).status_code == 405
