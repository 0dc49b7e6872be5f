"""Track 4's pages: thin views gluing queries and actions to templates."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from forankring.core.http import PersonRequest
from forankring.core.views import person_required

from . import queries


@person_required
@require_GET
def index(request: PersonRequest) -> HttpResponse:
    person = request.person
    return render(request, "pilots/index.html", {"pilots": queries.pilots_for(person)[:20]})
