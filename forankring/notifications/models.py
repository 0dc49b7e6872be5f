"""Notifications: what happened that concerns a person, in the app and by e-mail.

A notification stores its kind (which picks a translatable sentence, see kinds.py), the title of
the object it is about at the time (screened: it may be typed by anyone) and a link. The sentence
is put together when it is shown, so each reader sees it in their own language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from forankring.core.models import Person, TenantModel
from forankring.privacy.fields import ScreenedCharField


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("Med det samme")
    DAILY = "daily", _("Samlet én gang om dagen")
    WEEKLY = "weekly", _("Samlet én gang om ugen")
    NONE = "none", _("Ingen e-mails")


# A person who has not chosen gets one e-mail a day at most: enough to notice an answer,
# not so much that the mails are ignored.
DEFAULT_FREQUENCY = Frequency.DAILY


class Notification(TenantModel):
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=60)
    subject = ScreenedCharField(_("emne"), max_length=200, blank=True, anonymous=False)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by e-mail (at once or in a digest); null while it waits for a digest.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notifikation")
        verbose_name_plural = _("notifikationer")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["emailed_at", "created_at"], name="notification_unsent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"

    @property
    def text(self) -> str:
        from .kinds import render

        return render(self.kind, self.subject)


class Preference(TenantModel):
    """How a person wants their notifications by e-mail. No row means DEFAULT_FREQUENCY."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notification_preference")
    frequency = models.CharField(
        _("Hvornår vil du have e-mail?"), max_length=12, choices=Frequency.choices, default=DEFAULT_FREQUENCY
    )

    class Meta:
        verbose_name = _("notifikationsindstilling")
        verbose_name_plural = _("notifikationsindstillinger")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.frequency}"


class DigestRun(models.Model):
    """When a digest last went out, for the whole installation: `send_digests --due` run every
    hour sends each digest once per day or week, however often it is started."""

    frequency = models.CharField(max_length=12, choices=Frequency.choices, unique=True)
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.frequency} {self.ran_at:%Y-%m-%d %H:%M}"
