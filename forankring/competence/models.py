"""Track 3, "Kompetenceudvikling": competence levels, learning activities and their dated
sessions, who has completed what (the AI-literacy register), learning paths per role and the
prompt library.

Every free text is screened. Nothing here is anonymous except the "useful" marks on prompts,
which are a count on the prompt and an opaque key kept apart (see UsefulMark)."""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, ProfessionalArea, TenantModel
from forankring.direction.models import Tool
from forankring.privacy.fields import ScreenedCharField, ScreenedSlugField, ScreenedTextField, ScreenedURLField
from forankring.privacy.models import Localized, ToolTier


class CompetenceSettings(TenantModel):
    """The municipality's choices for this track. One row per municipality, made when first
    changed; without a row the defaults hold."""

    # PRIVACY.md: individuals are shown only for mandatory training, only when the municipality
    # has decided so, and everyone is told which way it has decided.
    leaders_see_mandatory = models.BooleanField(
        _("ledere kan se, hvem der har gennemført obligatorisk træning"),
        default=False,
        help_text=_(
            "Slået til: en leder kan se navnene på de medarbejdere i sine enheder, der mangler obligatorisk "
            "træning. Alle kan se, om det er slået til."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("indstillinger for kompetenceudvikling")
        verbose_name_plural = _("indstillinger for kompetenceudvikling")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="competencesettings_one")]

    def __str__(self) -> str:
        return str(_("Indstillinger for kompetenceudvikling"))


class Level(TenantModel, Localized):
    """A competence level, e.g. everyone, professional key persons, leaders. The defaults carry
    an English twin of the name and goals, like the other seeded reference data."""

    key = ScreenedSlugField(_("nøgle"), max_length=40, anonymous=False)
    name = ScreenedCharField(_("navn"), max_length=100, anonymous=False)
    goals = ScreenedTextField(
        _("læringsmål"), max_length=2000, anonymous=False, help_text=_("Ét læringsmål pr. linje.")
    )
    name_en = ScreenedCharField(_("navn på engelsk"), max_length=100, blank=True, anonymous=False)
    goals_en = ScreenedTextField(_("læringsmål på engelsk"), max_length=2000, blank=True, anonymous=False)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("kompetenceniveau")
        verbose_name_plural = _("kompetenceniveauer")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "key"], name="level_unique_key"),
            models.UniqueConstraint(fields=["municipality", "name"], name="level_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def goal_list(self) -> list[str]:
        return [line.strip() for line in self.localized("goals").splitlines() if line.strip()]


class Activity(TenantModel):
    """A learning activity (a module): what is learnt, at which level, in which form."""

    class Form(models.TextChoices):
        ELEARNING = "elearning", _("E-læring")
        WORKSHOP = "workshop", _("Workshop")
        PEER = "peer", _("Kollegial sparring")
        NETWORK = "network", _("Erfaringsnetværk")
        LEADER_COURSE = "leader_course", _("Lederforløb")
        GUIDANCE = "guidance", _("Vejledning")

    title = ScreenedCharField(_("titel"), max_length=150, anonymous=False)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="activities", verbose_name=_("niveau"))
    form = models.CharField(_("form"), max_length=16, choices=Form.choices)
    description = ScreenedTextField(_("indhold"), max_length=2000, blank=True, anonymous=False)
    areas = models.ManyToManyField(
        ProfessionalArea,
        blank=True,
        related_name="+",
        verbose_name=_("fagområder"),
        help_text=_("Tom: for alle fagområder."),
    )
    tasks = ScreenedTextField(
        _("opgaver"),
        max_length=1000,
        blank=True,
        anonymous=False,
        help_text=_("De opgaver i hverdagen, aktiviteten handler om. Én pr. linje."),
    )
    duration_minutes = models.PositiveIntegerField(_("varighed i minutter"), validators=[MinValueValidator(1)])
    version = ScreenedCharField(
        _("version"), max_length=20, default="1", anonymous=False, help_text=_("Skift den, når indholdet ændres.")
    )
    materials_url = ScreenedURLField(_("link til materialer"), blank=True, anonymous=False)
    tools = models.ManyToManyField(
        Tool,
        blank=True,
        related_name="+",
        verbose_name=_("værktøjer"),
        help_text=_("De AI-værktøjer, aktiviteten lærer én at bruge. Den er så krævet træning for dem."),
    )
    mandatory = models.BooleanField(_("obligatorisk"), default=False)
    refresh_months = models.PositiveSmallIntegerField(
        _("genopfriskes efter (måneder)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Tom: skal ikke genopfriskes."),
    )
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        verbose_name = _("læringsaktivitet")
        verbose_name_plural = _("læringsaktiviteter")
        ordering = ["level__position", "title", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "title"], name="activity_unique_title")]

    def __str__(self) -> str:
        return self.title

    def task_list(self) -> list[str]:
        return [line.strip() for line in self.tasks.splitlines() if line.strip()]


