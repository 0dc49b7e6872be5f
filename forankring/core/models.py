"""The tenant, its organisation tree, its people, their roles, and the audit log.

Every tenant-owned table carries `municipality` and every unique constraint includes it, so
one PostgreSQL can hold all municipalities and could later be distributed by that column.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forankring.privacy.fields import ScreenedCharField, ScreenedEmailField, ScreenedSlugField, ScreenedURLField
from forankring.privacy.rules import K_MIN_FLOOR


def default_k_min() -> int:
    return int(settings.K_MIN_DEFAULT)


def default_level_names() -> list[str]:
    return ["Direktion", "Center", "Institution", "Team"]


class Municipality(models.Model):
    name = ScreenedCharField(_("navn"), max_length=100, unique=True, anonymous=False)
    slug = ScreenedSlugField(_("kort navn"), max_length=50, unique=True, anonymous=False)
    # Names of the levels in the organisation tree, from the root down. A municipality that
    # says "forvaltning" or "afdeling" changes them here; deeper levels reuse the last name.
    level_names = models.JSONField(_("niveaunavne"), default=default_level_names)
    accessibility_statement_url = ScreenedURLField(_("link til tilgængelighedserklæring"), blank=True, anonymous=False)
    k_min = models.PositiveSmallIntegerField(
        _("mindste gruppestørrelse"),
        default=default_k_min,
        validators=[MinValueValidator(K_MIN_FLOOR)],
        help_text=format_lazy(
            _("Tal fra grupper med færre svar vises ikke uden for gruppen. Mindst {floor}."), floor=K_MIN_FLOOR
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]
        constraints = [
            # The name keeps the number it was created with; the floor is K_MIN_FLOOR.
            models.CheckConstraint(condition=models.Q(k_min__gte=K_MIN_FLOOR), name="municipality_k_min_at_least_3")
        ]

    def __str__(self) -> str:
        return self.name

    def level_name(self, depth: int) -> str:
        names = self.level_names or default_level_names()
        return str(names[min(depth, len(names) - 1)])


class TenantModel(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class ProfessionalArea(TenantModel):
    """A fagområde such as daycare, elder care or case work."""

    name = ScreenedCharField(_("navn"), max_length=100, anonymous=False)

    class Meta:
        verbose_name = _("fagområde")
        verbose_name_plural = _("fagområder")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="professionalarea_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitManager(models.Manager["Unit"]):
    def create_in_tree(self, *, municipality: Municipality, name: str, parent: Unit | None = None) -> Unit:
        """Create a unit under `parent` (or a root) with its path and depth filled in."""
        unit = self.create(municipality=municipality, name=name, parent=parent, depth=parent.depth + 1 if parent else 0)
        unit.path = unit.tree_path()
        unit.save(update_fields=["path"])
        return unit


def ids_in_path(path: str) -> list[int]:
    """The unit ids in a materialised path such as "/1/5/12/", from the root down."""
    return [int(part) for part in path.strip("/").split("/") if part]


def under_paths(paths: Iterable[str], field: str = "path") -> models.Q:
    """A filter for the units at any of these materialised paths or below them; `field` is
    the path as the filtered model reaches it ("unit__path" for a membership). One indexed
    prefix test per path. No paths match nothing (never everything)."""
    covering = models.Q(pk__in=[])
    for path in paths:
        covering |= models.Q(**{f"{field}__startswith": path})
    return covering


class Unit(TenantModel):
    """A node in the organisation tree: direktion, centre, institution, team, ...

    `path` is a materialised path of primary keys ("/3/17/42/"), so a subtree is one indexed
    prefix query and role scopes can be checked without walking the tree.
    """

    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    name = ScreenedCharField(_("navn"), max_length=150, anonymous=False)
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(default=True)
    # Active people placed in this unit or anywhere below it, each counted once. Kept by the
    # one writer of memberships (`orgsync.refresh_head_counts`, in the same transaction), so
    # every page and every K_MIN check reads a figure instead of counting 45,000 people.
    head_count = models.PositiveIntegerField(default=0, editable=False)

    objects = UnitManager()

    class Meta:
        verbose_name = _("enhed")
        verbose_name_plural = _("enheder")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "parent", "name"], name="unit_unique_name_under_parent"),
            models.UniqueConstraint(
                fields=["municipality", "name"], condition=models.Q(parent__isnull=True), name="unit_one_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def path_ids(self) -> list[int]:
        """The ids on this unit's path, from the root down to the unit itself."""
        return ids_in_path(self.path)

    def tree_path(self) -> str:
        """The materialised path for this unit; needs its pk, so call it after the first save."""
        return f"{self.parent.path if self.parent else '/'}{self.pk}/"


