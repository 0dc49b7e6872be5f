"""Refuse an over-large request from its Content-Length, before a byte of its body is read.

Django would otherwise read the body as soon as anything asks for `request.POST` (the CSRF
check does, before any view), and spool a large file upload to a temporary file on disk: a
50 MB file would be written out in full only to be refused afterwards. The WSGI server hands
Django exactly Content-Length bytes, and a request without one has an empty body, so the
header is a bound that cannot be lied past.

The limit is the organisation file's (the only upload) plus room for the form's other fields.
`FILE_UPLOAD_MAX_MEMORY_SIZE` in settings is the same, so what passes here stays in memory
and never touches the disk either.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import orgfile

# Multipart boundaries, the CSRF token and the form's small fields.
FORM_OVERHEAD_BYTES = 64 * 1024


def max_request_bytes() -> int:
    return int(settings.ORG_IMPORT_MAX_BYTES) + FORM_OVERHEAD_BYTES


class RequestSizeLimitMiddleware:
    """Placed last in MIDDLEWARE: it runs before any view's (and the CSRF check's) look at the
    body, and after the person is known, so the refusal page has the site's layout."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        if length > max_request_bytes():
            context = {"size": orgfile.size_text(settings.ORG_IMPORT_MAX_BYTES)}
            # The body is left unread; the WSGI server discards it or closes the connection
            # (an application may not set Connection itself).
            return render(request, "core/too_large.html", context, status=413)
        return self.get_response(request)
