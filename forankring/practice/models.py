"""Track 2, "Faglig forankring": the centres' focus areas, the register of use cases (described as
tasks, not tools), the employees' ideas and the answers to them.

Every free text is screened. Named items carry their author; an anonymous idea is an
`AnonymousContribution` and stores nobody (docs/privacy.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, ProfessionalArea, RoleAssignment, TenantModel, Unit
from forankring.direction.models import FocusArea, Tool
from forankring.privacy.anonymous import AnonymousContribution
from forankring.privacy.fields import ScreenedCharField, ScreenedTextField
from forankring.privacy.models import DataClass

MAX_CENTRE_FOCUS_AREAS = 2
# The organisation level of a centre: the direktion is 0, a centre 1 (Municipality.level_names).
CENTRE_DEPTH = 1


class CentreFocusArea(TenantModel):
    """One of a centre's 1–2 focus areas, under one of the direktion's strategic focus areas."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("center"))
    strategic = models.ForeignKey(
        FocusArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("direktionens fokusområde")
    )
    name = ScreenedCharField(_("fokusområde"), max_length=120, anonymous=False)
    why = ScreenedTextField(_("hvorfor"), max_length=1500, anonymous=False)
    success = ScreenedTextField(
        _("sådan ser succes ud"),
        max_length=1500,
        anonymous=False,
        help_text=_("Hvad kan I se eller mærke i hverdagen, når det lykkes?"),
    )
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("centerets fokusområde")
        verbose_name_plural = _("centrenes fokusområder")
        ordering = ["unit__path", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "unit", "name"], name="centrefocusarea_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ValueType(models.TextChoices):
    QUALITY = "quality", _("Bedre kvalitet")
    TIME = "time", _("Mere tid til kerneopgaven")
    ERRORS = "errors", _("Færre fejl")
    CASEWORK = "casework", _("Stærkere sagsbehandling")
    OTHER = "other", _("Andet")


class UseCaseValue(TenantModel):
    """A value type as a row, so the list can filter by it with one join on any database."""

    key = models.CharField(max_length=10, choices=ValueType.choices)

    class Meta:
        verbose_name = _("værdi")
        verbose_name_plural = _("værdier")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="usecasevalue_unique_key")]

    def __str__(self) -> str:
        return str(ValueType(self.key).label)


