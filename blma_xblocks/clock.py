"""The current time, in one place, so the workbench and tests can pin a date.

BLMA_NOW (an ISO datetime in Django settings) freezes the clock; in production
it is unset and the real UTC time is used.
"""
from datetime import datetime, timezone

from django.conf import settings


def now():
    pinned = getattr(settings, "BLMA_NOW", None)
    if pinned:
        value = datetime.fromisoformat(str(pinned))
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc)
