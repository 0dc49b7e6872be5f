"""Track 4's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forankring.core.models import Person
from forankring.core.views import person_required

from . import queries


def _person(request: HttpRequest) -> Person:
    return request.person  # type: ignore[attr-defined]  # set by person_required


@person_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    return render(request, "pilots/index.html", {"pilots": queries.pilots_for(person)[:20]})
