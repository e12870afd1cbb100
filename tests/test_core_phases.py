from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from blma_xblocks.core import phases as p

PRE = p.PhaseInfo("pre_course", date(2026, 4, 13), date(2026, 5, 1), "online", {"en": "Pre"})
RES = p.PhaseInfo("residential", date(2026, 5, 4), date(2026, 5, 8), "residential", {"en": "Res"})
FUP = p.PhaseInfo("follow_up", date(2026, 5, 11), date(2026, 5, 15), "online", {"en": "Fup"})


@pytest.mark.parametrize("today,expected", [
    (date(2026, 4, 12), "upcoming"),
    (date(2026, 4, 13), "open"),
    (date(2026, 4, 20), "open"),
    (date(2026, 5, 1), "open"),
    (date(2026, 5, 2), "closed"),
])
def test_status_by_date_with_inclusive_end(today, expected):
    assert p.phase_status(PRE.start, PRE.end, today) == expected


def test_status_without_dates_is_open():
    assert p.phase_status(None, None, date(2026, 1, 1)) == "open"


def test_local_today_uses_the_course_time_zone():
    # 23:30 UTC on 12 April is already 13 April in Turin (UTC+2 in April).
    late = datetime(2026, 4, 12, 23, 30, tzinfo=timezone.utc)
    assert p.local_today("Europe/Rome", late) == date(2026, 4, 13)
    assert p.local_today("UTC", late) == date(2026, 4, 12)
    assert p.local_today("Not/AZone", late) == date(2026, 4, 13)  # unknown zone: the course default
    assert p.local_today("Europe/Rome", datetime(2026, 4, 12, 23, 30)) == date(2026, 4, 13)  # naive = UTC


def test_timeline_orders_by_start_and_marks_the_current_phase():
    entries = p.timeline([FUP, PRE, RES], "residential", date(2026, 5, 5))
    assert [e.phase.kind for e in entries] == ["pre_course", "residential", "follow_up"]
    assert [e.status for e in entries] == ["closed", "open", "upcoming"]
    assert [e.is_current for e in entries] == [False, True, False]
    assert [e.position for e in entries] == [1, 2, 3]


def test_timeline_keeps_one_entry_per_kind_the_last_wins():
    moved = p.PhaseInfo("pre_course", date(2026, 4, 6), date(2026, 5, 1), "online", {})
    entries = p.timeline([PRE, RES, moved], "pre_course", date(2026, 4, 7))
    assert len(entries) == 2
    assert entries[0].phase.start == date(2026, 4, 6)
    assert entries[0].status == "open"


def test_progress_counts_only_the_phase_modules_once():
    assert p.progress(["a", "b", "c"], {"a", "z"}) == p.Progress(1, 3)
    assert p.progress(["a", "a", "b"], {"a"}) == p.Progress(1, 2)
    assert p.progress([], {"a"}).percent == 0
    assert p.progress(["a"], {"a"}).complete
    assert not p.progress([], set()).complete
    assert p.Progress(1, 3).percent == 33


@pytest.mark.parametrize("raw,expected", [("5-10", (5, 10)), ("8", (8, 8)), (" 5 – 10 ", (5, 10))])
def test_weekly_hours(raw, expected):
    assert p.parse_weekly_hours(raw) == expected


@pytest.mark.parametrize("raw", ["", "ten", "10-5", "5-", "5-100", None])
def test_weekly_hours_rejects(raw):
    with pytest.raises(ValueError):
        p.parse_weekly_hours(raw)


def test_parse_date():
    assert p.parse_date("2026-04-13") == date(2026, 4, 13)
    assert p.parse_date("") is None
    assert p.parse_date(date(2026, 1, 2)) == date(2026, 1, 2)
    with pytest.raises(ValueError):
        p.parse_date("13/04/2026")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from("abcdef"), max_size=8), st.sets(st.sampled_from("abcdefgh")))
def test_progress_is_bounded(modules, done):
    result = p.progress(modules, done)
    assert 0 <= result.done <= result.total <= len(modules)
    assert 0 <= result.percent <= 100


@pytest.mark.parametrize("day,tz,end,expected", [
    (date(2026, 4, 13), "Europe/Rome", False, "2026-04-12T22:00:00Z"),
    (date(2026, 1, 13), "Europe/Rome", False, "2026-01-12T23:00:00Z"),
    (date(2026, 5, 15), "Europe/Rome", True, "2026-05-15T21:59:00Z"),
    (date(2026, 5, 15), "UTC", True, "2026-05-15T23:59:00Z"),
    (date(2026, 5, 15), "Not/AZone", False, "2026-05-14T22:00:00Z"),
])
def test_course_days_become_utc_release_stamps(day, tz, end, expected):
    assert p.utc_stamp(day, tz, end_of_day=end) == expected
