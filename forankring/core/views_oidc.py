"""The /oidc/ pages: start a sign-in at the provider, take the answer back, log out.

They are always routed and answer 404 while OpenID Connect is off (OIDC_ENABLED). That keeps
the URL map the same in every deployment and lets tests switch sign-in on with a setting,
instead of re-importing the URLconf.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
    OIDCLogoutView,
)

from . import oidc
from .middleware import SESSION_KEY


class _OnlyWhenEnabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class SignInStartView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    pass


class SignInCallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    def login_success(self) -> HttpResponse:
        response: HttpResponse = super().login_success()
        person = getattr(self.request, oidc.PERSON_ATTR, None)
        if person is not None:
            # A facilitator with people in several municipalities lands in the one whose
            # provider they just signed in with.
            self.request.session[SESSION_KEY] = person.municipality_id
        return response

    def login_failure(self) -> HttpResponse:
        request = self.request
        # Whoever was signed in before is not any more: a refused sign-in must not leave an
        # earlier session behind on a shared PC.
        if request.user.is_authenticated:
            auth.logout(request)
        if getattr(request, oidc.REFUSAL_ATTR, None):
            messages.error(
                request,
                _(
                    "Du kan ikke logge ind i Forankring endnu. Kommunens log-ind kender dig, men du er ikke "
                    "oprettet med en rolle i Forankring. Kontakt kommunens administrator af Forankring, "
                    "så de kan give dig adgang."
                ),
            )
        else:
            messages.error(
                request,
                _(
                    "Log-ind med kommunens log-ind lykkedes ikke. Prøv igen om lidt. "
                    "Hvis det bliver ved, så kontakt kommunens IT-support."
                ),
            )
        return redirect("core:login")


class SignOutView(_OnlyWhenEnabled, OIDCLogoutView):
    pass


urlpatterns = [
    path("authenticate/", SignInStartView.as_view(), name="oidc_authentication_init"),
    path("callback/", SignInCallbackView.as_view(), name="oidc_authentication_callback"),
    path("logout/", SignOutView.as_view(), name="oidc_logout"),
]
