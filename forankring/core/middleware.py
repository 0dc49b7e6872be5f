from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import access
from .http import CurrentPersonRequest

SESSION_KEY = "forankring_municipality_id"


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and a Permissions-Policy to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


class CurrentPersonMiddleware:
    """Sets `request.person`: the signed-in user's Person in the municipality they work in now.

    Most people belong to one municipality. A facilitator with several picks one on
    /kommune/ and the choice is kept in the session; a stale choice falls back to the first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(self._attach(cast(CurrentPersonRequest, request)))

    @staticmethod
    def _attach(request: CurrentPersonRequest) -> CurrentPersonRequest:
        request.person = None
        request.municipality = None
        request.person_count = 0
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # With their roles: access.role_paths then asks the database nothing more.
            people = access.workplaces(user)
            if people:
                wanted = request.session.get(SESSION_KEY)
                person = next((p for p in people if p.municipality_id == wanted), people[0])
                request.person = person
                request.municipality = person.municipality
                request.person_count = len(people)
        return request


class LanguageMiddleware:
    """Danish unless the person has chosen English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many municipal
    PCs run an English Windows; the product is Danish first, so only the explicit choice
    (the language cookie set by /sprog/) changes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def start_idle_clock(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """At sign-in, so the first request after it need not write the session."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session[IdleTimeoutMiddleware.KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a person who has made no request for SESSION_IDLE_TIMEOUT seconds.

    The time of the last request is kept in the session, written at most once a minute so an
    active person does not cost a session write on every request.
    """

    KEY = "forankring_last_seen"
    WRITE_EVERY = 60  # seconds

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        import time

        from django.contrib.auth import logout

        timeout = settings.SESSION_IDLE_TIMEOUT
        user = getattr(request, "user", None)
        if timeout and user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if isinstance(last_seen, int) and now - last_seen > timeout:
                logout(request)  # a new, empty session; the views then ask for sign-in
            elif not isinstance(last_seen, int) or now - last_seen >= self.WRITE_EVERY:
                request.session[self.KEY] = now
        return self.get_response(request)
