"""The publish receiver (edx-platform's course_published): the course's published phases are its schedule."""
import contextlib
import sys
import types
from datetime import date

import pytest

from blma_xblocks import signals, storage
from blma_xblocks.core.phases import PhaseInfo

from .conftest import MODULES

pytestmark = pytest.mark.django_db
PUBLISHED_ONLY = "published-only"


class CourseKey:
    """opaque_keys' CourseLocator as a publish may send it: with a branch and a version."""

    def __init__(self, text, branch="draft-branch", version="v1"):
        self.text, self.branch, self.version = text, branch, version

    def for_branch(self, branch):
        return CourseKey(self.text, branch, self.version)

    def version_agnostic(self):
        return CourseKey(self.text, self.branch, None)

    def __str__(self):
        return self.text + (f"+branch@{self.branch}" if self.branch else "") + (
            f"+version@{self.version}" if self.version else "")


@pytest.fixture
def modulestore(monkeypatch):
    """edx-platform's modulestore as the receiver uses it: the branch it was read on, the items there."""
    seen = {"published": [], "draft": []}

    class Store:
        branch = "draft"

        @contextlib.contextmanager
        def branch_setting(self, branch, course_key):  # pylint: disable=unused-argument
            Store.branch = "published" if branch == PUBLISHED_ONLY else "draft"
            yield
            Store.branch = "draft"

        def get_items(self, course_key, qualifiers):
            seen.update(course_key=course_key, qualifiers=qualifiers)
            return seen[Store.branch]
    django_module = types.ModuleType("xmodule.modulestore.django")
    django_module.modulestore = Store
    enum_module = types.ModuleType("xmodule.modulestore")
    enum_module.ModuleStoreEnum = types.SimpleNamespace(Branch=types.SimpleNamespace(published_only=PUBLISHED_ONLY))
    monkeypatch.setitem(sys.modules, "xmodule.modulestore", enum_module)
    monkeypatch.setitem(sys.modules, "xmodule.modulestore.django", django_module)
    return seen


def phases(load):
    return [load((MODULES / kind / "phase.xml").read_text(encoding="utf-8").split("?>", 1)[1])
            for kind in ("pre_course", "residential", "follow_up")]


def test_a_publish_stores_every_published_phase_of_the_course(load, modulestore):
    modulestore["published"] = phases(load)
    modulestore["draft"] = []  # Studio's default branch: unpublished edits, never read
    signals.store_course_phases(None, course_key=CourseKey("course-v1:X+Y+Z"))
    assert modulestore["qualifiers"] == {"category": "blma_phase"}
    stored = storage.phase_schedules("course-v1:X+Y+Z")  # the id the LMS's blocks carry
    assert [p.kind for p in stored] == ["pre_course", "residential", "follow_up"]
    assert str(stored[1].start) == "2026-05-04"


def test_a_phase_removed_or_left_without_dates_leaves_the_schedule(load, modulestore):
    storage.store_phase("course-v1:X+Y+Z", PhaseInfo("follow_up", date(2026, 5, 11), date(2026, 7, 3), "online", {}))
    pre_course, residential, _follow_up = phases(load)
    residential.start_date = ""
    modulestore["published"] = [pre_course, residential]
    signals.store_course_phases(None, course_key="course-v1:X+Y+Z")
    assert [p.kind for p in storage.phase_schedules("course-v1:X+Y+Z")] == ["pre_course"]


@pytest.mark.usefixtures("modulestore")
def test_a_failing_modulestore_never_fails_the_publish(caplog):
    sys.modules["xmodule.modulestore.django"].modulestore = lambda: (_ for _ in ()).throw(RuntimeError("down"))
    signals.store_course_phases(None, course_key="course-v1:X+Y+Z")
    assert "could not store the phase schedule" in caplog.text
