"""The once-per-person key behind a "useful" mark on a prompt (see models.UsefulMark)."""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from forankring.core.models import Person

from .models import Prompt

_SALT = "forankring.competence.useful"


def useful_key(*, person: Person, prompt: Prompt) -> str:
    return salted_hmac(_SALT, f"{prompt.pk}:{person.pk}", algorithm="sha256").hexdigest()
