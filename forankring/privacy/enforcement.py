"""Find free-text fields that skip the personal-data screen, so a new feature cannot forget it.

tests/privacy/test_every_text_field_is_screened.py runs these checks over the whole project.
When one fails on your new field, either use the screened field types from
`forankring.privacy.fields`, or, if the field really is not free text a person types, add it to
an allow-list below with the reason a reviewer should accept.

What counts as free text:

* model fields: every concrete, editable ``CharField``, ``TextField`` or ``JSONField`` of a model
  in an app whose name starts with ``forankring.``, except fields with ``choices`` and the
  kinds whose format rules out prose (slug, URL, e-mail, file path). A JSONField cannot be
  screened by its type, so each one needs an entry saying where its text is screened.
* form fields: every ``forms.CharField`` (and subclass) of every form class defined in a
  ``forankring.*`` module, except e-mail, URL, slug, UUID, IP, JSON and password inputs.
  Forms are instantiated without arguments where that works, so fields added in ``__init__``
  are seen too; otherwise their declared ``base_fields`` are checked.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from django import forms
from django.apps import apps
from django.db import models

from .fields import is_screened

__all__ = [
    "NOT_FREE_TEXT_MODEL_FIELDS",
    "NOT_SCREENED_FORM_FIELDS",
    "form_field_label",
    "import_project_modules",
    "project_form_classes",
    "project_models",
    "stale_allowances",
    "unscreened_form_fields",
    "unscreened_model_fields",
]

PROJECT_PACKAGE: Final = "forankring"

# "app_label.Model.field" -> why the field needs no screen. Keep every reason concrete.
NOT_FREE_TEXT_MODEL_FIELDS: Final[Mapping[str, str]] = {
    "core.Municipality.level_names": (
        "a list of level names, screened by MunicipalitySettingsForm.level_names_text and again by "
        "core.actions.update_municipality_settings"
    ),
    "core.Person.external_subject": (
        "the identity provider's subject claim, written by sign-in and never typed; the claim "
        "mapping must not pick a CPR claim"
    ),
    "core.AuditEvent.actor_label": "written by audit.record from Person.name, which is screened",
    "core.AuditEvent.action": "written by audit.record: a code such as 'municipality.update_settings'",
    "core.AuditEvent.object_type": "written by audit.record: a model label",
    "core.AuditEvent.object_id": "written by audit.record: a primary key",
    "core.AuditEvent.object_label": "written by audit.record from str() of an object whose text fields are screened",
    "core.AuditEvent.changes": "written by audit.record from values that passed their own fields' screen",
    "core.AuditEvent.prev_hash": "written by audit.record: a SHA-256 hex digest",
    "core.AuditEvent.hash": "written by audit.record: a SHA-256 hex digest",
    "core.AuditCheck.head_hash": "written by verify_audit: a SHA-256 hex digest",
    "core.AuditCheck.reason": "written by verify_audit: a fixed code for why a chain broke",
}

# "module.FormClass.field" -> why the field needs no screen.
NOT_SCREENED_FORM_FIELDS: Final[Mapping[str, str]] = {
    "forankring.core.forms.LoginForm.username": "a sign-in name, checked against the accounts and never stored",
    "forankring.core.forms.AuditFilterForm.person": "a search box on the log page; the text is never stored",
    "forankring.core.forms.PeopleFilterForm.q": "a search box on the people list; the text is never stored",
}

# Formats that rule out prose. (UUIDField and GenericIPAddressField are not CharFields.)
_NOT_PROSE_MODEL_FIELDS: Final = (models.SlugField, models.URLField, models.EmailField, models.FilePathField)
_NOT_PROSE_FORM_FIELDS: Final = (
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.UUIDField,
    forms.GenericIPAddressField,
    forms.JSONField,
)
# Never imported by the check: migrations are history, and the rest configure or start the
# process rather than define anything a person fills in.
_SKIPPED_MODULE_PARTS: Final = frozenset({"migrations", "settings", "wsgi", "asgi"})


def project_models() -> list[type[models.Model]]:
    """Every model of the project's own apps, including abstract-inherited fields."""
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith(PROJECT_PACKAGE + ".")
        for model in config.get_models()
    ]


