"""Writing and verifying the hash-chained audit log.

Rows are chained per municipality: row n stores the hash of row n-1 and its own hash over its
content plus that previous hash. Rewriting, inserting or deleting a row breaks every hash after
it, and `manage.py verify_audit` names the first broken row.

Anonymous contributions are never audited with an actor or a time: see `record(..., actor=None)`
and PRIVACY.md. Callers that create anonymous items must not call `record` at all, since even the
position of a row in the chain, between two named rows, could point at its author.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from .models import AuditEvent, Municipality, Person

GENESIS = "0" * 64


def _canonical(event: AuditEvent) -> bytes:
    payload = {
        "municipality": event.municipality_id,
        "seq": event.seq,
        "created_at": event.created_at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    *,
    municipality: Municipality,
    actor: Person | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one row. Must run inside the caller's transaction so the row and the change it
    describes are saved together or not at all."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    # Lock the municipality row so two concurrent writers cannot both take the same seq on
    # PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers.
    Municipality.objects.select_for_update().filter(pk=municipality.pk).values_list("pk").first()
    last = AuditEvent.objects.filter(municipality=municipality).order_by("-seq").values("seq", "hash").first()
    event = AuditEvent(
        municipality=municipality,
        seq=(last["seq"] + 1) if last else 1,
        created_at=timezone.now().replace(microsecond=0),
        actor=actor,
        actor_label=actor.name if actor else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:200] if obj is not None else "",
        changes=json.loads(json.dumps(changes or {}, default=str)),
        prev_hash=last["hash"] if last else GENESIS,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainProblem:
    municipality: str
    seq: int
    reason: str


def verify_chain(municipality: Municipality, *, batch_size: int = 2000) -> ChainProblem | None:
    """Walk a municipality's chain in order and return the first broken row, if any."""
    expected_prev = GENESIS
    expected_seq = 1
    for event in _iter_events(municipality, batch_size):
        if event.seq != expected_seq:
            return ChainProblem(municipality.name, expected_seq, "row is missing")
        if event.prev_hash != expected_prev:
            return ChainProblem(municipality.name, event.seq, "previous hash does not match")
        if compute_hash(event) != event.hash:
            return ChainProblem(municipality.name, event.seq, "content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
    return None


def _iter_events(municipality: Municipality, batch_size: int) -> Iterator[AuditEvent]:
    qs = AuditEvent.objects.filter(municipality=municipality).order_by("seq")
    yield from qs.iterator(chunk_size=batch_size)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A short before/after summary holding only the fields that changed."""
    keys = sorted(set(before) | set(after))
    return {k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)}
