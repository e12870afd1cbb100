"""Phases of the course: status by date, the three-phase timeline, progress in a phase."""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .text import N_

PHASE_KINDS = ("pre_course", "residential", "follow_up")
PHASE_KIND_LABELS = {
    "pre_course": N_("Pre-course online phase"),
    "residential": N_("Residential phase"),
    "follow_up": N_("Follow-up online phase"),
}
MODES = ("online", "residential")
MODE_LABELS = {"online": N_("Online"), "residential": N_("Residential")}

UPCOMING, OPEN, CLOSED = "upcoming", "open", "closed"
STATUS_LABELS = {UPCOMING: N_("Upcoming"), OPEN: N_("Open"), CLOSED: N_("Closed")}

DEFAULT_TIMEZONE = "Europe/Rome"  # the Turin campus
_HOURS = re.compile(r"^\s*(\d{1,2})\s*(?:[-–]\s*(\d{1,2}))?\s*$")


def parse_date(value):
    """An ISO date (YYYY-MM-DD) or None; raises ValueError on anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    return date.fromisoformat(str(value).strip())


def parse_weekly_hours(value):
    """'5-10' -> (5, 10); '8' -> (8, 8). Raises ValueError when malformed or reversed."""
    match = _HOURS.match(str(value or ""))
    if not match:
        raise ValueError(value)
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high or high > 80:
        raise ValueError(value)
    return low, high


def zone(name):
    """The tz database zone, or the course default when the name is unknown."""
    try:
        return ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_TIMEZONE)


def opening_moment(day, tz_name=DEFAULT_TIMEZONE):
    """Local midnight of a course day, as an aware datetime."""
    try:
        zone = ZoneInfo(tz_name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def utc_stamp(day, tz_name, end_of_day=False):
    """Local midnight (or 23:59) of a course day as the LMS's UTC timestamp, e.g. 2026-04-12T22:00:00Z."""
    try:
        zone = ZoneInfo(tz_name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(DEFAULT_TIMEZONE)
    local = datetime(day.year, day.month, day.day, 23 if end_of_day else 0, 59 if end_of_day else 0, tzinfo=zone)
    return local.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_today(tz_name, now=None):
    """Today's date in the course's time zone (a phase opens at local midnight)."""
    now = now or datetime.now(timezone.utc)
    if now.tzinfo is None:
        now = now.replace(tzinfo=timezone.utc)
    return now.astimezone(zone(tz_name)).date()


def phase_status(start, end, today):
    """upcoming before the start date, open from start to end (inclusive), closed after."""
    if start is not None and today < start:
        return UPCOMING
    if end is not None and today > end:
        return CLOSED
    return OPEN


@dataclass(frozen=True)
class PhaseInfo:
    """What the timeline needs to know about one phase."""
    kind: str
    start: date
    end: date
    mode: str = "online"
    title: dict = field(default_factory=dict)


@dataclass(frozen=True)
class TimelineEntry:
    """A phase as the timeline lists it: its status, whether it is the current one, its position."""
    phase: PhaseInfo
    status: str
    is_current: bool
    position: int


def timeline(phases, current_kind, today):
    """The course's phases in course order (by start date, then kind), one marked current."""
    order = {kind: i for i, kind in enumerate(PHASE_KINDS)}
    by_kind = {}
    for phase in phases:
        by_kind[phase.kind] = phase  # the last word on a kind wins (the block's own fields)
    ordered = sorted(by_kind.values(),
                     key=lambda p: (p.start or date.max, order.get(p.kind, len(order))))
    return [
        TimelineEntry(p, phase_status(p.start, p.end, today), p.kind == current_kind, i + 1)
        for i, p in enumerate(ordered)
    ]


@dataclass(frozen=True)
class Progress:
    """A learner's modules done out of a phase's modules."""
    done: int
    total: int

    @property
    def percent(self):
        return 0 if not self.total else round(100 * self.done / self.total)

    @property
    def complete(self):
        return 0 < self.total <= self.done


def progress(module_ids, completed_ids):
    """Modules done out of the phase's modules (completions of other modules do not count)."""
    wanted = list(dict.fromkeys(module_ids))
    done = set(completed_ids)
    return Progress(sum(1 for m in wanted if m in done), len(wanted))
