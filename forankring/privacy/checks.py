"""A start-up check that keeps anonymous models anonymous.

`manage.py check` (and therefore runserver, migrate and the test suite) fails when a concrete
subclass of `AnonymousContribution` gains something that could point at its author, so a later
feature cannot add an author column, a timestamp or an IP address by accident.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import AppConfig, apps
from django.conf import settings
from django.core import checks
from django.db import models

from .anonymous import AnonymousContribution

# Name parts that say "this is who wrote it". Matched against the parts of the field name split
# on underscores, so `ip_address` and `created_by` are caught but `shipping` is not.
IDENTITY_WORDS = frozenset(
    {
        "actor",
        "author",
        "by",
        "creator",
        "email",
        "employee",
        "ip",
        "owner",
        "person",
        "people",
        "respondent",
        "sender",
        "session",
        "submitter",
        "user",
        "username",
        "users",
    }
)


def anonymous_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if issubclass(model, AnonymousContribution) and not model._meta.abstract and not model._meta.proxy
    ]


def is_identity_model(model: Any) -> bool:
    """A user or a person."""
    label = model.lower() if isinstance(model, str) else model._meta.label_lower
    return label in {settings.AUTH_USER_MODEL.lower(), "core.person"}


def links_to_identity(model: Any) -> bool:
    """A user or a person, or a row that points at one (a membership, a role): a key to any of
    them names the author as surely as an author column."""
    if is_identity_model(model):
        return True
    if isinstance(model, str):
        return False
    return any(
        f.is_relation and f.related_model is not None and is_identity_model(f.related_model)
        for f in model._meta.concrete_fields
    )


def problems_in(model: type[models.Model]) -> list[checks.Error]:
    """What is wrong with one anonymous model; empty when nothing is."""
    errors: list[checks.Error] = []
    pk = model._meta.pk
    if not isinstance(pk, models.UUIDField):
        errors.append(
            checks.Error(
                "An anonymous model needs a random UUID primary key; a sequential key gives away "
                "the order in which items arrived.",
                obj=model,
                id="privacy.E001",
            )
        )
    fields: Sequence[Any] = model._meta.get_fields(include_hidden=True)
    for field in fields:
        if not getattr(field, "concrete", False) and not getattr(field, "many_to_many", False):
            continue  # reverse relations belong to the other model
        name = field.name
        if field.is_relation and field.related_model is not None and links_to_identity(field.related_model):
            errors.append(
                checks.Error(
                    f"Anonymous model field '{name}' links to a user or a person, or to a row that does.",
                    hint="Anonymous contributions store no author at all (docs/PRIVACY.md).",
                    obj=model,
                    id="privacy.E002",
                )
            )
        if isinstance(field, models.DateTimeField | models.TimeField):
            errors.append(
                checks.Error(
                    f"Anonymous model field '{name}' holds a time of day.",
                    hint="Use a DateField: an anonymous item carries its date only.",
                    obj=model,
                    id="privacy.E003",
                )
            )
        if isinstance(field, models.GenericIPAddressField) or IDENTITY_WORDS & set(re.split(r"_+", name.lower())):
            errors.append(
                checks.Error(
                    f"Anonymous model field '{name}' looks like it identifies the author.",
                    hint="No author, user, person, session or IP address on an anonymous model, not even hashed.",
                    obj=model,
                    id="privacy.E004",
                )
            )
    return errors


def check_anonymous_models(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    wanted = {config.label for config in app_configs} if app_configs is not None else None
    for model in anonymous_models():
        if wanted is None or model._meta.app_label in wanted:
            errors.extend(problems_in(model))
    return errors
