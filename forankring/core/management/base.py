"""The base class of every Forankring management command.

A command that writes goes through the same actions and the same screened fields as the pages,
so a CPR number in an argument is refused with a ValidationError (a `PersonalDataRefused` names
the model field and shows the number masked). Django prints a traceback for any exception but
CommandError; this base turns a ValidationError into a CommandError with its messages, so the
operator reads one clear line and the command exits 1. tests/privacy/test_every_write_path.py
checks that every command of the project uses it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError

from forankring.privacy.fields import PersonalDataRefused


def describe(error: ValidationError) -> str:
    """The messages of a ValidationError in one line, each with its field when it has one."""
    if isinstance(error, PersonalDataRefused) or not hasattr(error, "error_dict"):
        # A PersonalDataRefused message already begins with the model field.
        return " ".join(error.messages)
    return " ".join(
        message if field == NON_FIELD_ERRORS else f"{field}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    )


class ForankringCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except ValidationError as error:
            raise CommandError(describe(error)) from error
