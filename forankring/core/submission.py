"""One-time submission tokens: a form that creates something creates it once.

A retried post (the browser gave up waiting and the person pressed again) or a double click
sends the same form twice. Each create form therefore carries a random token in a hidden field,
and the view spends it in the `SubmissionToken` table (unique per municipality and token hash)
in the same transaction as what it creates. A second post with the same token finds it spent:
`AlreadySubmittedError` is raised before anything is created, and `answer_repeat` sends the person
to what the first post created, or says the form was already sent. Anonymous forms use it too:
the token is random, tied to no person, and for them no result and only a coarse expiry week is
stored (see `SubmissionToken`). CONTRIBUTING.md shows how a form uses it.

    class PilotForm(OnceOnlyFormMixin, DKFDSFormMixin, forms.Form): ...

    if request.method == "POST" and form.is_valid():
        try:
            with submission.once(form, municipality=person.municipality) as spent:
                pilot = actions.create_pilot(actor=person, ...)
                spent.result_url = reverse("pilots:detail", args=[pilot.pk])
        except submission.AlreadySubmittedError as repeat:
            return submission.answer_repeat(request, repeat, fallback="pilots:list")
        return redirect(spent.result_url)
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Municipality, SubmissionToken

FIELD = "submission_token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class OnceOnlyFormMixin:
    """Adds the hidden one-time token to a form. Put it before the other mixins and the form class.

    An unbound form gets a fresh token; a bound one keeps the posted token, so a form shown
    again with errors is still the same submission. `components/field.html` renders the hidden
    field as just the input, so `{% for field in form %}` needs no change.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        token = forms.CharField(widget=forms.HiddenInput, required=False, initial=new_token())
        # First, so the hidden input never sits between the last field and the button, which
        # app.css spaces with `.form-group + .button`.
        self.fields = {FIELD: token, **self.fields}

    def clean_submission_token(self) -> str:
        token: str = self.cleaned_data.get(FIELD, "")  # type: ignore[attr-defined]
        if token and not _TOKEN.fullmatch(token):
            raise forms.ValidationError(_("Formularen er ugyldig. Genindlæs siden, og prøv igen."))
        return token


@dataclass
class Spent:
    """Where the submission led; set it inside the `once` block so a repeat can go there too."""

    result_url: str = ""


class AlreadySubmittedError(Exception):
    def __init__(self, result_url: str) -> None:
        super().__init__(result_url)
        self.result_url = result_url


def token_of(form: forms.BaseForm) -> str:
    return str(form.cleaned_data.get(FIELD, "")) if hasattr(form, "cleaned_data") else ""


@contextmanager
def once(
    form_or_token: forms.BaseForm | str, *, municipality: Municipality, anonymous: bool = False
) -> Iterator[Spent]:
    """Spend the token, then run the block; raise AlreadySubmittedError if it was spent before.

    Named submissions: the token is spent in the same transaction as the block, so a failure
    inside it (a validation error, a refused import) gives the token back with everything else.

    Anonymous ones (`anonymous=True`): the block runs in no transaction of ours, because an
    anonymous item must not share a transaction with anything (its author could be read from
    what it was saved with). The token is spent in its own transaction first, and given back
    if the block fails. A post without a token (not from our page) is not protected.
    """
    token = form_or_token if isinstance(form_or_token, str) else token_of(form_or_token)
    if not token:
        yield Spent()
        return
    digest = hashlib.sha256(token.encode()).hexdigest()
    spent = Spent()
    if anonymous:
        _spend(municipality, digest, anonymous=True)
        try:
            yield spent
        except BaseException:
            SubmissionToken.objects.filter(municipality=municipality, token_hash=digest).delete()
            raise
        return
    with transaction.atomic():
        _spend(municipality, digest, anonymous=False)
        yield spent
        if spent.result_url:
            SubmissionToken.objects.filter(municipality=municipality, token_hash=digest).update(
                result_url=spent.result_url[:500]
            )


def _spend(municipality: Municipality, digest: str, *, anonymous: bool) -> None:
    today = timezone.localdate()
    days = -(-settings.SUBMISSION_TOKEN_MAX_AGE // 86400) + 1
    expires = today + datetime.timedelta(days=days)
    if anonymous:
        # Only the week: the day would tell when an anonymous item was sent.
        expires += datetime.timedelta(days=7 - expires.weekday())
    try:
        with transaction.atomic():
            SubmissionToken.objects.create(municipality=municipality, token_hash=digest, expires_on=expires)
    except IntegrityError:
        earlier = SubmissionToken.objects.filter(municipality=municipality, token_hash=digest).first()
        raise AlreadySubmittedError(earlier.result_url if earlier else "") from None
    SubmissionToken.objects.filter(expires_on__lt=today).delete()


def repeat_of(
    request: HttpRequest, *, municipality: Municipality, token: str | None = None
) -> AlreadySubmittedError | None:
    """The earlier submission when the posted token is already spent, else None.

    Asked before the form is validated, so a repeat is answered as one even when the first
    post has made the form invalid (e.g. "this person already has the role"). `once` still
    decides a race between two posts that arrive together.
    """
    token = request.POST.get(FIELD, "") if token is None else token
    if not _TOKEN.fullmatch(token):
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    earlier = SubmissionToken.objects.filter(municipality=municipality, token_hash=digest).first()
    return AlreadySubmittedError(earlier.result_url) if earlier else None


def answer_repeat(request: HttpRequest, repeat: AlreadySubmittedError, *, fallback: str) -> HttpResponse:
    """The answer to a repeated post: what the first one created, or the page it came from."""
    messages.info(request, _("Formularen var allerede sendt, så den er ikke sendt igen."))
    return redirect(repeat.result_url or fallback)
