"""Privacy models: the first real anonymous contribution, and the data classes and tool tiers
that the AI-kompas is built from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from forankring.core.models import TenantModel, Unit

from .anonymous import AnonymousContribution
from .fields import ScreenedCharField, ScreenedSlugField, ScreenedTextField


class Concern(AnonymousContribution):
    """A concern or a wish about the AI rules, routed to the leaders and MED of a unit.

    Anonymous: there is no author column, and `unit` is the part of the organisation the
    concern is about, not where its author sits. `submit_concern` only accepts units big enough
    that the author is one of at least K_MIN people.
    """

    class Kind(models.TextChoices):
        CONCERN = "bekymring", _("Bekymring")
        WISH = "oenske", _("Ønske")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    text = ScreenedTextField(_("tekst"), max_length=2000, anonymous=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed"))

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("bekymring eller ønske")
        verbose_name_plural = _("bekymringer og ønsker")
        indexes = [models.Index(fields=["municipality", "unit"], name="concern_unit_idx")]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class Localized(models.Model):
    """Seeded reference data in two languages: the Danish field (`name`) and its English twin
    (`name_en`). The defaults carry both; a municipality may override either. Pages read
    `localized("name")`, which falls back to Danish when the English is empty."""

    class Meta:
        abstract = True

    def localized(self, field: str) -> str:
        if (get_language() or "da").startswith("en"):
            english = getattr(self, f"{field}_en", "")
            if english:
                return str(english)
        return str(getattr(self, field))

    @property
    def display_name(self) -> str:
        return self.localized("name")

    @property
    def display_description(self) -> str:
        return self.localized("description")


class DataClass(TenantModel, Localized):
    """A class of data, from public to confidential under the duty of secrecy (PRIVACY.md)."""

    key = ScreenedSlugField(_("nøgle"), max_length=40, anonymous=False)
    name = ScreenedCharField(_("navn"), max_length=100, anonymous=False)
    description = ScreenedTextField(_("beskrivelse"), blank=True, anonymous=False)
    name_en = ScreenedCharField(_("navn på engelsk"), max_length=100, blank=True, anonymous=False)
    description_en = ScreenedTextField(_("beskrivelse på engelsk"), blank=True, anonymous=False)
    # 0 is the least sensitive. Used for ordering and for "this class or anything less
    # sensitive" rules in the AI-kompas.
    sensitivity = models.PositiveSmallIntegerField(_("følsomhed"))

    class Meta:
        verbose_name = _("dataklasse")
        verbose_name_plural = _("dataklasser")
        ordering = ["sensitivity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="dataclass_unique_key"),
            models.UniqueConstraint(fields=["municipality", "name"], name="dataclass_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ToolTier(TenantModel, Localized):
    """A tier of AI tool, from public consumer tools to professional systems with built-in AI."""

    key = ScreenedSlugField(_("nøgle"), max_length=40, anonymous=False)
    name = ScreenedCharField(_("navn"), max_length=100, anonymous=False)
    description = ScreenedTextField(_("beskrivelse"), blank=True, anonymous=False)
    name_en = ScreenedCharField(_("navn på engelsk"), max_length=100, blank=True, anonymous=False)
    description_en = ScreenedTextField(_("beskrivelse på engelsk"), blank=True, anonymous=False)
    position = models.PositiveSmallIntegerField(_("rækkefølge"))

    class Meta:
        verbose_name = _("værktøjstype")
        verbose_name_plural = _("værktøjstyper")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="tooltier_unique_key"),
            models.UniqueConstraint(fields=["municipality", "name"], name="tooltier_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TierAllowance(TenantModel, Localized):
    """Whether one class of data may go into one tier of tool, with a short note on how.

    Three answers, not two: "only if" (after an assessment, with a legal basis) is neither a
    plain yes nor a no, and reads as a contradiction when squeezed into either."""

    class State(models.TextChoices):
        ALLOWED = "allowed", _("Tilladt")
        ONLY_IF = "only_if", _("Kun hvis …")
        NOT_ALLOWED = "not_allowed", _("Ikke tilladt")

    data_class = models.ForeignKey(DataClass, on_delete=models.CASCADE, related_name="allowances")
    tool_tier = models.ForeignKey(ToolTier, on_delete=models.CASCADE, related_name="allowances")
    state = models.CharField(_("svar"), max_length=20, choices=State.choices, default=State.NOT_ALLOWED)
    note = ScreenedCharField(_("bemærkning"), max_length=300, blank=True, anonymous=False)
    note_en = ScreenedCharField(_("bemærkning på engelsk"), max_length=300, blank=True, anonymous=False)

    class Meta:
        verbose_name = _("tilladelse")
        verbose_name_plural = _("tilladelser")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "data_class", "tool_tier"], name="tierallowance_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_class_id} × {self.tool_tier_id}: {self.state}"

    @property
    def display_note(self) -> str:
        return self.localized("note")
