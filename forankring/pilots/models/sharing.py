"""What the organisation learns together: learning cards from closed pilots, "AI-erfaringer"
posts (named or anonymous), and the small successes teams celebrate.

Privacy decisions, in short (docs/privacy.md has the long form):

* A learning card is an official record of a pilot, written and signed by the one who may close
  it; it is named like the pilot itself.
* An experience is named or anonymous, chosen per post. Anonymous posts are their own model
  (`AnonymousExperience`) and store nobody.
* A celebration is the team's: it stores the team and the story and no author at all. Nobody
  needs the author: the team's leaders may take a celebration down, and that is all moderation
  asks for. Storing the author "just for moderation" would make every celebration traceable to a
  person, which is exactly what "shown as the team's" promises not to do.
* Reactions are counters on the celebration. That a person has reacted is kept apart as an HMAC
  receipt (`CelebrationReceipt`) with no celebration, no person and no time beside it, so a
  person reacts once, and nobody can read who reacted to what or how often someone reacts.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, ProfessionalArea, TenantModel, Unit
from forankring.privacy.anonymous import AnonymousContribution
from forankring.privacy.fields import ScreenedCharField, ScreenedTextField

from .pilot import Pilot


class LearningCard(TenantModel):
    """What a closed pilot leaves behind. One per pilot. A pilot that was stopped gets the same
    card, the same layout and the same place in the library as one that is scaled."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="+")
    tried = ScreenedTextField(
        _("det prøvede vi"),
        max_length=2000,
        anonymous=False,
        help_text=_("Kort: hvad gjorde I, hvor længe og i hvilke teams?"),
    )
    learned = ScreenedTextField(
        _("det lærte vi"),
        max_length=3000,
        anonymous=False,
        help_text=_("Også det, der ikke virkede. Det er ofte det mest værdifulde for de næste."),
    )
    advice = ScreenedTextField(
        _("råd til andre, der vil prøve"),
        max_length=1500,
        blank=True,
        anonymous=False,
    )
    # A copy of the pilot's decision at publishing, so the library filters on the card's own row.
    decision = models.CharField(_("beslutning"), max_length=10, choices=Pilot.Decision.choices)
    published_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()
    # The last edit after publishing, shown on the card as "Redigeret <date>"; who edited is in
    # the audit log. The card keeps its id, its URL and its place in the library (published_at).
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("læringskort")
        verbose_name_plural = _("læringskort")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["municipality", "-published_at"], name="learningcard_published_idx")]
        # One card per pilot (the tenant's id first, as every unique constraint here).
        constraints = [models.UniqueConstraint(fields=["municipality", "pilot"], name="learningcard_one_per_pilot")]

    def __str__(self) -> str:
        return self.pilot.title if self.pilot_id else "learning card"


class Experience(TenantModel):
    """An "AI-erfaring" shared with the writer's name."""

    area = models.ForeignKey(ProfessionalArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("fagområde"))
    title = ScreenedCharField(_("overskrift"), max_length=150, anonymous=False)
    text = ScreenedTextField(_("erfaring"), max_length=3000, anonymous=False)
    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    # The date is what the feed orders by, like the anonymous posts beside it.
    created_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("erfaring")
        verbose_name_plural = _("erfaringer")
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["municipality", "-created_on"], name="experience_created_idx")]

    def __str__(self) -> str:
        return self.title


class AnonymousExperience(AnonymousContribution):
    """An "AI-erfaring" shared without a name: no author, a date without a time, a random key."""

    area = models.ForeignKey(ProfessionalArea, on_delete=models.PROTECT, related_name="+", verbose_name=_("fagområde"))
    title = ScreenedCharField(_("overskrift"), max_length=150, anonymous=True)
    text = ScreenedTextField(_("erfaring"), max_length=3000, anonymous=True)

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("anonym erfaring")
        verbose_name_plural = _("anonyme erfaringer")
        indexes = [models.Index(fields=["municipality", "-created_on"], name="anon_experience_created_idx")]

    def __str__(self) -> str:
        return self.title


class ExperienceReminder(TenantModel):
    """That a municipality's monthly reminder went out: `remind_experiences` sends it once per
    month however often it runs."""

    month = models.DateField()  # the first day of the month
    sent_to = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="experiencereminder_once_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.month:%Y-%m}"


class Reaction(models.TextChoices):
    APPLAUSE = "applause", _("Godt gået")
    INSPIRED = "inspired", _("Det vil vi også prøve")
    THANKS = "thanks", _("Tak for at dele")


class Celebration(AnonymousContribution):
    """A team's small success: a short story told as the team's. No author is stored (see the
    module docstring); the counters hold the reactions, with nobody beside them."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("team"))
    area = models.ForeignKey(
        ProfessionalArea,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fagområde"),
    )
    story = ScreenedTextField(
        _("det lykkedes"),
        max_length=600,
        anonymous=True,
        help_text=_("Et par linjer er nok. Fx »Vi skrev ugebrevet på en halv time i stedet for to«."),
    )
    applause = models.PositiveIntegerField(default=0)
    inspired = models.PositiveIntegerField(default=0)
    thanks = models.PositiveIntegerField(default=0)

    class Meta(AnonymousContribution.Meta):
        verbose_name = _("lille sejr")
        verbose_name_plural = _("små sejre")
        indexes = [models.Index(fields=["municipality", "-created_on"], name="celebration_created_idx")]

    def __str__(self) -> str:
        return self.story[:60]


class CelebrationReceipt(TenantModel):
    """That someone has given some reaction to some celebration, so they cannot give it twice:
    an HMAC of (celebration, reaction, person) under a key derived from SECRET_KEY, with no
    celebration, no person and no time beside it. A random primary key keeps the rows out of
    arrival order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "key"], name="celebrationreceipt_once")]

    def __str__(self) -> str:
        return "celebration receipt"
