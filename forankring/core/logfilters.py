"""Logging filters named in settings.LOGGING."""

from __future__ import annotations

import logging


class DropTraceback(logging.Filter):
    """Logs the message alone: for expected refusals whose traceback says nothing new."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
