"""Anonymous contributions: items that store no author at all (PRIVACY.md, "Three kinds").

A model for pulse check-ins, reflections, concerns and the like inherits from
`AnonymousContribution` and gets:

* a random UUID4 primary key. A sequential integer key would give away the order in which items
  arrived, and, held against a web server log or the moment a colleague saw someone at a screen,
  who wrote which item;
* `created_on`: the date only, never a time of day;
* `shuffle_key`: a random number drawn once when the item is made. Lists order by it, so items
  are shown in a stable shuffled order rather than by arrival, and the order is the same on
  every visit (a fresh shuffle per visit would let someone reload until the order told them
  something, and is confusing to read).

What the model must *not* have is checked at start-up by `forankring.privacy.checks`: no link
to a user or a person, no date with a time, no field named like an identity (author, user, ip,
session, ...). `forankring.privacy.testing.assert_unlinkable` proves it for a real action.

What this does not cover, and cannot from inside the application: a database administrator
reading the physical storage (SQLite's hidden rowid and PostgreSQL's row positions and
transaction ids follow insertion order) and web server access logs (they record that a browser
posted a form at a time). The application never shows, exports or logs either.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import date
from typing import Any, Self

from django.db import models
from django.utils import timezone

from forankring.core.models import TenantModel


def new_shuffle_key() -> int:
    # 63 bits fit a signed 64-bit column on both SQLite and PostgreSQL.
    return secrets.randbits(63)


def today() -> date:
    """The local date. The only point in time an anonymous item may carry."""
    return timezone.localdate()


class AnonymousQuerySet(models.QuerySet[Any]):
    def in_display_order(self) -> Self:
        """Stable shuffled order: never by arrival, and the same on every visit."""
        return self.order_by("shuffle_key", "pk")

    def by_date_in_display_order(self) -> Self:
        """Newest date first, and within each date the stable shuffled order."""
        return self.order_by("-created_on", "shuffle_key", "pk")


class AnonymousContribution(TenantModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_on = models.DateField(default=today, editable=False)
    shuffle_key = models.BigIntegerField(default=new_shuffle_key, editable=False, db_index=True)

    objects = AnonymousQuerySet.as_manager()

    class Meta:
        abstract = True
        # Even a list nobody thought about (the shell, a future export) comes out shuffled.
        ordering = ["shuffle_key", "pk"]
