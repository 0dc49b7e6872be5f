"""Rollouts done the way the seed asks: not "IT installs it, a mail says AI is ready, the
licences are paid and nothing changes", but leaders who have tried the tool themselves,
concrete tasks found first, one named leader who owns the first 30 days, and each employee
solving one concrete problem of their own.

A rollout brings one tool from the register to one unit (and what is below it), or scales a
closed pilot. Its readiness is not stored: it is read from the other tracks every time
(queries_rollout.readiness), so it is never out of date.

"Mit ene konkrete problem" (ConcreteProblem) is named data about the person who wrote it, and
only that person reads it: it is not anonymous (the person can change and delete it, and the
row says whose it is), but no page, export, notification or audit row shows its text to anyone
else. The unit sees how many have noted one, and only through the suppression helper."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, TenantModel, Unit
from forankring.direction.models import Tool
from forankring.privacy.fields import ScreenedTextField

from .pilot import Pilot

ROLLOUT_DAYS = 30
PLAN_WEEKS = 4


class Rollout(TenantModel):
    tool = models.ForeignKey(Tool, on_delete=models.PROTECT, related_name="+", verbose_name=_("værktøj"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed"))
    pilot = models.ForeignKey(
        Pilot,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("udbreder afprøvningen"),
    )
    # The leader who owns adoption for the first 30 days. Chosen after the rollout is made (the
    # unit must be known first), so it may be empty for a while: the readiness check says so.
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ejer")
    )
    purpose = ScreenedTextField(
        _("det skal værktøjet hjælpe med"),
        max_length=1000,
        anonymous=False,
        help_text=_("Skriv opgaverne i hverdagen, ikke værktøjets funktioner."),
    )
    starts_on = models.DateField(_("start"))
    gains = ScreenedTextField(_("gevinster"), max_length=2000, blank=True, anonymous=False)
    barriers = ScreenedTextField(_("barrierer"), max_length=2000, blank=True, anonymous=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The last week (1–4) whose prompt the owner was reminded of; 5 once the closing note was
    # asked for. Keeps `remind_rollout_owners` from telling anyone twice.
    reminded_week = models.PositiveSmallIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("udrulning")
        verbose_name_plural = _("udrulninger")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-starts_on"], name="rollout_start_idx"),
            models.Index(fields=["municipality", "owner"], name="rollout_owner_idx"),
        ]

    def __str__(self) -> str:
        # Two foreign keys: callers select_related("tool", "unit").
        return f"{self.tool.name} – {self.unit.name}"


class RolloutWeek(TenantModel):
    """One week of the 30-day plan ticked off by the owner, with a short note."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="weeks")
    week = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(PLAN_WEEKS)])
    note = ScreenedTextField(_("kort note"), max_length=1000, blank=True, anonymous=False)
    done_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField()

    class Meta:
        verbose_name = _("uge i planen")
        verbose_name_plural = _("uger i planen")
        ordering = ["week"]
        constraints = [models.UniqueConstraint(fields=["municipality", "rollout", "week"], name="rolloutweek_once")]

    def __str__(self) -> str:
        return f"{self.rollout_id}: {self.week}"


class ConcreteProblem(TenantModel):
    """One employee's own concrete problem to solve with the rollout's tool. Read only by that
    person (access.can_read_concrete_problem); the text never leaves their own page."""

    rollout = models.ForeignKey(Rollout, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = ScreenedTextField(
        _("mit ene konkrete problem"),
        max_length=600,
        anonymous=False,
        help_text=_("Én opgave fra din egen hverdag, fx »Det tager mig en time at skrive ugeplanen«."),
    )
    solved = models.BooleanField(_("jeg har løst det"), default=False)

    class Meta:
        verbose_name = _("konkret problem")
        verbose_name_plural = _("konkrete problemer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "rollout", "person"], name="concreteproblem_once")
        ]

    def __str__(self) -> str:
        # Never the text: this is what an audit row or an error message would show.
        return str(_("Mit ene konkrete problem"))
