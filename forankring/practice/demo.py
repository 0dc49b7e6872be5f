"""Track 2's example for "Eksempel Kommune": focus areas in the centres, use cases across the
professional areas, ideas with and without answers. Written inside load_demo's transaction
(its "demo.load" audit row covers it); the texts are fictional, in the project's own words."""

from __future__ import annotations

from forankring.core.models import Municipality, Person


def load(municipality: Municipality, logins: dict[str, Person]) -> None:
    pass
