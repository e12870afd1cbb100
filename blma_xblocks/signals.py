"""In the LMS and Studio: when a course is published, store its phases' dates for the timeline.

The phase views read the course's schedule (storage.phase_schedules) and never write it. A publish
replaces it with the published phases (Studio's draft edits stay out of learners' timelines until
published; a phase deleted or left without dates leaves it); in the workbench, which has no publish
step, a save of a phase and `blma_demo` store it. This module is connected only where edx-platform's
modulestore exists (apps.py).
"""
import logging

from . import storage

log = logging.getLogger(__name__)


def course_id_of(course_key):
    """The course id the LMS's blocks carry: no branch, no version (a publish may send either)."""
    if hasattr(course_key, "for_branch"):
        course_key = course_key.for_branch(None).version_agnostic()
    return str(course_key)


def store_course_phases(sender, course_key, **kwargs):
    from xmodule.modulestore import ModuleStoreEnum  # pylint: disable=import-error
    from xmodule.modulestore.django import modulestore  # pylint: disable=import-error
    try:
        store = modulestore()
        with store.branch_setting(ModuleStoreEnum.Branch.published_only, course_key):
            phases = store.get_items(course_key, qualifiers={"category": "blma_phase"})
        storage.replace_phases(course_id_of(course_key), [phase.info() for phase in phases])
    except Exception:  # a publish must never fail because of the timeline  pylint: disable=broad-except
        log.exception("could not store the phase schedule of %s", course_key)
