"""When training must be refreshed."""

from __future__ import annotations

import calendar
import datetime

from .models import Activity


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def next_refresh_for(activity: Activity, completed_on: datetime.date) -> datetime.date | None:
    return add_months(completed_on, activity.refresh_months) if activity.refresh_months else None
