"""The municipality's own names for the name check, held in process memory and nowhere else.

The names of a municipality's people are already in the database; the check reads them from
there into a ``NameIndex`` in this process's memory, never into a cache table, a file or a log, so
the check adds no new copy of anyone's name that could leak.

Freshness: before each use a cheap version query (count and highest id of the municipality's
people and units, two indexed aggregates) decides whether the index is still current. That catches
every addition and deletion, including bulk imports. A rename made through ``save()`` invalidates
the index at once (signals below); a rename by ``bulk_update`` (the organisation import) is seen
within ``MAX_AGE_SECONDS``, after which the index is rebuilt anyway. Call ``invalidate()`` after
any other change to what a non-person source returns.

Non-person sources: the municipality's unit names are built in. Other apps add theirs with
``register_non_person_source`` in their ``AppConfig.ready()``, e.g. the tool register of the
direction track::

    roster.register_non_person_source(lambda municipality_id: Tool.objects.filter(
        municipality_id=municipality_id).values_list("name", flat=True))

and call ``roster.invalidate(municipality_id)`` when a tool is added or renamed.

Which municipality applies is set per request by ``NameRosterMiddleware`` (or ``municipality_scope``
in scripts and tests); without one, only the shipped lists of common names are used.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from forankring.core.models import Person, Unit

from .names import NameIndex, common_index

__all__ = [
    "MAX_AGE_SECONDS",
    "NameRosterMiddleware",
    "current_index",
    "index_for",
    "invalidate",
    "municipality_scope",
    "register_non_person_source",
]

MAX_AGE_SECONDS: Final = 300

NonPersonSource = Callable[[int], Iterable[str]]
_sources: list[NonPersonSource] = []

_current_municipality: ContextVar[int | None] = ContextVar("name_check_municipality", default=None)


@dataclass(frozen=True, slots=True)
class _Entry:
    version: tuple[Any, ...]
    built_at: float
    index: NameIndex


_lock = threading.Lock()
_entries: dict[int, _Entry] = {}
_generations: dict[int, int] = {}


def register_non_person_source(source: NonPersonSource) -> None:
    """Adds a source of words that are not persons (tool names, ...) for every municipality."""
    if source not in _sources:
        _sources.append(source)
    invalidate()


def invalidate(municipality_id: int | None = None) -> None:
    """Rebuilds the index of one municipality (or of all) on its next use."""
    with _lock:
        if municipality_id is None:
            for key in list(_generations):
                _generations[key] += 1
            _entries.clear()
        else:
            _generations[municipality_id] = _generations.get(municipality_id, 0) + 1


def index_for(municipality_id: int | None) -> NameIndex:
    """The common lists plus the municipality's people, units and non-person sources."""
    if municipality_id is None:
        return common_index()
    version = _version(municipality_id)
    entry = _entries.get(municipality_id)
    if entry is not None and entry.version == version and time.monotonic() - entry.built_at < MAX_AGE_SECONDS:
        return entry.index
    index = _build(municipality_id)
    with _lock:
        _entries[municipality_id] = _Entry(version, time.monotonic(), index)
    return index


def current_index() -> NameIndex:
    """The index for the municipality of the current request (see the module docstring)."""
    return index_for(_current_municipality.get())


@contextmanager
def municipality_scope(municipality_id: int | None) -> Iterator[None]:
    """Checks names against this municipality's roster inside the block (scripts, tests, tasks)."""
    token = _current_municipality.set(municipality_id)
    try:
        yield
    finally:
        _current_municipality.reset(token)


class NameRosterMiddleware:
    """Sets the municipality whose roster the name check uses: the signed-in person's. Goes after
    ``CurrentPersonMiddleware``, which sets ``request.person``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = getattr(request, "person", None)
        with municipality_scope(person.municipality_id if person is not None else None):
            return self.get_response(request)


def _version(municipality_id: int) -> tuple[Any, ...]:
    people = Person.objects.filter(municipality_id=municipality_id).aggregate(n=Count("pk"), top=Max("pk"))
    units = Unit.objects.filter(municipality_id=municipality_id).aggregate(n=Count("pk"), top=Max("pk"))
    return people["n"], people["top"], units["n"], units["top"], _generations.get(municipality_id, 0)


def _build(municipality_id: int) -> NameIndex:
    # Former colleagues (inactive people) count too: their names expose as much as anyone's.
    people = Person.objects.filter(municipality_id=municipality_id).values_list("name", flat=True).iterator()
    not_persons: list[str] = list(Unit.objects.filter(municipality_id=municipality_id).values_list("name", flat=True))
    for source in _sources:
        not_persons.extend(source(municipality_id))
    return common_index().with_roster(people=people, not_persons=not_persons)


@receiver(post_save, sender=Person, dispatch_uid="privacy.roster.person_saved")
@receiver(post_delete, sender=Person, dispatch_uid="privacy.roster.person_deleted")
@receiver(post_save, sender=Unit, dispatch_uid="privacy.roster.unit_saved")
@receiver(post_delete, sender=Unit, dispatch_uid="privacy.roster.unit_deleted")
def _changed(sender: type[Any], instance: Person | Unit, **kwargs: Any) -> None:
    invalidate(instance.municipality_id)
