"""The schema rules that let one database hold every municipality and be distributed by
`municipality_id` (docs/scaling.md): every tenant table has a non-null `municipality` foreign
key, and every unique constraint on it includes `municipality`."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test.utils import isolate_apps

from forankring.core.models import Municipality

# Tables that are not a municipality's: the tenant list itself, a reference table under Citus.
REFERENCE_MODELS: frozenset[type[models.Model]] = frozenset({Municipality})

# Known gaps, each with its reason; docs/scaling.md lists them under "what must change". A
# one-to-one link to a row of one municipality is unique within that municipality in practice,
# but Citus wants the distribution column in every unique index, so these become a foreign key
# plus a unique (municipality, ...) constraint before the tables are distributed. The list is
# exact: a new gap fails the test, and so does a fixed one left here.
KNOWN_GAPS: dict[str, str] = {
    "core.AuditRedaction.event is unique on its own, across municipalities": "one-to-one to an audit row",
    "core.HealthProbe has no municipality column": "the readiness check's own row; no tenant data",
    "direction.ConcernAnswer.concern is unique on its own, across municipalities": "one-to-one to a concern",
    "notifications.Preference.person is unique on its own, across municipalities": "one-to-one to a person",
    "notifications.DigestRun has no municipality column": "when the digest job last ran; no tenant data",
    "practice.UseCase.idea is unique on its own, across municipalities": "one-to-one to an idea",
    "practice.UseCase.anonymous_idea is unique on its own, across municipalities": "one-to-one to an idea",
}


def _our_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("forankring.") and m not in REFERENCE_MODELS]


def problems_with(model: type[models.Model]) -> list[str]:
    name = model._meta.label
    found = []
    try:
        field = model._meta.get_field("municipality")
    except FieldDoesNotExist:
        return [f"{name} has no municipality column"]
    if not (isinstance(field, models.ForeignKey) and field.related_model is Municipality) or field.null:
        found.append(f"{name}.municipality is not a required foreign key to Municipality")
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and "municipality" not in constraint.fields:
            found.append(f"{name}: unique constraint {constraint.name} does not include municipality")
    for fields in model._meta.unique_together:
        if "municipality" not in fields:
            found.append(f"{name}: unique_together {fields} does not include municipality")
    for f in model._meta.local_fields:
        if f.unique and not f.primary_key:
            found.append(f"{name}.{f.name} is unique on its own, across municipalities")
    return found


def test_it_finds_every_tenant_table():
    labels = {m._meta.label for m in _our_models()}
    assert {"core.Unit", "core.Person", "core.Membership", "core.AuditEvent", "privacy.Concern"} <= labels


def test_every_tenant_table_has_municipality_in_every_unique_constraint():
    found = [problem for model in _our_models() for problem in problems_with(model)]
    new = [problem for problem in found if problem not in KNOWN_GAPS]
    assert not new, "\n".join(new)
    assert sorted(set(KNOWN_GAPS) - set(found)) == [], "fixed: take it off KNOWN_GAPS"


@isolate_apps("forankring.core")
def test_it_catches_a_table_that_breaks_the_rules():
    # The check above passes only if it can fail: Municipality itself has unique names.
    assert "core.Municipality has no municipality column" in problems_with(Municipality)

    class Unscoped(models.Model):
        municipality = models.ForeignKey(Municipality, null=True, on_delete=models.CASCADE, related_name="+")
        code = models.CharField(max_length=10, unique=True)
        name = models.CharField(max_length=10)

        class Meta:
            app_label = "core"
            constraints = [models.UniqueConstraint(fields=["name"], name="unscoped_name")]

        def __str__(self) -> str:
            return self.name

    found = "\n".join(problems_with(Unscoped))
    assert "municipality is not a required foreign key" in found
    assert "unique constraint unscoped_name does not include municipality" in found
    assert "code is unique on its own" in found
