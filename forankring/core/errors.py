"""Error pages in the site's own layout. 404 is also what a forbidden object looks like."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 404}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"status": 403}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors here: the database may be what failed.
    return HttpResponse(loader.get_template("core/500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused form post (CSRF_FAILURE_VIEW): usually a form left open past the sign-in or the
    cookie, so the page says what to do rather than Django's technical reason."""
    return render(request, "core/error.html", {"status": 403, "csrf": True}, status=403)
