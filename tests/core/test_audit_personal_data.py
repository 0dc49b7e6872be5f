"""Personal data and the audit log: record() refuses it, and what slipped through anyway can be
redacted from a row while verify_audit still passes and still catches tampering."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from forankring.core import audit
from forankring.core.models import AuditEvent, AuditRedaction, Municipality
from forankring.privacy.fields import PersonalDataRefused

CPR = "150372-1240"
RAW = ("150372-1240", "1503721240")
MASKED = "150372-XXXX"
# What the screen cannot find: a name with a health detail, the reason a redaction exists.
SLIPPED_THROUGH = "Jens Hansen har diabetes"


def record(personas, **kwargs) -> AuditEvent:
    with transaction.atomic():
        return audit.record(municipality=personas.municipality, action="test.event", **kwargs)


def events(personas) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(municipality=personas.municipality).order_by("seq"))


def verify(personas) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("verify_audit", "--municipality", personas.municipality.slug, stdout=out, stderr=io.StringIO())
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def redact(personas, seq: int, reason: str = "Sag 2026-117") -> str:
    out = io.StringIO()
    call_command("redact_audit_event", personas.municipality.slug, str(seq), "--reason", reason, stdout=out)
    return out.getvalue()


def as_dba(sql: str, params: list | tuple = ()) -> None:
    """Change the log behind the application's back, with the append-only trigger dropped (the
    test's transaction brings it back)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS core_auditevent_no_update")
        cursor.execute(sql, params)


# --- record() refuses personal data ----------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"actor": None, "actor_label": f"Kommandolinjen {CPR}"},
        {"actor": None, "changes": {"note": f"cpr {CPR}"}},
        {"actor": None, "changes": {"before": {"name": ["Anne", CPR]}}},
        {"actor": None, "changes": {CPR: "a key"}},
        {"actor": None, "obj": Municipality(name=f"Kommune {CPR}", slug="x")},
    ],
    ids=["actor_label", "changes value", "nested list", "changes key", "object label"],
)
def test_it_refuses_an_audit_row_with_a_cpr_number_and_writes_nothing(personas, kwargs):
    before = len(events(personas))
    with pytest.raises(PersonalDataRefused) as refused:
        record(personas, **kwargs)
    message = str(refused.value)
    assert message.startswith("core.AuditEvent.")
    assert MASKED in message
    assert not any(raw in message for raw in RAW)
    assert len(events(personas)) == before


def test_it_names_where_in_the_changes_the_number_sits(personas):
    with pytest.raises(PersonalDataRefused) as refused:
        record(personas, actor=None, changes={"root": f"Direktion {CPR}"})
    assert str(refused.value).startswith("core.AuditEvent.changes.root: ")


def test_it_rolls_back_the_change_the_refused_row_describes(personas):
    with pytest.raises(PersonalDataRefused), transaction.atomic():
        Municipality.objects.filter(pk=personas.municipality.pk).update(k_min=7)
        audit.record(municipality=personas.municipality, actor=None, action="test.event", changes={"x": CPR})
    personas.municipality.refresh_from_db()
    assert personas.municipality.k_min != 7


def test_it_still_records_ordinary_text_and_reference_numbers(personas):
    event = record(personas, actor=personas.admin, changes={"note": "faktura 150372-1241 betalt", "n": 3})
    assert event.changes["n"] == 3


def test_it_records_a_digest_whose_digits_happen_to_read_as_a_date(personas):
    # About one SHA-256 digest in fifty holds ten digits that form a valid CPR date.
    digest = "ab" + "0101901234" + "c" * 52
    assert record(personas, actor=None, changes={"hash": digest}).changes["hash"] == digest
    with pytest.raises(PersonalDataRefused):
        record(personas, actor=None, changes={"hash": "ab 0101901234"})


# --- redaction -------------------------------------------------------------------------------


def test_it_redacts_a_row_and_the_chain_still_verifies(personas):
    record(personas, actor=personas.admin)
    slipped = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    record(personas, actor=personas.admin)
    assert verify(personas)[0] == 0

    output = redact(personas, slipped.seq)

    row = AuditEvent.objects.get(pk=slipped.pk)
    assert (row.actor_label, row.object_label, row.changes) == ("", "", {})
    assert (row.hash, row.action, row.actor_id) == (slipped.hash, "test.event", personas.admin.pk)
    vouching = events(personas)[-1]
    assert vouching.action == audit.REDACT_ACTION
    assert vouching.changes["redacted"]["seq"] == slipped.seq
    assert vouching.changes["redacted"]["hash"] == slipped.hash
    assert vouching.changes["reason"] == "Sag 2026-117"
    assert f"redaction event is row {vouching.seq}" in output
    assert AuditRedaction.objects.get(event=row).reason == "Sag 2026-117"
    code, out = verify(personas)
    assert code == 0, out
    assert SLIPPED_THROUGH not in str(list(AuditEvent.objects.values_list("changes", flat=True)))


