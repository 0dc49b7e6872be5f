"""What track 3 tells people, and when (registered with the notifications app in apps.py).

Sign-ups, moving up from the waiting list and a session changed or called off are told at once,
from the action that makes the change. A reminder before a session and a refresh that is near
depend on the clock, so `manage.py send_competence_reminders` (run beside `send_digests --due`,
docs/operations.md) sends them, each once: the sign-up and the record keep when it was sent."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import Session

KINDS: dict[str, StrOrPromise] = {
    "competence.seat": _("Du er tilmeldt »%(subject)s«"),
    "competence.waiting": _("Du står på ventelisten til »%(subject)s«"),
    "competence.promoted": _("Du har fået en plads på »%(subject)s«"),
    "competence.session_changed": _("Et hold, du er tilmeldt, er ændret: »%(subject)s«"),
    "competence.session_cancelled": _("Et hold, du er tilmeldt, er aflyst: »%(subject)s«"),
    "competence.reminder": _("Husk, at du er tilmeldt »%(subject)s«"),
    "competence.refresh_due": _("Det er snart tid til at genopfriske »%(subject)s«"),
}

# A reminder goes out this long before the session starts; a refresh is told about this long
# before its date (the same horizon as "Det venter på dig").
REMINDER_AHEAD = datetime.timedelta(days=2)
REFRESH_AHEAD = datetime.timedelta(days=30)


def session_subject(session: Session) -> str:
    """The activity and the start in figures, so the stored subject reads the same in both
    languages (the notification's sentence is translated when it is shown)."""
    return f"{session.activity.title}, {timezone.localtime(session.starts_at):%d.%m.%Y %H.%M}"
