"""Find free-text fields that skip the personal-data screen, so a new feature cannot forget it.

tests/privacy/test_every_text_field_is_screened.py runs these checks over the whole project.
When one fails on your new field, either use the screened field types from
`forankring.privacy.fields`, or, if the field really is not free text a person types, add it to
an allow-list below with the reason a reviewer should accept.

What counts as free text:

* model fields: every concrete, editable ``CharField``, ``TextField`` or ``JSONField`` of a model
  in an app whose name starts with ``forankring.``, except fields with ``choices`` and file
  paths. Slugs, URLs and e-mail addresses count too: they are not prose, but a CPR number fits
  in them (``ScreenedSlugField``, ``ScreenedURLField``, ``ScreenedEmailField``). A JSONField
  cannot be screened by its type, so each one needs an entry saying where its text is screened.
* the write path: a screened model field must refuse a CPR number when it is written, not only
  when it is validated (``fields_not_screened_at_write`` writes one through ``QuerySet.update``
  and through the field's ``get_db_prep_save``, the method every insert and update calls).
* form fields: every ``forms.CharField`` (and subclass) of every form class defined in a
  ``forankring.*`` module, except e-mail, URL, slug, UUID, IP, JSON and password inputs.
  Forms are instantiated without arguments where that works, so fields added in ``__init__``
  are seen too; otherwise their declared ``base_fields`` are checked.

Anonymous fields also warn about names of persons (``privacy/namecheck.py``).
``anonymous_fields_without_name_check`` finds any field that screens in anonymous mode but would
not run that check: the field lacks the ``name_check`` mark, or its form does not include
``NameCheckFormMixin`` (every form built on ``DKFDSFormMixin`` does). Anonymous model fields are
checked through the form field they generate.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from django import forms
from django.apps import apps
from django.db import connection, models, transaction

from .fields import PersonalDataRefused, PersonalDataValidator, is_screened
from .namecheck import NameCheckFormMixin, has_name_check

__all__ = [
    "NOT_FREE_TEXT_MODEL_FIELDS",
    "NOT_SCREENED_FORM_FIELDS",
    "anonymous_fields_without_name_check",
    "fields_not_screened_at_write",
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
    # The audit row is written only by audit.record, which screens every text of the row (keys and
    # values of `changes` included) before it computes the hash. A screened field type would add
    # nothing and would rebuild the append-only table with its trigger on SQLite.
    "core.AuditEvent.actor_label": "written and screened by audit.record (from Person.name, screened too)",
    "core.AuditEvent.action": "written and screened by audit.record: a code such as 'municipality.update_settings'",
    "core.AuditEvent.object_type": "written and screened by audit.record: a model label",
    "core.AuditEvent.object_id": "written and screened by audit.record: a primary key",
    "core.AuditEvent.object_label": "written and screened by audit.record from str() of the object",
    "core.AuditEvent.changes": "written and screened by audit.record, every key and value",
    "core.AuditEvent.prev_hash": "written by audit.record: a SHA-256 hex digest",
    "core.AuditEvent.hash": "written by audit.record: a SHA-256 hex digest",
    "core.AuditCheck.head_hash": "written by verify_audit: a SHA-256 hex digest",
    "core.AuditCheck.reason": "written by verify_audit: a fixed code for why a chain broke",
    "competence.UsefulMark.key": "written by competence.actions.toggle_useful: an HMAC-SHA-256 hex digest",
    "notifications.Notification.kind": "a key from notifications.kinds, checked by notify()",
    "notifications.Notification.url": "a path made with reverse() by the calling action, never typed by a person",
    "direction.RulesVersion.rules": (
        "a copy of the data rules written by direction.actions.save_data_rules from TierAllowance rows, "
        "whose notes are screened"
    ),
    "core.SubmissionToken.token_hash": "written by core.submission: a SHA-256 hex digest of a random token",
    "core.SubmissionToken.result_url": "written by core.submission: a URL the application reversed",
}

# "module.FormClass.field" -> why the field needs no screen.
NOT_SCREENED_FORM_FIELDS: Final[Mapping[str, str]] = {
    "forankring.core.forms.LoginForm.username": "a sign-in name, checked against the accounts and never stored",
    "forankring.core.forms.AuditFilterForm.person": "a search box on the log page; the text is never stored",
    "forankring.core.forms.PeopleFilterForm.q": "a search box on the people list; the text is never stored",
    "forankring.direction.forms.MayIUseForm.q": "a search box for tools on the 'Må jeg bruge' page; never stored",
    "forankring.practice.forms.QuestionForm.submission_token": (
        "the one-time token of core.submission: checked against its own format, stored only as a digest"
    ),
}

# Formats that rule out prose. (UUIDField and GenericIPAddressField are not CharFields.)
# Only file paths: a slug, a URL or an e-mail address can hold a CPR number.
_NOT_PROSE_MODEL_FIELDS: Final = (models.FilePathField,)
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


# 150372-1240 passes modulus 11 and reads as a CPR number in every mode of the screen.
SAMPLE_CPR: Final = "150372-1240"


def fields_not_screened_at_write(model_classes: Iterable[type[models.Model]] | None = None) -> list[str]:
    """Labels of screened model fields that let a CPR number through to the database when it
    is written without validation: through the field's `get_db_prep_save` (what inserts,
    `bulk_create`, `save` and `bulk_update` call) and through a real `QuerySet.update`, which
    compiles its SQL (and so screens) even when no row matches. Run inside a transaction that
    is rolled back; nothing is written either way."""
    found = []
    for model in project_models() if model_classes is None else model_classes:
        for field in model._meta.concrete_fields:
            if not is_screened(field):
                continue
            label = model_field_label(model, field)
            try:
                field.get_db_prep_save(SAMPLE_CPR, connection)
            except PersonalDataRefused:
                pass
            else:
                found.append(label)
                continue
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk__isnull=True).update(**{field.name: SAMPLE_CPR})
            except PersonalDataRefused:
                continue
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


def _screens_anonymously(field: forms.Field | models.Field[Any, Any]) -> bool:
    return any(isinstance(v, PersonalDataValidator) and v.anonymous for v in field.validators)


def anonymous_fields_without_name_check(
    form_classes: Iterable[type[forms.BaseForm]] | None = None,
    model_classes: Iterable[type[models.Model]] | None = None,
) -> list[str]:
    """Labels of anonymous fields (form fields, and model fields through their form field) that
    would not warn about names of persons."""
    found = []
    for form_class in project_form_classes() if form_classes is None else form_classes:
        runs_check = issubclass(form_class, NameCheckFormMixin)
        for name, field in _form_fields(form_class).items():
            if _screens_anonymously(field) and not (runs_check and has_name_check(field)):
                found.append(form_field_label(form_class, name))
    for model in project_models() if model_classes is None else model_classes:
        for model_field in model._meta.concrete_fields:
            if not _screens_anonymously(model_field):
                continue
            form_field = model_field.formfield()
            if form_field is None or not has_name_check(form_field):
                found.append(model_field_label(model, model_field))
    return found
