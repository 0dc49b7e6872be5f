"""Test helper: prove that nothing links an anonymous item to the person who made it.

    item = assert_unlinkable(
        model=Concern,
        create=lambda: submit_concern(actor=person, unit=unit, kind="bekymring", text="..."),
        person=person,
        client=leader_client,            # optional; see below
        extra_urls=[(leader_client, reverse("privacy:concern_list"))],
    )

`create` makes the item as `person` (call the action, or post the form with the person's own
signed-in client) and may return it. While it runs, every log record (all loggers at DEBUG),
every e-mail and every audit row is captured, and every table is compared before and after.
Then it fails when:

* the item's row holds a link to a user or a person, or one of the person's identifiers;
* the item holds a date with a time of day;
* another table gained a row that refers to the person (a "has answered" list links them to
  the item by its date), or that refers to the item;
* an audit row written meanwhile mentions the person, the item or the item's model at all (its
  time and its place in the chain would date the item);
* a log record written meanwhile mentions the person or the item (log lines carry the time);
* an e-mail sent meanwhile mentions or is addressed to the person (a receipt says they posted);
* the session or cookies of `client` (the person's own client, when the item was made through
  it) carry the item's id;
* a page, export or API answer in `extra_urls` shows the item together with the person.
  Fetch those as someone else: a page fetched as the person shows their own name in the header.
  Entries are a URL (fetched with `client`) or a (client, URL) pair.

Identifiers of the person: pk, user pk, username, name, e-mail addresses, employee number,
OpenID subject, and the session key of `client`. Text identifiers are matched as whole words,
case-insensitively, so a two-letter employee number does not match inside a UUID.

Small integers need care: a unit id or a rating can equal the person's pk by chance. So the
integer ids are only compared where they could mean the person: foreign keys to a user or a
person (always wrong on an anonymous model), plain integer columns of the item (exact match),
and, in free text such as log lines, only next to a word like "person", "user", "pk" or "id".
A plain integer column that equals a small pk fails with a note saying so; run the test with a
person whose pk is large (for example created with pk=987_654) to tell a coincidence apart.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.messages.storage.cookie import CookieStorage
from django.core import mail
from django.db import models
from django.http import HttpRequest
from django.test import Client

from forankring.core.models import AuditEvent, Person

from .checks import is_identity_model, links_to_identity

UrlSpec = str | tuple[Client, str]
M = TypeVar("M", bound=models.Model)

_TIME_OF_DAY = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


@dataclass
class _Identity:
    ints: dict[str, int]
    texts: dict[str, str]

    def int_hits_in_text(self, text: str) -> list[str]:
        hits = []
        for label, value in self.ints.items():
            pattern = rf"(?i)\b(?:person|user|actor|author|owner|pk|id)\w*[\"']?\s*[:=(]?\s*[\"']?{value}(?!\d)"
            if re.search(pattern, text):
                hits.append(label)
        return hits

    def text_hits(self, text: str) -> list[str]:
        return [label for label, value in self.texts.items() if _contains_word(text, value)]

    def hits(self, text: str) -> list[str]:
        return self.text_hits(text) + self.int_hits_in_text(text)


def _contains_word(haystack: str, needle: str) -> bool:
    return re.search(rf"(?i)(?<![0-9a-z]){re.escape(needle)}(?![0-9a-z])", haystack) is not None


def _identity(person: Person, client: Client | None) -> _Identity:
    ints = {"person.pk": person.pk}
    texts = {
        "name": person.name,
        "email": person.email,
        "employee_id": person.employee_id,
        "external_subject": person.external_subject,
    }
    user = person.user
    if user is not None:
        ints["user.pk"] = user.pk
        texts["username"] = user.get_username()
        texts["user.email"] = getattr(user, "email", "")
        texts["user.full_name"] = user.get_full_name() if hasattr(user, "get_full_name") else ""
    if client is not None and client.session.session_key:
        texts["session_key"] = client.session.session_key
    return _Identity(ints, {k: v.strip() for k, v in texts.items() if v and len(v.strip()) >= 2})


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_STANDARD_RECORD_ATTRS = set(vars(logging.makeLogRecord({})))


def _record_text(record: logging.LogRecord) -> str:
    parts = [record.name]
    try:
        parts.append(record.getMessage())
    except Exception:  # a broken format string still has its parts
        parts.extend([str(record.msg), repr(record.args)])
    if record.exc_info and record.exc_info[1] is not None:
        parts.append(repr(record.exc_info[1]))
    parts.extend(repr(v) for k, v in vars(record).items() if k not in _STANDARD_RECORD_ATTRS)
    return " ".join(parts)


@contextmanager
def _capture_logs() -> Iterator[_Capture]:
    """Every logger at DEBUG into one handler, restored afterwards."""
    handler = _Capture()
    root = logging.getLogger()
    loggers = [root] + [lg for lg in logging.root.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    attached = [lg for lg in loggers if lg is root or not lg.propagate]
    disable_level = logging.root.manager.disable
    logging.disable(logging.NOTSET)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    for lg in attached:
        lg.addHandler(handler)
    try:
        yield handler
    finally:
        for lg in attached:
            lg.removeHandler(handler)
        for lg, level, disabled in saved:
            lg.setLevel(level)
            lg.disabled = disabled
        logging.disable(disable_level)


def _snapshot() -> dict[type[models.Model], set[Any]]:
    return {
        model: set(model._base_manager.values_list("pk", flat=True))
        for model in apps.get_models()
        if not model._meta.proxy
    }


@dataclass
class _Report:
    problems: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        self.problems.append(problem)


def assert_unlinkable(
    *,
    model: type[M],
    create: Callable[[], Any],
    person: Person,
    client: Client | None = None,
    extra_urls: Iterable[UrlSpec] = (),
) -> M:
    """Run `create` and fail unless nothing links what it made to `person` (see the module
    docstring). Returns the item it made."""
    identity = _identity(person, client)
    outbox: list[Any] = getattr(mail, "outbox", [])
    mails_before = len(outbox)
    before = _snapshot()
    with _capture_logs() as logs:
        create()
    after = _snapshot()
    new_items = sorted(after[model] - before[model], key=str)
    assert new_items, f"create() made no new {model._meta.label}"

    items = list(model._base_manager.filter(pk__in=new_items))
    fingerprints = _fingerprints(items)
    report = _Report()
    for item in items:
        _check_item_row(item, identity, report)
    _check_other_rows(model, before, after, identity, fingerprints, report)
    _check_audit(model, before, after, identity, fingerprints, report)
    for record in logs.records:
        text = _record_text(record)
        hits = identity.hits(text)
        if hits:
            report.add(f"a log record mentions the person ({', '.join(hits)}): {record.name}")
        if _mentions(text, fingerprints):
            report.add(f"a log record mentions the item: {record.name}")
    for message in outbox[mails_before:]:
        hits = identity.hits(_mail_text(message))
        if hits:
            report.add(f"an e-mail sent while creating mentions the person ({', '.join(hits)}): {message.subject!r}")
    if client is not None:
        _check_client_state(client, fingerprints, report)
    for spec in extra_urls:
        _check_url(spec, client, identity, fingerprints, items, report)

    assert not report.problems, f"{model._meta.label} can be linked to {person!r}:\n  " + "\n  ".join(report.problems)
    return items[0]


def _fingerprints(items: Sequence[models.Model]) -> list[str]:
    """Values that point at these items and nothing else: their ids and shuffle keys."""
    found: list[str] = []
    for item in items:
        found.append(str(item.pk))
        hex_value = getattr(item.pk, "hex", None)
        if isinstance(hex_value, str):
            found.append(hex_value)
        shuffle_key = getattr(item, "shuffle_key", None)
        if shuffle_key is not None:
            found.append(str(shuffle_key))
    return found


def _mentions(text: str, fingerprints: Sequence[str]) -> bool:
    return any(_contains_word(text, f) for f in fingerprints)


def _check_item_row(item: models.Model, identity: _Identity, report: _Report) -> None:
    meta = item._meta
    values = type(item)._base_manager.filter(pk=item.pk).values().get()
    for db_field in meta.concrete_fields:
        value = values[db_field.attname]
        where = f"{meta.label}.{db_field.name}"
        if db_field.is_relation:
            if links_to_identity(db_field.related_model) and value is not None:
                report.add(f"{where} links to a user or a person, or to a row that does")
            # A key to any other table (a unit) holds that table's ids; a unit id equal to the
            # person's pk is a coincidence, not a link.
            continue
        if isinstance(value, datetime | time):
            report.add(f"{where} holds a time of day ({type(value).__name__})")
            continue
        if isinstance(value, int) and not isinstance(value, bool) and not db_field.primary_key:
            for label, number in identity.ints.items():
                if value == number:
                    note = " (a coincidence is possible with a small pk: rerun with a person whose pk is large)"
                    report.add(f"{where} equals the person's {label}{note if number < 1000 else ''}")
            continue
        if isinstance(value, str | dict | list):
            text = str(value)
            hits = identity.text_hits(text)
            if hits:
                report.add(f"{where} contains the person's {', '.join(hits)}")
            if _TIME_OF_DAY.search(text):
                report.add(f"{where} contains a time of day")


def _row_text(values: dict[str, Any]) -> str:
    return " ".join(str(v) for v in values.values() if isinstance(v, str | dict | list))


def _check_other_rows(
    model: type[models.Model],
    before: dict[type[models.Model], set[Any]],
    after: dict[type[models.Model], set[Any]],
    identity: _Identity,
    fingerprints: Sequence[str],
    report: _Report,
) -> None:
    for other, pks in after.items():
        if other is model or other is AuditEvent:
            continue
        new = pks - before.get(other, set())
        if not new:
            continue
        label = other._meta.label
        if label == "sessions.Session":
            continue  # a session always belongs to someone; its content is checked through the client
        person_keys = [
            (f.attname, identity.ints["person.pk"] if f.related_model is Person else identity.ints.get("user.pk"))
            for f in other._meta.concrete_fields
            if f.is_relation and f.related_model is not None and is_identity_model(f.related_model)
        ]
        item_keys = [f.attname for f in other._meta.concrete_fields if f.is_relation and f.related_model is model]
        for values in other._base_manager.filter(pk__in=new).values():
            text = _row_text(values)
            if any(values[k] == v for k, v in person_keys) or identity.text_hits(text):
                report.add(f"a new {label} row refers to the person")
            if any(values[k] is not None for k in item_keys) or _mentions(text, fingerprints):
                report.add(f"a new {label} row refers to the item")


def _check_audit(
    model: type[models.Model],
    before: dict[type[models.Model], set[Any]],
    after: dict[type[models.Model], set[Any]],
    identity: _Identity,
    fingerprints: Sequence[str],
    report: _Report,
) -> None:
    new = after[AuditEvent] - before[AuditEvent]
    for event in AuditEvent.objects.filter(pk__in=new).order_by("pk"):
        text = " ".join([event.actor_label, event.object_label, event.object_id, str(event.changes)])
        if event.actor_id is not None and event.actor_id == identity.ints["person.pk"]:
            report.add(f"audit row #{event.seq} ({event.action}) has the person as actor")
        elif identity.text_hits(text) or (
            event.object_type == "core.person" and event.object_id == str(identity.ints["person.pk"])
        ):
            report.add(f"audit row #{event.seq} ({event.action}) mentions the person")
        if event.object_type == model._meta.label_lower or _mentions(text, fingerprints):
            report.add(f"audit row #{event.seq} ({event.action}) is about the anonymous item")


def _mail_text(message: Any) -> str:
    parts = [
        str(message.subject),
        str(message.body),
        str(message.from_email),
        *map(str, message.to),
        *map(str, message.cc),
        *map(str, message.bcc),
        *map(str, getattr(message, "reply_to", [])),
        *(str(v) for v in getattr(message, "extra_headers", {}).values()),
    ]
    parts.extend(str(content) for content, _mimetype in getattr(message, "alternatives", []))
    return "\n".join(parts)


def _check_client_state(client: Client, fingerprints: Sequence[str], report: _Report) -> None:
    session_text = " ".join(f"{k}={v}" for k, v in client.session.items())
    if _mentions(session_text, fingerprints):
        report.add("the person's session holds the item's id")
    for name, morsel in client.cookies.items():
        text = morsel.value
        if name == CookieStorage.cookie_name:
            # _decode is private, but it is the one way to read what the messages cookie holds.
            decoded = CookieStorage(HttpRequest())._decode(morsel.value)  # type: ignore[attr-defined]
            text += " " + " ".join(str(m) for m in decoded or [])
        if _mentions(text, fingerprints):
            report.add(f"the person's cookie {name!r} holds the item's id")


def _check_url(
    spec: UrlSpec,
    client: Client | None,
    identity: _Identity,
    fingerprints: Sequence[str],
    items: Sequence[models.Model],
    report: _Report,
) -> None:
    viewer, url = (client, spec) if isinstance(spec, str) else spec
    if viewer is None:
        raise ValueError(f"no client to fetch {url} with: pass client= or a (client, url) pair")
    response = viewer.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    body = html.unescape(response.content.decode(errors="replace"))
    # The item is recognised by its id, or by the start of a distinctive text it holds (a page
    # shows the text, maybe broken into paragraphs, rarely the id).
    texts = [
        value[:20]
        for item in items
        for f in item._meta.concrete_fields
        if isinstance(value := getattr(item, f.attname), str) and len(value) >= 20
    ]
    shows_item = _mentions(body, fingerprints) or any(t in body for t in texts)
    hits = identity.hits(body)
    if shows_item and hits:
        report.add(f"{url} shows the item together with the person ({', '.join(hits)})")