class UseCase(TenantModel):
    """A task where AI could help, owned by one unit; other units join it ("Vi vil også")."""

    class Status(models.TextChoices):
        IDEA = "idea", _("Idé")
        ASSESSED = "assessed", _("Under vurdering")
        PILOT = "pilot", _("I afprøvning")
        OPERATION = "operation", _("I drift")
        STOPPED = "stopped", _("Stoppet")

    title = ScreenedCharField(
        _("opgave"),
        max_length=150,
        anonymous=False,
        help_text=_("Begynd med et udsagnsord, fx »Skrive referat af teammøder«."),
    )
    today = ScreenedTextField(_("sådan løses opgaven i dag"), max_length=2000, anonymous=False)
    ai_help = ScreenedTextField(_("sådan kunne AI hjælpe"), max_length=2000, anonymous=False)
    human_decides = ScreenedTextField(
        _("her skal et menneske altid beslutte"),
        max_length=1000,
        anonymous=False,
        help_text=_("Fx: pædagogen godkender hvert brev, før det sendes til forældrene."),
    )
    area = models.ForeignKey(ProfessionalArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("fagområde"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("ejer (enhed)"))
    value_types = models.ManyToManyField(UseCaseValue, blank=True, related_name="+", verbose_name=_("værdi"))
    data_classes = models.ManyToManyField(DataClass, blank=True, related_name="+", verbose_name=_("data"))
    tools = models.ManyToManyField(Tool, blank=True, related_name="+", verbose_name=_("værktøjer"))
    focus_area = models.ForeignKey(
        CentreFocusArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="use_cases",
        verbose_name=_("centerets fokusområde"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IDEA)
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    followers = models.ManyToManyField(Person, blank=True, related_name="+")
    # The idea it grew from, if any: the link back (an anonymous idea cannot point at a use case,
    # whose rows name people, so the link lives here).
    idea = models.OneToOneField("Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="use_case")
    anonymous_idea = models.OneToOneField(
        "AnonymousIdea", null=True, blank=True, on_delete=models.SET_NULL, related_name="use_case"
    )

    class Meta:
        verbose_name = _("anvendelse")
        verbose_name_plural = _("anvendelser")
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "status", "-updated_at"], name="usecase_status_idx"),
            models.Index(fields=["municipality", "unit"], name="usecase_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class UseCaseUnit(TenantModel):
    """Another unit that works with the same use case ("Vi vil også")."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="joined")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed"))
    joined_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enhed, der også er med")
        verbose_name_plural = _("enheder, der også er med")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "use_case", "unit"], name="usecaseunit_once")]

    def __str__(self) -> str:
        return f"{self.use_case_id} + {self.unit_id}"


class StatusChange(TenantModel):
    """The history of a use case: who moved it, from what to what, and why."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=10, choices=UseCase.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=UseCase.Status.choices)
    decided_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    note = ScreenedCharField(_("begrundelse"), max_length=500, blank=True, anonymous=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statusændring")
        verbose_name_plural = _("statusændringer")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.use_case_id}: {self.from_status} → {self.to_status}"


class IdeaStatus(models.TextChoices):
    NEW = "new", _("Venter på svar")
    EXPLORING = "exploring", _("Vi undersøger det")
    ACCEPTED = "accepted", _("Taget videre som anvendelse")
    DECLINED = "declined", _("Ikke lige nu")


class IdeaFields(models.Model):
    """What a named and an anonymous idea have in common."""

    title = ScreenedCharField(
        _("arbejdsgang"),
        max_length=150,
        anonymous=False,
        help_text=_("Kort: hvilken opgave eller arbejdsgang tænker du på?"),
    )
    description = ScreenedTextField(
        _("hvordan kunne AI hjælpe?"),
        max_length=2000,
        anonymous=False,
        help_text=_("Hvad tager tid eller er besværligt i dag, og hvad kunne blive bedre?"),
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed"))
    status = models.CharField(_("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.NEW)
    answer = ScreenedTextField(_("svar"), max_length=2000, blank=True, anonymous=False)

    class Meta:
        abstract = True


class Idea(TenantModel, IdeaFields):
    """A named idea: the proposer is told of the answer."""

    proposer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    followers = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField()
    answered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("idé")
        verbose_name_plural = _("idéer")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "status", "created_at"], name="idea_status_idx")]

    def __str__(self) -> str:
        return self.title


class AnonymousIdea(AnonymousContribution, IdeaFields):
    """An idea given without a name. It stores no author; the proposer follows it through its
    page, whose address (a random UUID) only they were shown. The leader's answer is not audited
    either: no audit row may point at an anonymous item (core/audit.py)."""

    # Overrides the mixin's field: the text of an anonymous item is name-checked too.
    title = ScreenedCharField(_("arbejdsgang"), max_length=150, anonymous=True)
    description = ScreenedTextField(_("hvordan kunne AI hjælpe?"), max_length=2000, anonymous=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("anonym idé")
        verbose_name_plural = _("anonyme idéer")

    def __str__(self) -> str:
        return self.title


class Lighthouse(TenantModel):
    """A colleague appointed as the local AI lighthouse for a professional area in a unit: the
    one to ask first. Appointed by whom track 1's decision rights say ("lighthouses")."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("enhed"))
    area = models.ForeignKey(ProfessionalArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("fagområde"))
    helps_with = ScreenedTextField(
        _("hjælper gerne med"),
        max_length=600,
        anonymous=False,
        help_text=_("Fx: at komme i gang med skriveassistenten, gode spørgsmål at stille, hvad må jeg?"),
    )
    contact = ScreenedCharField(
        _("sådan fanger du mig"),
        max_length=200,
        anonymous=False,
        help_text=_("Fx: på kontoret tirsdag og torsdag, eller skriv i Teams."),
    )
    appointed_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The LIGHTHOUSE role this appointment gave the person in the unit, if it gave one (they may
    # have held it already, from the organisation file or an administrator). Ending the
    # appointment takes away only this role.
    role = models.ForeignKey(RoleAssignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("fyrtårn")
        verbose_name_plural = _("fyrtårne")
        ordering = ["area__name", "unit__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "person", "unit", "area"], name="lighthouse_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.unit_id}"


class TeamNote(TenantModel):
    """The team leader's short note after the team's AI item at a meeting: about the team, never
    about a person."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    held_on = models.DateField(_("mødedato"))
    how_it_goes = ScreenedTextField(_("hvordan går det?"), max_length=1500, anonymous=False)
    gains = ScreenedTextField(_("hvad har vi fået ud af det?"), max_length=1500, blank=True, anonymous=False)
    barriers = ScreenedTextField(_("hvad står i vejen?"), max_length=1500, blank=True, anonymous=False)
    adjustments = ScreenedTextField(_("hvad justerer vi?"), max_length=1500, blank=True, anonymous=False)
    written_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("note fra teamets AI-punkt")
        verbose_name_plural = _("noter fra teamets AI-punkt")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "unit", "-held_on"], name="teamnote_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.held_on}"


class LighthouseQuestion(TenantModel):
    """A question from a colleague to a lighthouse ("Spørg dit fyrtårn"). Only the asker and the
    lighthouse read it; it goes when the appointment ends, as a conversation between two people
    should not outlive its purpose."""

    lighthouse = models.ForeignKey(Lighthouse, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = ScreenedTextField(
        _("dit spørgsmål"),
        max_length=1500,
        anonymous=False,
        help_text=_("Skriv ikke navne eller oplysninger om borgere. Fyrtårnet svarer her, og du får besked."),
    )
    answer = ScreenedTextField(_("svar"), max_length=2000, blank=True, anonymous=False)
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("spørgsmål til et fyrtårn")
        verbose_name_plural = _("spørgsmål til fyrtårne")
        ordering = ["-asked_at", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "lighthouse", "-asked_at"], name="lhquestion_lighthouse_idx"),
            models.Index(fields=["municipality", "asker", "-asked_at"], name="lhquestion_asker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.lighthouse_id}: {self.asked_at:%Y-%m-%d}"
