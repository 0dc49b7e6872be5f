"""Changes in the privacy app."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forankring.core import access
from forankring.core.models import Person, Unit

from . import queries, ratelimit
from .anonymous import today
from .models import Concern
from .suppression import k_min_for


def submit_concern(*, actor: Person, unit: Unit, kind: str, text: str) -> Concern:
    """Save a concern or wish about `unit` with no trace of who sent it.

    The actor must be an active person in the unit's municipality, and the unit one of their own
    or above them, with at least K_MIN people in it and below it (`access.can_send_concern_about`).
    The text passes the personal-data screen in anonymous mode (the model field's validator,
    run by full_clean): CPR numbers, e-mail addresses and phone numbers are refused.

    Deliberately NOT audited, unlike every other action: an audit row records the actor and
    the time, and even a row without them would sit in the hash chain between two named rows,
    whose times and actors could point at the author. The audit log records no anonymous item.

    Raises ValidationError (by field) for bad input and ratelimit.RateLimited when the actor has
    sent as many anonymous contributions today as the limit allows.
    """
    if not actor.is_active or not access.same_tenant(actor, unit):
        access.deny()
    # Decided on the units as stored now (head counts included), not on the instance passed in.
    if unit.pk not in {u.pk for u in queries.concern_units_for(actor)}:
        raise ValidationError(
            {
                "unit": _(
                    "Vælg din egen enhed eller en enhed over den. Enheden skal have mindst %(k)s personer, "
                    "så ingen kan regne ud, hvem der har skrevet."
                )
                % {"k": k_min_for(actor.municipality)}
            }
        )
    concern = Concern(municipality_id=actor.municipality_id, unit=unit, kind=kind, text=text, created_on=today())
    concern.full_clean()
    # Counted before, and outside, the item's own transaction: see ratelimit's docstring.
    ratelimit.hit(person=actor, scope="concern")
    with transaction.atomic():
        concern.save(force_insert=True)
    return concern
