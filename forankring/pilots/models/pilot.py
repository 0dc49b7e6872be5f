"""The pilot: a small, safe, time-boxed trial of a use case in one or more teams."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, TenantModel, Unit
from forankring.direction.models import Tool
from forankring.practice.models import UseCase
from forankring.privacy.fields import ScreenedCharField, ScreenedTextField
from forankring.privacy.models import DataClass

DEFAULT_WEEKS = 4
# Longer than this is no longer "time-boxed" without a written reason.
MAX_WEEKS_WITHOUT_REASON = 12


class Pilot(TenantModel):
    class Status(models.TextChoices):
        IDEA = "idea", _("Idé")
        APPROVED = "approved", _("Godkendt")
        RUNNING = "running", _("I gang")
        EVALUATING = "evaluating", _("Evalueres")
        CLOSED = "closed", _("Afsluttet")

    class Decision(models.TextChoices):
        SCALE = "scale", _("Udbred")
        ADJUST = "adjust", _("Justér og prøv igen")
        STOP = "stop", _("Stop")

    class AiActFlag(models.TextChoices):
        # A forbidden use (art. 5) is refused by the action and never stored; what is stored is
        # whether the pilot touches a high-risk area (annex III) and so waits for legal review.
        NONE = "none", _("Ingen særlig risiko fundet")
        HIGH_RISK = "high_risk", _("Højrisikoområde – kræver juridisk vurdering")

    title = ScreenedCharField(
        _("titel"),
        max_length=150,
        anonymous=False,
        help_text=_("Fx »AI til referater i 4 uger« eller »AI til ugeplaner i to teams«."),
    )
    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="pilots", verbose_name=_("anvendelse"))
    units = models.ManyToManyField(Unit, related_name="+", verbose_name=_("teams"))
    leader = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarlig leder"))
    goal = ScreenedTextField(_("mål"), max_length=1500, anonymous=False)
    look_at = ScreenedTextField(
        _("det ser vi efter"),
        max_length=1500,
        anonymous=False,
        help_text=_("Hvad vil I holde øje med undervejs – tid, kvalitet, arbejdsmiljø?"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("slut"))
    long_reason = ScreenedTextField(_("hvorfor længere end 12 uger"), max_length=1000, blank=True, anonymous=False)
    # The checklist of a good pilot.
    small_and_safe = models.BooleanField(_("lille, tryg og tidsafgrænset"), default=False)
    data_classes = models.ManyToManyField(DataClass, blank=True, related_name="+", verbose_name=_("data"))
    tools = models.ManyToManyField(Tool, blank=True, related_name="+", verbose_name=_("værktøjer"))
    med_considered = models.BooleanField(_("arbejdsmiljøet er drøftet med MED"), default=False)
    med_note = ScreenedTextField(_("det aftalte vi med MED"), max_length=1000, blank=True, anonymous=False)
    human_decides = ScreenedTextField(_("her beslutter et menneske"), max_length=1000, anonymous=False)
    ai_act_flag = models.CharField(
        _("EU's AI-forordning"), max_length=10, choices=AiActFlag.choices, default=AiActFlag.NONE
    )
    # The keys of the high-risk areas (rules.HIGH_RISK) the leader's answers touched; never free text.
    ai_act_areas = ScreenedCharField(_("højrisikoområder"), max_length=200, blank=True, anonymous=False)
    legal_review_note = ScreenedTextField(
        _("juridisk vurdering"),
        max_length=2000,
        blank=True,
        anonymous=False,
        help_text=_("Hvem har vurderet afprøvningen, hvad blev konklusionen, og hvilke krav skal den leve op til?"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.IDEA)
    decision = models.CharField(_("beslutning"), max_length=10, choices=Decision.choices, blank=True)
    decision_note = ScreenedTextField(_("begrundelse"), max_length=1500, blank=True, anonymous=False)
    approved_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # Set by the action, never typed; empty once the person who proposed it has left (SET_NULL),
    # which must not stop the pilot from moving on.
    created_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("afprøvning")
        verbose_name_plural = _("afprøvninger")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "status", "-starts_on"], name="pilot_status_idx")]

    def __str__(self) -> str:
        return self.title


class PilotStatusChange(TenantModel):
    """One step of a pilot's history: from which status to which, who decided and why."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=12, choices=Pilot.Status.choices)
    to_status = models.CharField(max_length=12, choices=Pilot.Status.choices)
    note = ScreenedTextField(_("begrundelse"), max_length=1500, blank=True, anonymous=False)
    decided_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    # The step was taken by the system because the pilot's end date passed (evaluate_ended_pilots),
    # not by a person; an empty decided_by alone could also be someone who has since left.
    period_ended = models.BooleanField(default=False)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statusskift")
        verbose_name_plural = _("statusskift")
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.pilot_id}: {self.from_status} → {self.to_status}"