def test_it_keeps_the_last_good_check_as_anchor_through_a_redaction(personas):
    slipped = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    assert verify(personas)[0] == 0  # stores the anchor at this row
    redact(personas, slipped.seq)
    assert verify(personas)[0] == 0


def test_it_catches_a_redacted_rows_metadata_changed_afterwards(personas):
    slipped = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    record(personas, actor=personas.admin)
    redact(personas, slipped.seq)
    as_dba("UPDATE core_auditevent SET action = 'role.grant' WHERE id = %s", [slipped.pk])
    code, out = verify(personas)
    assert code == 1
    assert f"BROKEN at row seq {slipped.seq}" in out


def test_it_catches_text_written_back_into_a_redacted_row(personas):
    slipped = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    redact(personas, slipped.seq)
    as_dba("UPDATE core_auditevent SET object_label = 'something else' WHERE id = %s", [slipped.pk])
    code, out = verify(personas)
    assert code == 1
    assert f"BROKEN at row seq {slipped.seq}" in out


def test_it_catches_a_row_emptied_without_a_redaction_event(personas):
    first = record(personas, actor=personas.admin, changes={"note": "ok"})
    record(personas, actor=personas.admin)
    # Someone with database access registers a redaction and empties the row, but appends no
    # redaction event to the chain.
    AuditRedaction.objects.create(
        municipality=personas.municipality, event=first, redacted_at=first.created_at, reason="x"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_label = '', object_label = '', changes = %s WHERE id = %s",
            ["{}", first.pk],
        )
    code, out = verify(personas)
    assert code == 1
    assert f"BROKEN at row seq {first.seq}" in out


def test_it_catches_a_redaction_record_removed_afterwards(personas):
    slipped = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    redact(personas, slipped.seq)
    AuditRedaction.objects.filter(event=slipped).delete()
    code, out = verify(personas)
    assert code == 1
    assert f"BROKEN at row seq {slipped.seq}" in out


def test_the_database_still_refuses_every_other_update(personas):
    row = record(personas, actor=personas.admin, changes={"note": "ok"})
    # Emptying a row that has no redaction record.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_label = '', object_label = '', changes = %s WHERE id = %s", ["{}", row.pk]
        )
    redact(personas, row.seq)
    # A redacted row: still no other column, and no text other than empty.
    for sql in (
        "UPDATE core_auditevent SET action = 'changed' WHERE id = %s",
        "UPDATE core_auditevent SET hash = 'x' WHERE id = %s",
        "UPDATE core_auditevent SET object_label = 'back again' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])
    assert AuditEvent.objects.get(pk=row.pk).action == "test.event"


@pytest.mark.parametrize("case", ["already", "redaction event", "tampered", "unknown"])
def test_it_refuses_to_redact_what_it_must_not(personas, case):
    row = record(personas, actor=personas.admin, changes={"note": "ok"})
    seq = row.seq
    if case == "already":
        redact(personas, seq)
    elif case == "redaction event":
        redact(personas, seq)
        seq = events(personas)[-1].seq
    elif case == "tampered":
        as_dba("UPDATE core_auditevent SET changes = %s WHERE id = %s", ['{"note": "changed"}', row.pk])
    else:
        seq = 999
    count = len(events(personas))
    with pytest.raises(CommandError, match="Nothing was redacted"):
        redact(personas, seq)
    assert len(events(personas)) == count


def test_it_refuses_a_reason_with_a_cpr_number_and_says_so_in_one_line(personas):
    row = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    with pytest.raises(CommandError) as refused:
        redact(personas, row.seq, reason=f"Borger {CPR}")
    assert MASKED in str(refused.value)
    assert not any(raw in str(refused.value) for raw in RAW)
    assert not AuditRedaction.objects.exists()
    assert AuditEvent.objects.get(pk=row.pk).changes == {"note": SLIPPED_THROUGH}


def test_it_shows_a_redacted_row_on_the_log_page(client_for, personas):
    row = record(personas, actor=personas.admin, changes={"note": SLIPPED_THROUGH})
    redact(personas, row.seq)
    response = client_for("admin").get(reverse("core:admin_audit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Personoplysninger fjernet fra en logpost" in page
    assert SLIPPED_THROUGH not in page
    assert f"Nr. {row.seq}" in page
    # The hashes the redaction event records are for verify_audit, not for the page.
    assert row.hash not in page
