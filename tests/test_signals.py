"""The publish receiver (edx-platform's course_published): the course's phases are stored for the timeline."""
import sys
import types

import pytest

from blma_xblocks import signals, storage

from .conftest import MODULES

pytestmark = pytest.mark.django_db


def test_a_publish_stores_every_phase_of_the_course(load, monkeypatch):
    phases = [load((MODULES / kind / "phase.xml").read_text(encoding="utf-8").split("?>", 1)[1])
              for kind in ("pre_course", "residential", "follow_up")]
    seen = {}

    class Store:
        def get_items(self, course_key, qualifiers):
            seen.update(course_key=course_key, qualifiers=qualifiers)
            return phases
    fake = types.ModuleType("xmodule.modulestore.django")
    fake.modulestore = Store
    monkeypatch.setitem(sys.modules, "xmodule.modulestore.django", fake)
    signals.store_course_phases(None, course_key="course-v1:X+Y+Z")
    assert seen["qualifiers"] == {"category": "blma_phase"}
    stored = storage.phase_schedules("course-v1:X+Y+Z")
    assert [p.kind for p in stored] == ["pre_course", "residential", "follow_up"]
    assert str(stored[1].start) == "2026-05-04"


def test_a_failing_modulestore_never_fails_the_publish(monkeypatch, caplog):
    fake = types.ModuleType("xmodule.modulestore.django")
    fake.modulestore = lambda: (_ for _ in ()).throw(RuntimeError("down"))
    monkeypatch.setitem(sys.modules, "xmodule.modulestore.django", fake)
    signals.store_course_phases(None, course_key="course-v1:X+Y+Z")
    assert "could not store the phase schedule" in caplog.text