def model_field_label(model: type[models.Model], field: models.Field[Any, Any]) -> str:
    return f"{model._meta.label}.{field.name}"


def _is_free_text_model_field(field: models.Field[Any, Any]) -> bool:
    if not field.concrete or not field.editable or field.choices:
        return False
    if isinstance(field, _NOT_PROSE_MODEL_FIELDS):
        return False
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


def unscreened_model_fields(
    model_classes: Iterable[type[models.Model]] | None = None,
    *,
    allowed: Mapping[str, str] = NOT_FREE_TEXT_MODEL_FIELDS,
) -> list[str]:
    """Labels ("app.Model.field") of free-text model fields that are neither screened nor allowed."""
    found = []
    for model in project_models() if model_classes is None else model_classes:
        for field in model._meta.concrete_fields:
            label = model_field_label(model, field)
            if _is_free_text_model_field(field) and not is_screened(field) and label not in allowed:
                found.append(label)
    return found


def import_project_modules() -> None:
    """Imports every module of the project, so every form class exists to be found."""
    package = importlib.import_module(PROJECT_PACKAGE)
    for module in pkgutil.walk_packages(package.__path__, prefix=PROJECT_PACKAGE + "."):
        if _SKIPPED_MODULE_PARTS.isdisjoint(module.name.split(".")):
            importlib.import_module(module.name)


def _subclasses(cls: type[Any]) -> Iterator[type[Any]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every form class defined in a project module (imports the whole project first)."""
    import_project_modules()
    found = {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith(PROJECT_PACKAGE + ".")}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def form_field_label(form_class: type[forms.BaseForm], name: str) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}.{name}"


def _form_fields(form_class: type[forms.BaseForm]) -> Mapping[str, forms.Field]:
    # An instance also shows fields added in __init__. Forms that need arguments (or a model,
    # for an abstract ModelForm base) cannot be built blind; their declared fields still count.
    try:
        return form_class().fields
    except Exception:
        # Set by the declarative metaclass, which the stubs' BaseForm does not know about.
        declared: Mapping[str, forms.Field] = getattr(form_class, "base_fields", {})
        return declared


def _is_free_text_form_field(field: forms.Field) -> bool:
    if not isinstance(field, forms.CharField) or isinstance(field, _NOT_PROSE_FORM_FIELDS):
        return False
    # A password is hashed and never shown, so nobody reads what was typed into it.
    return not isinstance(field.widget, forms.PasswordInput)


def unscreened_form_fields(
    form_classes: Iterable[type[forms.BaseForm]] | None = None,
    *,
    allowed: Mapping[str, str] = NOT_SCREENED_FORM_FIELDS,
) -> list[str]:
    """Labels ("module.Form.field") of free-text form fields that are neither screened nor allowed."""
    found = []
    for form_class in project_form_classes() if form_classes is None else form_classes:
        for name, field in _form_fields(form_class).items():
            label = form_field_label(form_class, name)
            if _is_free_text_form_field(field) and not is_screened(field) and label not in allowed:
                found.append(label)
    return found


def stale_allowances() -> list[str]:
    """Allow-list entries that no longer name a field, so exemptions do not outlive their field."""
    model_labels = {
        model_field_label(model, field) for model in project_models() for field in model._meta.concrete_fields
    }
    form_labels = {
        form_field_label(form_class, name) for form_class in project_form_classes() for name in _form_fields(form_class)
    }
    return sorted(
        [label for label in NOT_FREE_TEXT_MODEL_FIELDS if label not in model_labels]
        + [label for label in NOT_SCREENED_FORM_FIELDS if label not in form_labels]
    )
