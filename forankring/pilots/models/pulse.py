"""The weekly pulse of a running pilot: how is it going (1–5), and what made it easier or harder.

An answer is an `AnonymousContribution`: no author, a random key, and only the week it belongs
to (its `created_on` is set to the week's Monday, so not even the weekday is kept). That each
participant answers once a week is enforced by `PulseReceipt`, a separate table of HMACs of
(pilot, person, week) with no link to any answer, no week and no time: the answer cannot be
found from the receipt, nor the receipt from the answer (docs/privacy.md, "Counting without
knowing who")."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import TenantModel
from forankring.privacy.anonymous import AnonymousContribution
from forankring.privacy.fields import ScreenedTextField

from .pilot import Pilot

SCORES = (1, 2, 3, 4, 5)


class PilotPulse(TenantModel):
    """A pilot's weekly pulse, made when the pilot starts. The answers hang on this row rather
    than on the pilot itself: the pilot names people (its leader, who approved it), and an
    anonymous item may not point at a row that does (privacy.checks)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="pulses")

    class Meta:
        verbose_name = _("ugentlig puls")
        verbose_name_plural = _("ugentlige pulser")
        constraints = [models.UniqueConstraint(fields=["municipality", "pilot"], name="pilotpulse_once")]

    def __str__(self) -> str:
        return f"pulse of pilot {self.pilot_id}"


class PulseAnswer(AnonymousContribution):
    pulse = models.ForeignKey(PilotPulse, on_delete=models.CASCADE, related_name="answers")
    # The Monday of the ISO week the answer is for; the only point in time an answer carries.
    week = models.DateField(_("uge"))
    score = models.PositiveSmallIntegerField(
        _("hvordan går det?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    easier = ScreenedTextField(_("det gjorde det lettere"), max_length=600, blank=True, anonymous=True)
    harder = ScreenedTextField(_("det gjorde det sværere"), max_length=600, blank=True, anonymous=True)

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("puls")
        verbose_name_plural = _("pulser")
        indexes = [models.Index(fields=["municipality", "pulse", "week"], name="pulse_week_idx")]

    def __str__(self) -> str:
        return f"{self.week}: {self.score}"


class PulseReceipt(TenantModel):
    """That someone has answered some pilot's pulse some week: an HMAC-SHA-256 of (pilot,
    person, week) under a key derived from SECRET_KEY, and nothing else. A random primary key
    keeps the rows out of arrival order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="pulsereceipt_once")]

    def __str__(self) -> str:
        return "pulse receipt"
