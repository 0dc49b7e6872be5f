"""Writing and verifying the hash-chained audit log.

Rows are chained per municipality: row n stores the hash of row n-1 and its own hash over its
content plus that previous hash. Rewriting, inserting or deleting a row breaks every hash after
it, and `manage.py verify_audit` names the first broken row. The last good check is stored
(`AuditCheck`) and anchors the chain, so rows cut off the end are caught as well.

The hash is not keyed: someone who can write to the database *and* recompute every later hash
can rewrite history undetected after the last stored check. The anchor, the append-only trigger
and the head hash that `verify_audit` prints (to be kept outside the database) narrow that.

Personal data: `record()` screens every text it would store (actor label, object label, every
key and value of `changes`) and refuses the row, and with it the caller's whole change, when the
screen finds a CPR number. If personal data reaches the log anyway (the screen missed it and a
later rule finds it, or it was a name in a place where no name belonged), `redact()` empties that
row's text and appends a redaction event that vouches for the row's hash and metadata, so the
chain still verifies. docs/privacy.md explains the choice.

Anonymous contributions are never audited with an actor or a time: see `record(..., actor=None)`
and PRIVACY.md. Callers that create anonymous items must not call `record` at all, since even the
position of a row in the chain, between two named rows, could point at its author.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forankring.privacy.fields import screen_for_write
from forankring.privacy.screen import screen_text

from .models import AuditCheck, AuditEvent, AuditRedaction, Municipality, Person

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
else:
    StrOrPromise = str

GENESIS = "0" * 64
# The action code of the event that vouches for a redacted row (see `redact`).
REDACT_ACTION = "audit.redact"

# Labels for action codes, shown on the log page and in its export. An app that adds an action
# adds its code here (or updates this dict from its AppConfig.ready); an unknown code is shown
# as it is.
ACTION_LABELS: dict[str, StrOrPromise] = {
    "role.grant": _("Rolle givet"),
    "role.revoke": _("Rolle fjernet"),
    "municipality.update_settings": _("Indstillinger ændret"),
    "municipality.create": _("Kommune oprettet"),
    "sso.sync": _("Roller opdateret ved log-ind"),
    "organisation.import": _("Organisation indlæst fra fil"),
    "demo.load": _("Demodata indlæst"),
    REDACT_ACTION: _("Personoplysninger fjernet fra en logpost"),
    "direction.purpose": _("Formålet med AI ændret"),
    "direction.focus_area.add": _("Fokusområde tilføjet"),
    "direction.focus_area.remove": _("Fokusområde fjernet"),
    "direction.compass.draft": _("Ny kladde til AI-kompasset"),
    "direction.compass.edit": _("Kladde til AI-kompasset ændret"),
    "direction.compass.hearing": _("AI-kompasset sendt i høring"),
    "direction.compass.comment": _("Høringssvar til AI-kompasset"),
    "direction.compass.approve": _("AI-kompasset godkendt"),
    "direction.compass.publish": _("AI-kompasset offentliggjort"),
    "direction.compass.reopen": _("AI-kompasset sendt tilbage til kladde"),
    "direction.tool.add": _("AI-værktøj tilføjet"),
    "direction.tool.edit": _("AI-værktøj ændret"),
    "direction.data_rules": _("Datareglerne ændret"),
    "direction.data_names": _("Navne på dataklasser og værktøjstyper ændret"),
    "direction.decision_rights": _("Beslutningsret ændret"),
    "direction.concern.answer": _("Status eller svar på en bekymring ændret"),
    "competence.settings": _("Indstilling for kompetenceudvikling ændret"),
    "competence.level.add": _("Kompetenceniveau tilføjet"),
    "competence.level.edit": _("Kompetenceniveau ændret"),
    "competence.activity.add": _("Læringsaktivitet tilføjet"),
    "competence.activity.edit": _("Læringsaktivitet ændret"),
    "competence.session.add": _("Hold oprettet"),
    "competence.session.edit": _("Hold ændret"),
    "competence.session.cancel": _("Hold aflyst"),
    "competence.signup": _("Tilmeldt et hold"),
    "competence.waiting": _("Skrevet på venteliste til et hold"),
    "competence.cancel": _("Afmeldt et hold"),
    "competence.promote": _("Rykket op fra ventelisten"),
    "competence.complete": _("Gennemført aktivitet registreret af personen selv"),
    "competence.attendance": _("Fremmøde registreret"),
    "competence.path.add": _("Trin tilføjet til et læringsforløb"),
    "competence.path.remove": _("Trin fjernet fra et læringsforløb"),
    "competence.prompt.propose": _("Prompt foreslået"),
    "competence.prompt.approve": _("Prompt godkendt"),
    "competence.prompt.decline": _("Prompt ikke godkendt"),
    "notifications.preference": _("Valg af e-mail om notifikationer ændret"),
    "practice.focus_area.add": _("Centerets fokusområde tilføjet"),
    "practice.focus_area.remove": _("Centerets fokusområde fjernet"),
    "practice.use_case.add": _("Anvendelse oprettet"),
    "practice.use_case.edit": _("Anvendelse ændret"),
    "practice.use_case.status": _("Anvendelsens status ændret"),
    "practice.use_case.join": _("Enhed meldt på en anvendelse"),
    "practice.idea.add": _("Idé til en arbejdsgang"),
    "practice.idea.answer": _("Idé besvaret"),
    "practice.lighthouse.appoint": _("Fyrtårn udpeget"),
    "practice.lighthouse.remove": _("Fyrtårn fjernet"),
    "practice.lighthouse.ask": _("Spørgsmål til et fyrtårn"),
    "practice.lighthouse.answer": _("Fyrtårn har svaret på et spørgsmål"),
    "practice.team_note.add": _("Note fra teamets AI-punkt"),
    # Track 4: retro
    "pilots.retro.open": _("Retrospektiv åbnet"),
    "pilots.retro.phase": _("Retrospektivet er gået videre til næste fase"),
    "pilots.retro.group": _("Kort samlet i en gruppe på retrospektivet"),
    "pilots.retro.ungroup": _("Kort taget ud af en gruppe på retrospektivet"),
    "pilots.retro.note": _("Note fra drøftelsen på retrospektivet"),
    "pilots.retro.action": _("Handling fra retrospektivet"),
    "pilots.retro.finish": _("Retrospektiv afsluttet"),
    # Track 4: rollout
    "pilots.rollout.start": _("Udrulning af et værktøj startet"),
    "pilots.rollout.owner": _("Ejer af udrulningens 30 dage valgt"),
    "pilots.rollout.week": _("Uge i udrulningens plan sat flueben ved"),
    "pilots.rollout.close": _("Udrulning afsluttet med gevinster og barrierer"),
    "pilots.rollout.problem.add": _("Mit ene konkrete problem skrevet"),
    "pilots.rollout.problem.edit": _("Mit ene konkrete problem ændret"),
    "pilots.rollout.problem.delete": _("Mit ene konkrete problem slettet"),
    "pilots.rollout.remind": _("Påmindelse om udrulningens plan sendt"),
    "pilots.card.publish": _("Læringskort delt"),
    "pilots.card.edit": _("Læringskort redigeret"),
    "pilots.experience.share": _("AI-erfaring delt med navn"),
    "pilots.experience.take_down": _("AI-erfaring taget ned"),
    "pilots.experience.remind": _("Månedens påmindelse om AI-erfaringer sendt"),
    "pilot.add": _("Afprøvning foreslået"),
    "pilot.edit": _("Afprøvning ændret"),
    "pilot.approve": _("Afprøvning godkendt"),
    "pilot.start": _("Afprøvning sat i gang"),
    "pilot.evaluate": _("Afprøvning sendt til evaluering"),
    "pilot.period_ended": _("Afprøvningens periode sluttede, og den gik til evaluering af sig selv"),
    "pilot.close": _("Afprøvning afsluttet med en beslutning"),
    "pilot.extend": _("Afprøvning forlænget"),
}


def action_label(code: str) -> StrOrPromise:
    return ACTION_LABELS.get(code, code)


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "municipality": event.municipality_id,
        "seq": event.seq,
        # Always written in UTC with an explicit offset, whatever zone the database session
        # hands the value back in.
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    # sort_keys: PostgreSQL's jsonb does not keep key order. `changes` holds only strings,
    # integers, booleans, None, lists and dicts (see _jsonable), which read back identically
    # from SQLite's text and PostgreSQL's jsonb.
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _jsonable(value: Any) -> Any:
    """Turn a before/after summary into JSON that survives a round trip through both databases.

    Floats and Decimals become strings: jsonb stores numbers as `numeric` and hands 1e16 back
    as the integer 10000000000000000, which would hash differently. NUL characters are dropped
    because PostgreSQL refuses them in text.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, Promise):
        return str(value).replace("\x00", "")
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("audit changes cannot hold NaN or infinity")
        return repr(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_jsonable(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def record(
    *,
    municipality: Municipality,
    actor: Person | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one row. Must run inside the caller's transaction so the row and the change it
    describes are saved together or not at all.

    `actor_label` names who acted when there is no person, e.g. a management command."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    # Lock the municipality row so two concurrent writers cannot both take the same seq on
    # PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers. NO KEY UPDATE,
    # not plain FOR UPDATE: every insert into a tenant table checks its foreign key at commit
    # with KEY SHARE on this row, and FOR UPDATE would make all of them (anonymous check-ins
    # too) wait until this transaction ends. NO KEY UPDATE still serialises audit writers.
    Municipality.objects.select_for_update(no_key=True).filter(pk=municipality.pk).values_list("pk").first()
    last = AuditEvent.objects.filter(municipality=municipality).order_by("-seq").values("seq", "hash").first()
    event = AuditEvent(
        municipality=municipality,
        seq=(last["seq"] + 1) if last else 1,
        # Whole seconds: every database keeps them exactly.
        created_at=timezone.now().replace(microsecond=0),
        actor=actor,
        actor_label=actor_label[:150] if actor_label is not None else (actor.name[:150] if actor else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj).replace("\x00", "")[:200] if obj is not None else "",
        changes=_jsonable(changes or {}),
        prev_hash=last["hash"] if last else GENESIS,
    )
    _screen_payload(event)
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


def _screen_payload(event: AuditEvent) -> None:
    """Refuse a row whose text holds a CPR number. anonymous=False: the log is named by nature
    (it records who acted), so e-mail addresses and phone numbers are not refused here; a CPR
    number never belongs in it."""
    for name in ("actor_label", "action", "object_type", "object_id", "object_label"):
        screen_for_write(getattr(event, name), label=f"core.AuditEvent.{name}", field_name=name, anonymous=False)
    for where, text in _texts(event.changes, "changes"):
        screen_for_write(text, label=f"core.AuditEvent.{where}", field_name="changes", anonymous=False)


def _texts(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string in a JSON value, keys included, with where it sits ("changes.root"). A key
    is named in `where` only when it is a plain identifier, so the label never repeats a value."""
    if isinstance(value, str):
        # A SHA-256 digest (the redaction event records hashes) is no text, and its digit runs
        # read as dates too often to be screened.
        if not _DIGEST.fullmatch(value):
            yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield where, str(key)
            named = _IDENTIFIER.fullmatch(str(key)) and not screen_text(str(key), anonymous=False)
            yield from _texts(item, f"{where}.{key}" if named else where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_DIGEST = re.compile(r"[0-9a-f]{64}")


# --- Redaction -------------------------------------------------------------------------------


class RedactionRefused(Exception):
    """The row cannot be redacted; the message says why."""


def _metadata(event: AuditEvent) -> dict[str, Any]:
    """What a redaction event records about the row it redacts: everything but the text."""
    return {
        "seq": event.seq,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
    }


def redact(*, municipality: Municipality, seq: int, reason: str, actor_label: str) -> AuditEvent:
    """Empty the text of row `seq` and append the redaction event that vouches for it.

    Runs in its own transaction. Refused for a row that is already redacted, for a redaction
    event (it holds no personal data) and for a row whose content no longer matches its hash:
    redacting a tampered row would hide the tampering."""
    with transaction.atomic():
        Municipality.objects.select_for_update(no_key=True).filter(pk=municipality.pk).values_list("pk").first()
        event = AuditEvent.objects.filter(municipality=municipality, seq=seq).first()
        if event is None:
            raise RedactionRefused(f"no audit row {seq} in {municipality.slug}")
        if AuditRedaction.objects.filter(event=event).exists():
            raise RedactionRefused(f"audit row {seq} is already redacted")
        if event.action == REDACT_ACTION:
            raise RedactionRefused(f"audit row {seq} is itself a redaction event and holds no personal data")
        if compute_hash(event) != event.hash:
            raise RedactionRefused(f"audit row {seq} does not match its hash; run verify_audit first")
        redaction = AuditRedaction(municipality=municipality, event=event, redacted_at=timezone.now(), reason=reason)
        redaction.full_clean()
        redaction.save()
        AuditEvent.objects.filter(pk=event.pk).clear_payload_for_redaction()
        return record(
            municipality=municipality,
            actor=None,
            actor_label=actor_label,
            action=REDACT_ACTION,
            obj=event,
            changes={"redacted": _metadata(event), "reason": reason},
        )


# --- Verification ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainProblem:
    municipality: str
    seq: int
    code: str

    @property
    def reason(self) -> str:
        return str(problem_text(self.code))


# What each problem code means, the one wording of it: the codes are stored with a check
# (`AuditCheck.reason`); the log page shows these in the reader's language and `verify_audit`
# prints them in English.
PROBLEM_TEXTS: dict[str, StrOrPromise] = {
    "missing": _("en post mangler"),
    "unexpected": _("der er en post for meget eller i forkert rækkefølge"),
    "prev_hash": _("posten peger ikke på den forrige (den forrige er ændret, eller en post er indsat)"),
    "hash": _("postens indhold er ændret"),
    "anchor_changed": _("posten er ændret siden seneste gode kontrol"),
    "truncated": _("poster er fjernet fra slutningen siden seneste gode kontrol"),
    "redaction": _("posten er tømt uden en gyldig post om, at personoplysninger blev fjernet"),
}


def problem_text(code: str) -> StrOrPromise:
    return PROBLEM_TEXTS.get(code, code)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(
    municipality: Municipality, *, anchor: AuditCheck | None = None, batch_size: int = 2000
) -> ChainReport:
    """Walk a municipality's chain in order. Stops at the first broken row (`report.problem`).

    `anchor` is an earlier good check; the chain must still reach its head with the same hash.
    """
    expected_prev = GENESIS
    expected_seq = 1
    rows = 0
    problem: ChainProblem | None = None
    # A redacted row cannot be checked against its hash (its text is gone). It is checked
    # against the redaction event after it instead, which records its hash and metadata and is
    # itself checked like any row. Both sides are collected on the way and compared at the end.
    redacted_seqs = set(AuditRedaction.objects.filter(municipality=municipality).values_list("event__seq", flat=True))
    redacted: dict[int, dict[str, Any]] = {}
    vouched: dict[int, Any] = {}
    for event in _iter_events(municipality, batch_size):
        if event.seq > expected_seq:
            problem = ChainProblem(municipality.name, expected_seq, "missing")
        elif event.seq < expected_seq:
            problem = ChainProblem(municipality.name, event.seq, "unexpected")
        elif event.prev_hash != expected_prev:
            problem = ChainProblem(municipality.name, event.seq, "prev_hash")
        elif event.seq in redacted_seqs:
            if (event.actor_label, event.object_label, event.changes) != ("", "", {}):
                problem = ChainProblem(municipality.name, event.seq, "redaction")
            redacted[event.seq] = _metadata(event)
        elif compute_hash(event) != event.hash:
            problem = ChainProblem(municipality.name, event.seq, "hash")
        if problem is None and anchor is not None and event.seq == anchor.head_seq and event.hash != anchor.head_hash:
            problem = ChainProblem(municipality.name, event.seq, "anchor_changed")
        if problem is not None:
            break
        if event.action == REDACT_ACTION and event.seq not in redacted_seqs and isinstance(event.changes, dict):
            attested = event.changes.get("redacted")
            if isinstance(attested, dict) and isinstance(attested.get("seq"), int):
                vouched[attested["seq"]] = attested
        rows += 1
        expected_prev = event.hash
        expected_seq += 1
    if problem is None:
        for seq in sorted(redacted):
            if vouched.get(seq) != redacted[seq]:
                problem = ChainProblem(municipality.name, seq, "redaction")
                break
    if problem is None and anchor is not None and rows < anchor.head_seq:
        problem = ChainProblem(municipality.name, rows + 1, "truncated")
    head_hash = expected_prev if rows else ""
    return ChainReport(rows=rows, head_seq=rows, head_hash=head_hash, problem=problem)


def last_good_check(municipality: Municipality) -> AuditCheck | None:
    return AuditCheck.objects.filter(municipality=municipality, ok=True).order_by("-checked_at", "-pk").first()


def verify_and_store(municipality: Municipality) -> tuple[ChainReport, AuditCheck]:
    """Verify against the last good check and store the result, which becomes the next anchor
    when it is good. The walk runs outside any transaction: on SQLite an open write
    transaction would hold every writer back for as long as the walk takes."""
    report = verify_chain(municipality, anchor=last_good_check(municipality))
    check = AuditCheck.objects.create(
        municipality=municipality,
        checked_at=timezone.now(),
        ok=report.ok,
        rows=report.rows,
        head_seq=report.head_seq,
        head_hash=report.head_hash,
        broken_seq=report.problem.seq if report.problem else None,
        reason=report.problem.code if report.problem else "",
    )
    return report, check


def _iter_events(municipality: Municipality, batch_size: int) -> Iterator[AuditEvent]:
    qs = AuditEvent.objects.filter(municipality=municipality).order_by("seq")
    yield from qs.iterator(chunk_size=batch_size)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A short before/after summary holding only the fields that changed."""
    keys = sorted(set(before) | set(after))
    return {k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)}