class Person(TenantModel):
    """A member of staff in one municipality. A facilitator who works in several municipalities
    has one Person in each, all linked to the same sign-in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    # Screened although it is an identifier: an HR export may use the CPR number as the key, and
    # such a key must be refused rather than stored.
    employee_id = ScreenedCharField(_("medarbejdernummer"), max_length=50, blank=True, anonymous=False)
    # Names come from HR and are names by design; the screen finds numbers, not names.
    name = ScreenedCharField(_("navn"), max_length=150, anonymous=False)
    email = ScreenedEmailField(_("e-mail"), blank=True, anonymous=False)
    # The OpenID Connect `sub` (or the configured claim) that signs this person in. Screened:
    # a provider set up to send the CPR number as the subject must not get it stored.
    external_subject = ScreenedCharField(max_length=255, blank=True, anonymous=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name", "pk"]
        # The people list pages through the municipality in this order.
        indexes = [models.Index(fields=["municipality", "name", "id"], name="person_name_order_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "employee_id"],
                condition=~models.Q(employee_id=""),
                name="person_unique_employee_id",
            ),
            models.UniqueConstraint(
                fields=["municipality", "user"], condition=models.Q(user__isnull=False), name="person_unique_user"
            ),
            models.UniqueConstraint(
                fields=["municipality", "external_subject"],
                condition=~models.Q(external_subject=""),
                name="person_unique_external_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A person's place in a unit, as HR knows it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    job_title = ScreenedCharField(_("stilling"), max_length=150, blank=True, anonymous=False)
    professional_area = models.ForeignKey(
        ProfessionalArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    is_leader = models.BooleanField(_("leder"), default=False)

    class Meta:
        verbose_name = _("tilknytning")
        verbose_name_plural = _("tilknytninger")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person", "unit"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id}"


class Role(models.TextChoices):
    EXECUTIVE = "executive", _("Direktion")
    LEADER = "leader", _("Leder")
    EMPLOYEE = "employee", _("Medarbejder")
    LIGHTHOUSE = "lighthouse", _("Fyrtårn")
    IT = "it", _("IT")
    MED = "med", _("MED-repræsentant")
    FACILITATOR = "facilitator", _("Facilitator")
    ADMIN = "admin", _("Administrator")


class RoleAssignment(TenantModel):
    """A role held in a unit; it covers the unit's whole subtree."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Tildelt af administrator")
        IMPORT = "import", _("Fra organisationsfil")
        SSO = "sso", _("Fra log-ind")
        # Given with an appointment in a track (a lighthouse), and taken away when it ends.
        APPOINTED = "appointed", _("Fra udpegning")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="role_assignments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rolle")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person", "role", "unit"], name="roleassignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} @ {self.unit_id}"


class AppendOnlyError(Exception):
    """The audit log is never changed or deleted through the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    # Defence in depth: the chain detects edits, but the application should not even try.
    # Deleting a whole municipality still cascades (Django's collector deletes without this).
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events cannot be updated")

    def clear_payload_for_redaction(self) -> int:
        """Empty the text of rows that have an AuditRedaction. Only `audit.redact` calls this;
        the database trigger refuses any other update, and this one for a row without its
        AuditRedaction."""
        return super().update(actor_label="", object_label="", changes={})

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(TenantModel):
    """Append-only log of every change. Each row's hash covers its content and the previous
    row's hash within the municipality, so an edited or deleted row breaks the chain.

    Only `forankring.core.audit.record` writes rows. Updates are refused here and, as a last
    line, by a database trigger (migration 0002); deletes are refused here and detected by
    `manage.py verify_audit`."""

    seq = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The actor's name when the row was written, so the log reads the same after a rename.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("logpost")
        verbose_name_plural = _("log")
        ordering = ["-seq"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "seq"], name="auditevent_unique_seq"),
        ]
        indexes = [models.Index(fields=["municipality", "action"], name="auditevent_action_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events cannot be deleted")


class AuditCheck(TenantModel):
    """The result of one verification of a municipality's audit chain.

    The last good check also anchors the chain: rows up to its `head_seq` must still be there
    with the same hash, so cutting rows off the end (which leaves a valid chain) is caught too.
    """

    checked_at = models.DateTimeField()
    ok = models.BooleanField()
    rows = models.PositiveBigIntegerField()
    head_seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64, blank=True)
    broken_seq = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("kontrol af log")
        verbose_name_plural = _("kontroller af log")
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "ok", "-checked_at"], name="auditcheck_latest_idx")]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.checked_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'broken'}"


class AuditRedaction(TenantModel):
    """Personal data that reached the audit log anyway was taken out of this row (docs/privacy.md).

    The row keeps its place, its hash and its metadata; its actor label, object label and changes
    are emptied. The chain stays verifiable because a redaction event ("audit.redact") appended
    after it records the row's hash and metadata, and `audit.check_chain` checks the redacted row
    against that event instead of against its lost text. The database trigger lets an audit row's
    text be emptied only when a row of this table names it.
    """

    event = models.OneToOneField(AuditEvent, on_delete=models.CASCADE, related_name="redaction")
    redacted_at = models.DateTimeField()
    # Why, in the operator's words (e.g. the data-protection request's case number); screened.
    reason = ScreenedCharField(_("begrundelse"), max_length=200, anonymous=False)

    class Meta:
        verbose_name = _("fjernelse af personoplysninger fra log")
        verbose_name_plural = _("fjernelser af personoplysninger fra log")

    def __str__(self) -> str:
        return f"{self.municipality_id} #{self.event_id}"


class HealthProbe(models.Model):
    """One row that the readiness check (/sundhed/klar/) rewrites to learn that writes succeed.

    Not tenant data: it holds only the time of the last check.
    """

    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"health probe {self.checked_at:%Y-%m-%d %H:%M:%S}"


class SubmissionToken(models.Model):
    """A form's one-time submission token, spent in the same transaction as what the form creates.

    Keyed by the token's hash within a municipality, so a repeated submit (a retry after a time-out,
    a double click) finds it spent and creates nothing. No person column: anonymous forms use it
    too. `result_url` is where the first submit led; empty for anonymous forms, so the token can
    never tie an anonymous contribution to a time or to the form someone opened. Rows past
    `expires_on` are deleted as new tokens are spent.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500, blank=True)
    expires_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "token_hash"], name="submission_token_once"),
        ]
        indexes = [models.Index(fields=["expires_on"], name="submission_token_expiry")]

    def __str__(self) -> str:
        return f"submission token {self.token_hash[:8]}…"