class Session(TenantModel):
    """A dated run of an activity, with a place and a number of seats."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starter"))
    ends_at = models.DateTimeField(_("slutter"))
    place = ScreenedCharField(_("sted"), max_length=200, anonymous=False)
    capacity = models.PositiveIntegerField(_("antal pladser"), validators=[MinValueValidator(1)])
    # The facilitator or leader who runs it and registers who came.
    host = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("ansvarlig")
    )
    attendance_registered = models.BooleanField(default=False)
    # Set when the session is called off: it is kept (with its sign-ups) so those signed up can
    # still open it and read that it will not take place.
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("hold")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="session_ends_after"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="session_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.starts_at:%Y-%m-%d %H:%M}"


class Signup(TenantModel):
    """A person's place on a session: a seat, or a place in the waiting list (in order of
    `queued_at`). A cancelled place is kept, so signing up again goes to the back."""

    class Status(models.TextChoices):
        SEAT = "seat", _("Tilmeldt")
        WAITING = "waiting", _("På venteliste")
        CANCELLED = "cancelled", _("Afmeldt")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    queued_at = models.DateTimeField()
    # When the reminder before the session was sent (`send_competence_reminders`); cleared when
    # the session moves, so the person is reminded of the new time.
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tilmelding")
        verbose_name_plural = _("tilmeldinger")
        ordering = ["queued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "session", "person"], name="signup_once")]
        indexes = [
            models.Index(fields=["session", "status"], name="signup_session_status_idx"),
            models.Index(
                fields=["session"],
                name="signup_to_remind_idx",
                condition=models.Q(status="seat", reminded_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.person_id} {self.status}"


class Record(TenantModel):
    """One completed activity by one person: a line in the AI-literacy register."""

    class Source(models.TextChoices):
        SELF = "self", _("Registreret af personen selv")
        ATTENDANCE = "attendance", _("Fremmøde registreret af den ansvarlige")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="records")
    # The activity's version when it was completed: the register must say what was learnt.
    version = ScreenedCharField(_("version"), max_length=20, anonymous=False)
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    completed_on = models.DateField(_("gennemført den"))
    source = models.CharField(_("registreret"), max_length=10, choices=Source.choices)
    evidence = ScreenedCharField(
        _("dokumentation"),
        max_length=300,
        blank=True,
        anonymous=False,
        help_text=_("Fx kursusbevis, fremmødeliste eller et link. Intet om helbred, sager eller borgere."),
    )
    next_refresh = models.DateField(_("næste genopfriskning"), null=True, blank=True)
    registered_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # When the person was told that the refresh is near (`send_competence_reminders`): once.
    refresh_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gennemført aktivitet")
        verbose_name_plural = _("gennemførte aktiviteter")
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "person", "activity", "completed_on"], name="record_once_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "person"], name="record_person_idx"),
            # The reminder run reads only the refreshes not yet told about, by date.
            models.Index(
                fields=["next_refresh"],
                name="record_refresh_due_idx",
                condition=models.Q(refresh_notified_at__isnull=True, next_refresh__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.completed_on}"


class LearningPath(TenantModel):
    """What a person new in a role does first: ordered steps, each an activity."""

    class For(models.TextChoices):
        TEAM_LEADER = "team_leader", _("Ny teamleder")
        LIGHTHOUSE = "lighthouse", _("Nyt fyrtårn")
        EMPLOYEE = "employee", _("Ny medarbejder")

    role = models.CharField(_("for"), max_length=16, choices=For.choices)
    intro = ScreenedTextField(_("indledning"), max_length=1000, blank=True, anonymous=False)

    class Meta:
        verbose_name = _("læringsforløb")
        verbose_name_plural = _("læringsforløb")
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["municipality", "role"], name="learningpath_one_per_role")]

    def __str__(self) -> str:
        return str(self.get_role_display())


class PathStep(TenantModel):
    path = models.ForeignKey(LearningPath, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+", verbose_name=_("aktivitet"))
    note = ScreenedCharField(_("hvorfor dette trin"), max_length=300, blank=True, anonymous=False)

    class Meta:
        verbose_name = _("trin")
        verbose_name_plural = _("trin")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["municipality", "path", "activity"], name="pathstep_once")]

    def __str__(self) -> str:
        return f"{self.path_id}: {self.activity_id}"


class Prompt(TenantModel):
    """An example prompt close to practice, with what data it may be used with."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Foreslået")
        APPROVED = "approved", _("Godkendt")
        DECLINED = "declined", _("Ikke godkendt")

    title = ScreenedCharField(_("titel"), max_length=150, anonymous=False)
    text = ScreenedTextField(
        _("prompt"),
        max_length=4000,
        anonymous=False,
        help_text=_("Skriv [pladsholdere] i stedet for navne, datoer og sagsoplysninger."),
    )
    area = models.ForeignKey(
        ProfessionalArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("fagområde"),
    )
    task = ScreenedCharField(_("opgave"), max_length=150, anonymous=False, help_text=_("Fx ugeplan eller referat."))
    tier = models.ForeignKey(
        ToolTier,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("værktøjstype"),
        help_text=_("Den mindst sikre type værktøj, prompten må bruges i."),
    )
    anonymise_first = models.BooleanField(
        _("anonymisér først"), default=False, help_text=_("Fjern navne og andet, der kan pege på en person, først.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # How many found it useful; who did is stored nowhere (see UsefulMark).
    useful_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prompt")
        verbose_name_plural = _("prompts")
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["municipality", "status"], name="prompt_status_idx")]

    def __str__(self) -> str:
        return self.title


class UsefulMark(TenantModel):
    """That someone has marked some prompt useful, so they cannot do it twice: an HMAC of
    (prompt, person) under a key derived from SECRET_KEY, with no prompt, no person and no
    time beside it. The count lives on the prompt. A random primary key keeps the rows out of
    arrival order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="usefulmark_once")]

    def __str__(self) -> str:
        return "useful mark"
