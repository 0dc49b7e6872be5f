"""Import and export of the organisation (units and staff) for administrators."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .views import admin_required


@admin_required
def admin_import(request: HttpRequest) -> HttpResponse:
    return render(request, "core/track.html", {"title": "Indlæs organisation", "summary": ""})


@admin_required
def admin_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return HttpResponse("", content_type="text/csv")
