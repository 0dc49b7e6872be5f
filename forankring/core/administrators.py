"""The one rule for administrators: a municipality that has an active administrator keeps one.

Every path that can take the role away, or make its holder inactive, asks this module: the
administrator page (`actions.revoke_role`), the organisation file (`orgsync` plans it and
`actions.import_organisation` checks it again under lock) and sign-in claims
(`actions.sync_sso_sign_in`, `actions.drop_sso_roles`). Nobody is locked out of running their
municipality by a claim that changed at the identity provider or a file that left someone out.
A municipality that has no active administrator today (a broken set-up) is not blocked by it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from .models import Role, RoleAssignment


class LastAdministratorError(Exception):
    """Refused: the change would leave the municipality without an active administrator."""


@dataclass(frozen=True)
class AdminRole:
    assignment_id: int
    person_id: int
    person_active: bool


def leaves_no_administrator(
    admin_roles: Iterable[AdminRole],
    *,
    removing_roles: Collection[int] = (),
    deactivating: Collection[int] = (),
    activating: Collection[int] = (),
) -> bool:
    """Whether the change takes away the last active administrator.

    `removing_roles` are RoleAssignment ids to delete, `deactivating` and `activating` Person ids
    whose `is_active` the change sets."""
    roles = list(admin_roles)
    before = {r.person_id for r in roles if r.person_active}
    after = {
        r.person_id
        for r in roles
        if r.assignment_id not in removing_roles
        and r.person_id not in deactivating
        and (r.person_active or r.person_id in activating)
    }
    return bool(before) and not after


def admin_roles(municipality_id: int, *, lock: bool) -> list[AdminRole]:
    """The municipality's administrator roles. With `lock` (inside a transaction) the rows are
    locked, so two changes at once - two administrators removing each other, an import and a
    sign-in - cannot both pass the rule. of=("self",) keeps the lock off the people."""
    query = RoleAssignment.objects.filter(municipality_id=municipality_id, role=Role.ADMIN)
    if lock:
        query = query.select_for_update(of=("self",))
    return [
        AdminRole(pk, person_id, active)
        for pk, person_id, active in query.values_list("pk", "person_id", "person__is_active")
    ]


def ensure_administrator_remains(
    municipality_id: int,
    *,
    removing_roles: Collection[int] = (),
    deactivating: Collection[int] = (),
    activating: Collection[int] = (),
) -> None:
    """Raise LastAdministratorError if the change leaves no active administrator. Call it inside
    the transaction that makes the change, before making it."""
    roles = admin_roles(municipality_id, lock=True)
    if leaves_no_administrator(roles, removing_roles=removing_roles, deactivating=deactivating, activating=activating):
        raise LastAdministratorError
