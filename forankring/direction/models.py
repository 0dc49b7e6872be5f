"""Track 1, "Retning og rammer": the municipality's purpose with AI, the AI-kompas in versions,
the tool register, the versions of the data rules, decision rights and strategic focus areas.

Every free text is screened (ScreenedCharField / ScreenedTextField); none of it is anonymous:
the direktion, IT and MED write here in their own name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, Role, TenantModel
from forankring.privacy.fields import ScreenedCharField, ScreenedSlugField, ScreenedTextField
from forankring.privacy.models import Concern, DataClass, ToolTier

MIN_PRINCIPLES = 3
MAX_PRINCIPLES = 5
MIN_FOCUS_AREAS = 2
MAX_FOCUS_AREAS = 3


class Purpose(TenantModel):
    """Why the municipality uses AI, in professional terms, and how it is governed. One per
    municipality; every change is audited."""

    why = ScreenedTextField(_("formål"), max_length=3000, anonymous=False)
    ambitions = ScreenedTextField(
        _("ambitioner"),
        max_length=3000,
        blank=True,
        anonymous=False,
        help_text=_("Én ambition pr. linje: det, kommunen vil følge op på."),
    )
    governance = ScreenedTextField(
        _("sådan styrer vi"),
        max_length=2000,
        blank=True,
        anonymous=False,
        help_text=_("En eller to sætninger om, hvem der gør hvad, når AI tages i brug."),
    )
    whom_to_ask = ScreenedTextField(
        _("hvem kan du spørge"),
        max_length=1000,
        blank=True,
        anonymous=False,
        help_text=_("Fx informationssikkerhed, IT-support eller de lokale fyrtårne."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("formål")
        verbose_name_plural = _("formål")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="purpose_one_per_municipality")]

    def __str__(self) -> str:
        return str(_("Formål med AI"))

    def ambition_list(self) -> list[str]:
        return [line.strip() for line in self.ambitions.splitlines() if line.strip()]


class FocusArea(TenantModel):
    """One of the direktion's 2–3 strategic focus areas (at most three, enforced in actions)."""

    name = ScreenedCharField(_("fokusområde"), max_length=100, anonymous=False)
    why = ScreenedTextField(_("hvorfor"), max_length=1000, anonymous=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fokusområde")
        verbose_name_plural = _("fokusområder")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="focusarea_unique_name")]

    def __str__(self) -> str:
        return self.name


class Compass(TenantModel):
    """One version of the AI-kompas. Moves draft → hearing → approved → published; publishing a
    version retires the one before it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        HEARING = "hearing", _("I høring i MED")
        APPROVED = "approved", _("Godkendt af direktionen")
        PUBLISHED = "published", _("Gældende")
        RETIRED = "retired", _("Afløst")

    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    ethics = ScreenedTextField(_("etiske retningslinjer"), max_length=4000, blank=True, anonymous=False)
    hearing_deadline = models.DateField(_("høringsfrist"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("AI-kompas")
        verbose_name_plural = _("AI-kompasser")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["municipality", "version"], name="compass_unique_version")]

    def __str__(self) -> str:
        return f"AI-kompas {self.version}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def ethics_lines(self) -> list[str]:
        """The guidelines one per line, as the direktion typed them: shown as a list, not as
        loose lines in one paragraph."""
        return [line.strip(" -•\t") for line in self.ethics.splitlines() if line.strip(" -•\t")]

    @property
    def is_public(self) -> bool:
        """The version in force, and the ones it replaced."""
        return self.status in (self.Status.PUBLISHED, self.Status.RETIRED)


class Principle(TenantModel):
    compass = models.ForeignKey(Compass, on_delete=models.CASCADE, related_name="principles")
    position = models.PositiveSmallIntegerField(default=0)
    headline = ScreenedCharField(_("overskrift"), max_length=120, anonymous=False)
    explanation = ScreenedTextField(_("forklaring"), max_length=1000, anonymous=False)

    class Meta:
        verbose_name = _("princip")
        verbose_name_plural = _("principper")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.headline


class CompassRule(TenantModel):
    """A concrete do or don't, with an example from everyday work."""

    class Kind(models.TextChoices):
        DO = "do", _("Det gør vi")
        DONT = "dont", _("Det gør vi ikke")

    compass = models.ForeignKey(Compass, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("slags regel"), max_length=4, choices=Kind.choices)
    text = ScreenedCharField(_("regel"), max_length=300, anonymous=False)
    example = ScreenedTextField(_("eksempel"), max_length=1000, blank=True, anonymous=False)

    class Meta:
        verbose_name = _("regel")
        verbose_name_plural = _("regler")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.text


class HearingComment(TenantModel):
    """A MED representative's comment on a compass in hearing, in their own name."""

    compass = models.ForeignKey(Compass, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = ScreenedTextField(_("kommentar"), max_length=3000, anonymous=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("høringssvar")
        verbose_name_plural = _("høringssvar")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.compass} – {self.author_id}"


class Acknowledgement(TenantModel):
    """ "Jeg har læst og forstået" by one person for one version. Only ever shown as coverage per
    unit through the suppression helper, never as a list of people."""

    compass = models.ForeignKey(Compass, on_delete=models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kvittering")
        verbose_name_plural = _("kvitteringer")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "compass", "person"], name="acknowledgement_once")
        ]

    def __str__(self) -> str:
        return f"{self.compass} – {self.person_id}"


