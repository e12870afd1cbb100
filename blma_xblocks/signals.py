"""In the LMS and Studio: when a course is published, store its phases' dates for the timeline.

The phase views read the course's schedule (storage.phase_schedules) and never write it; a publish
(and a Studio save of a phase, and `blma_demo` in the workbench) keeps it current. This module is
connected only where edx-platform's modulestore exists (apps.py).
"""
import logging

from . import storage

log = logging.getLogger(__name__)


def store_course_phases(sender, course_key, **kwargs):
    from xmodule.modulestore.django import modulestore  # pylint: disable=import-error
    try:
        phases = modulestore().get_items(course_key, qualifiers={"category": "blma_phase"})
        for phase in phases:
            storage.store_phase(str(course_key), phase.info())
    except Exception:  # a publish must never fail because of the timeline  pylint: disable=broad-except
        log.exception("could not store the phase schedule of %s", course_key)
