"""The request types a view is annotated with.

`CurrentPersonMiddleware` puts the signed-in person on every request, or `None`; behind
`person_required` (and `admin_required`) the person is always there. A view behind either
decorator annotates its request as `PersonRequest` and reads `request.person` as a `Person`,
with no cast and no `type: ignore`. These classes only describe the request for the type
checker: Django's own request object is what arrives, so never `isinstance` against them.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import Municipality, Person


class CurrentPersonRequest(HttpRequest):
    """Any request after `CurrentPersonMiddleware`: the person if one is signed in."""

    person: Person | None
    municipality: Municipality | None
    # How many municipalities the signed-in user works in (the switch shows from two).
    person_count: int


class PersonRequest(HttpRequest):
    """A request behind `person_required`: a person is signed in."""

    person: Person
    municipality: Municipality
    person_count: int