class Tool(TenantModel):
    """An AI tool in the register. Its allowed data classes may be stricter than its tier's
    rules, never looser (checked in actions)."""

    class Status(models.TextChoices):
        APPROVED = "approved", _("Godkendt")
        REVIEW = "review", _("Under vurdering")
        NOT_ALLOWED = "not_allowed", _("Ikke tilladt")

    class Agreement(models.TextChoices):
        NONE = "none", _("Ingen")
        IN_PROGRESS = "in_progress", _("Under udarbejdelse")
        DONE = "done", _("På plads")
        NOT_NEEDED = "not_needed", _("Ikke nødvendig")

    name = ScreenedCharField(_("navn"), max_length=100, anonymous=False)
    vendor = ScreenedCharField(_("leverandør"), max_length=100, blank=True, anonymous=False)
    purpose = ScreenedTextField(_("hvad det bruges til"), max_length=1000, blank=True, anonymous=False)
    tier = models.ForeignKey(ToolTier, on_delete=models.PROTECT, related_name="+", verbose_name=_("værktøjstype"))
    data_classes = models.ManyToManyField(DataClass, blank=True, related_name="+", verbose_name=_("tilladte data"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REVIEW)
    dpa_status = models.CharField(
        _("databehandleraftale"), max_length=12, choices=Agreement.choices, default=Agreement.NONE
    )
    dpa_reference = ScreenedCharField(
        _("reference til databehandleraftalen"), max_length=200, blank=True, anonymous=False
    )
    dpia_status = models.CharField(
        _("konsekvensanalyse (DPIA)"), max_length=12, choices=Agreement.choices, default=Agreement.NONE
    )
    dpia_reference = ScreenedCharField(
        _("reference til konsekvensanalysen"), max_length=200, blank=True, anonymous=False
    )
    technical_owner = ScreenedCharField(
        _("teknisk ejer i IT"), max_length=150, blank=True, anonymous=False, help_text=_("Fx IT-drift eller en person.")
    )
    professional_owner = ScreenedCharField(
        _("fagligt ejer"),
        max_length=150,
        blank=True,
        anonymous=False,
        help_text=_("Den, der svarer på, hvad det bruges til."),
    )
    licences = models.PositiveIntegerField(_("antal licenser"), null=True, blank=True)
    yearly_cost = models.PositiveIntegerField(_("årlig pris i kr."), null=True, blank=True)
    training = ScreenedTextField(
        _("krævet træning"),
        max_length=1000,
        blank=True,
        anonymous=False,
        help_text=_("Hvad man skal have lært, før man bruger værktøjet."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("værktøj")
        verbose_name_plural = _("værktøjer")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="tool_unique_name")]

    def __str__(self) -> str:
        return self.name


class RulesVersion(TenantModel):
    """One version of the data rules (data classes × tool tiers). Written with every change of
    the matrix; `rules` keeps the whole matrix as it was: {class key: {tier key: [state, note]}}."""

    number = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(default=dict)
    note = ScreenedCharField(_("hvad er ændret"), max_length=300, anonymous=False)
    changed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("version af datareglerne")
        verbose_name_plural = _("versioner af datareglerne")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["municipality", "number"], name="rulesversion_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}"


class DecisionArea(TenantModel):
    """Something that has to be decided (approve a tool, publish the compass, ...), whether it is
    decided locally or in common, and who does what about it (DecisionRight)."""

    class Scope(models.TextChoices):
        COMMON = "common", _("Fælles for kommunen")
        LOCAL = "local", _("Lokalt i enheden")

    key = ScreenedSlugField(_("nøgle"), max_length=40, anonymous=False)
    name = ScreenedCharField(_("beslutning"), max_length=150, anonymous=False)
    scope = models.CharField(_("hvor besluttes det"), max_length=10, choices=Scope.choices, default=Scope.COMMON)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("beslutningsområde")
        verbose_name_plural = _("beslutningsområder")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="decisionarea_unique_key")]

    def __str__(self) -> str:
        return self.name


class DecisionRight(TenantModel):
    class Part(models.TextChoices):
        DECIDES = "decides", _("Beslutter")
        CONSULTED = "consulted", _("Høres")
        INFORMED = "informed", _("Orienteres")
        CARRIES_OUT = "carries_out", _("Udfører")

    area = models.ForeignKey(DecisionArea, on_delete=models.CASCADE, related_name="rights")
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    part = models.CharField(_("rolle i beslutningen"), max_length=12, choices=Part.choices)

    class Meta:
        verbose_name = _("beslutningsret")
        verbose_name_plural = _("beslutningsret")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "area", "role"], name="decisionright_unique_role")
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.role}: {self.part}"


class ConcernAnswer(TenantModel):
    """Where an anonymous concern or wish stands, and the answer to it. A row of its own, keyed
    to the concern, so the anonymous table stays as the privacy app made it. No author, of the
    concern or of the answer: the answer speaks for the leaders and MED of the unit (who set it
    is in the audit log). A date only, like the concern itself."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Modtaget")
        DISCUSSED = "discussed", _("Drøftet")
        ANSWERED = "answered", _("Besvaret")

    concern = models.OneToOneField(Concern, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    answer = ScreenedTextField(_("svar"), max_length=3000, blank=True, anonymous=False)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("svar på bekymring eller ønske")
        verbose_name_plural = _("svar på bekymringer og ønsker")

    def __str__(self) -> str:
        # Neither the concern's text nor its id: the audit log names the answer, not the item.
        return str(self.get_status_display())
