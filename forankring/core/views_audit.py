"""The administrator's view of the audit log."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .views import admin_required


@admin_required
def admin_audit(request: HttpRequest) -> HttpResponse:
    return render(request, "core/track.html", {"title": "Log", "summary": ""})
