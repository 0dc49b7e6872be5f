"""A municipality keeps an administrator on every path: the administrator page, the organisation
file and changed sign-in claims all ask the one rule in core/administrators.py."""

from __future__ import annotations

import json

import pytest

from forankring.core import actions, administrators, oidc
from forankring.core.administrators import AdminRole, leaves_no_administrator
from forankring.core.models import Person, Role, RoleAssignment
from forankring.core.orgfile import OrgRow
from tests.factories import Personas

MAPPING = {
    "claim": "roles",
    "rules": [
        {"value": "Forankring.Admin", "role": "admin", "unit": "root"},
        {"value": "Forankring.Medarbejder", "role": "employee", "unit": "root"},
    ],
}


# --- the rule itself -------------------------------------------------------------------------


def test_the_rule_refuses_only_a_change_that_leaves_no_active_administrator():
    roles = [AdminRole(1, 10, True), AdminRole(2, 20, True), AdminRole(3, 30, False)]
    assert not leaves_no_administrator(roles, removing_roles={1})
    assert leaves_no_administrator(roles, removing_roles={1, 2})
    assert leaves_no_administrator(roles, removing_roles={1}, deactivating={20})
    assert not leaves_no_administrator(roles, removing_roles={1, 2}, activating={30})
    # One person with the role twice: taking one of them away leaves the person an administrator.
    assert not leaves_no_administrator([AdminRole(1, 10, True), AdminRole(2, 10, True)], removing_roles={1})
    # A municipality without an active administrator today is not blocked by the rule.
    assert not leaves_no_administrator([AdminRole(3, 30, False)], removing_roles={3})


# --- the administrator page ------------------------------------------------------------------


def test_the_page_path_refuses_to_remove_the_last_administrator(personas):
    only = RoleAssignment.objects.get(municipality=personas.municipality, role=Role.ADMIN)
    with pytest.raises(administrators.LastAdministratorError):
        actions.revoke_role(actor=personas.admin, assignment=only)
    assert RoleAssignment.objects.filter(pk=only.pk).exists()


# --- the organisation file -------------------------------------------------------------------


def _row(employee_id: str, name: str) -> OrgRow:
    return OrgRow(
        line=2,
        employee_id=employee_id,
        name=name,
        email="",
        unit_path=("Direktionen",),
        job_title="",
        professional_area="",
        is_leader=False,
    )


def test_the_file_path_refuses_to_make_the_last_administrator_inactive(personas):
    personas.admin.employee_id = "A1"
    personas.admin.save(update_fields=["employee_id"])
    with pytest.raises(actions.OrganisationImportRefused) as refused:
        actions.import_organisation(
            actor=None, municipality=personas.municipality, rows=[_row("E9", "Eva Ny")], source_name="a.csv"
        )
    assert any("sidste administrator" in reason for reason in refused.value.reasons)
    personas.admin.refresh_from_db()
    assert personas.admin.is_active


# --- sign-in claims --------------------------------------------------------------------------


@pytest.fixture
def sso(settings, personas: Personas) -> Personas:
    settings.OIDC_MUNICIPALITY_SLUG = personas.municipality.slug
    settings.OIDC_CLAIM_MAPPING = json.dumps(MAPPING)
    settings.OIDC_CLAIM_MAPPING_FILE = ""
    settings.OIDC_EMPLOYEE_ID_CLAIM = "employee_id"
    # The administrator's role came from sign-in, not by hand: the provider owns it.
    RoleAssignment.objects.filter(municipality=personas.municipality, role=Role.ADMIN).update(
        source=RoleAssignment.Source.SSO
    )
    personas.admin.employee_id = "A1"
    personas.admin.save(update_fields=["employee_id"])
    return personas


def _sign_in(roles: list[str]) -> tuple[object, Person]:
    return oidc.sign_in_with_claims({"sub": "sub-admin", "employee_id": "A1", "roles": roles})


def _admin_roles(personas: Personas) -> list[tuple[int, str]]:
    return list(
        RoleAssignment.objects.filter(municipality=personas.municipality, role=Role.ADMIN).values_list(
            "person_id", "source"
        )
    )


def test_a_changed_claim_keeps_the_last_administrators_role(sso, caplog):
    _sign_in(["Forankring.Admin", "Forankring.Medarbejder"])
    _sign_in(["Forankring.Medarbejder"])
    assert _admin_roles(sso) == [(sso.admin.pk, "sso")]
    assert "last one" in caplog.text


def test_a_changed_claim_removes_the_role_when_someone_else_administers(sso):
    _sign_in(["Forankring.Admin", "Forankring.Medarbejder"])
    other = Person.objects.create(municipality=sso.municipality, name="Anden Admin")
    RoleAssignment.objects.create(municipality=sso.municipality, person=other, role=Role.ADMIN, unit=sso.root)
    _sign_in(["Forankring.Medarbejder"])
    assert _admin_roles(sso) == [(other.pk, "manual")]


def test_claims_with_no_role_left_keep_the_last_administrators_role(sso):
    _sign_in(["Forankring.Admin"])
    with pytest.raises(oidc.SignInRefused):
        _sign_in([])
    assert _admin_roles(sso) == [(sso.admin.pk, "sso")]


def test_an_inactive_other_administrator_does_not_count(sso):
    _sign_in(["Forankring.Admin", "Forankring.Medarbejder"])
    other = Person.objects.create(municipality=sso.municipality, name="Gammel Admin", is_active=False)
    RoleAssignment.objects.create(municipality=sso.municipality, person=other, role=Role.ADMIN, unit=sso.root)
    _sign_in(["Forankring.Medarbejder"])
    assert (sso.admin.pk, "sso") in _admin_roles(sso)
