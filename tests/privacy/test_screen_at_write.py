"""The screened fields refuse personal data where it is written, on every ORM path, without
anyone calling full_clean()."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat

from forankring.core.models import Municipality, Person, Unit
from forankring.privacy.fields import PersonalDataRefused
from forankring.privacy.models import Concern
from tests.factories import Personas

CPR = "150372-1240"
MASKED = "150372-XXXX"


def _save_new(p: Personas) -> None:
    Unit(municipality=p.municipality, name=f"Team {CPR}").save()


def _save_update_fields(p: Personas) -> None:
    p.team.name = f"Team {CPR}"
    p.team.save(update_fields=["name"])


def _bulk_update(p: Personas) -> object:
    p.team.name = f"Team {CPR}"
    return Unit.objects.bulk_update([p.team], ["name"])


PATHS: dict[str, Callable[[Personas], object]] = {
    "create": lambda p: Person.objects.create(municipality=p.municipality, name=f"Jens {CPR}"),
    "save (insert)": _save_new,
    "save (update_fields)": _save_update_fields,
    "bulk_create": lambda p: Person.objects.bulk_create(
        [Person(municipality=p.municipality, name="Anne"), Person(municipality=p.municipality, name=f"Jens {CPR}")]
    ),
    "QuerySet.update": lambda p: Unit.objects.filter(pk=p.team.pk).update(name=f"Team {CPR}"),
    "bulk_update": _bulk_update,
    "get_or_create": lambda p: Person.objects.get_or_create(municipality=p.municipality, name=f"Jens {CPR}"),
    "update_or_create": lambda p: Person.objects.update_or_create(pk=p.employee.pk, defaults={"employee_id": CPR}),
    "an expression in update": lambda p: Unit.objects.filter(pk=p.team.pk).update(
        name=Concat(Value("Team 150372-"), Value("1240"))
    ),
    "a related manager": lambda p: p.employee.memberships.update(job_title=f"Pædagog {CPR}"),
    "the base manager": lambda p: Person._base_manager.filter(pk=p.employee.pk).update(name=CPR),
    "an anonymous field": lambda p: Concern.objects.create(
        municipality=p.municipality, unit=p.root, kind=Concern.Kind.WISH, text=f"cpr {CPR}", created_on="2026-12-01"
    ),
    "a slug": lambda p: Municipality.objects.filter(pk=p.municipality.pk).update(slug=CPR),
    "an e-mail address": lambda p: Person.objects.filter(pk=p.employee.pk).update(email=f"{CPR}@kommune.test"),
}


@pytest.mark.parametrize("path", PATHS)
def test_it_refuses_a_cpr_number_on_every_write_path(personas, path):
    names_before = sorted(Person.objects.values_list("name", flat=True))
    units_before = sorted(Unit.objects.values_list("name", flat=True))
    with pytest.raises(PersonalDataRefused) as refused, transaction.atomic():
        PATHS[path](personas)
    message = str(refused.value)
    assert MASKED in message
    assert "1240" not in message
    assert sorted(Person.objects.values_list("name", flat=True)) == names_before
    assert sorted(Unit.objects.values_list("name", flat=True)) == units_before


def test_it_names_the_model_field_and_keys_the_error_by_field(personas):
    with pytest.raises(PersonalDataRefused) as refused, transaction.atomic():
        Person.objects.create(municipality=personas.municipality, name=f"Jens {CPR}")
    assert refused.value.label == "core.Person.name"
    assert list(refused.value.message_dict) == ["name"]
    assert str(refused.value).startswith("core.Person.name: Feltet ser ud til at indeholde et CPR-nummer: 150372-XXXX.")


def test_it_blocks_e_mail_and_phone_only_in_anonymous_fields(personas):
    with pytest.raises(PersonalDataRefused), transaction.atomic():
        Concern.objects.create(
            municipality=personas.municipality,
            unit=personas.root,
            kind=Concern.Kind.WISH,
            text="skriv til anne@kommune.test",
            created_on="2026-12-01",
        )
    # A named field may hold contact details.
    Unit.objects.filter(pk=personas.team.pk).update(name="Team Sol, tlf. 12345678")


def test_it_leaves_lookups_and_harmless_text_alone(personas):
    # Filtering by a number is reading, not writing: nothing is refused.
    assert not Person.objects.filter(name=CPR).exists()
    Unit.objects.filter(pk=personas.team.pk).update(name="Team 7, lokale 1.12")
    Person.objects.bulk_create([Person(municipality=personas.municipality, name="Anne Andersen")])
    assert Unit.objects.get(pk=personas.team.pk).name == "Team 7, lokale 1.12"
