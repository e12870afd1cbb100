"""Queries on the project's tables, so blocks never build ORM queries themselves."""
from django.db import IntegrityError, transaction

from .core.phases import PhaseInfo
from .models import ModuleCompletion, PhaseSchedule


def mark_module_done(course_id, learner_id, module_id):
    """Record a completion once. Returns (completed_at, created).

    The unique constraint, not a read-then-write, makes parallel clicks safe on
    SQLite and MySQL alike: the loser of the race gets IntegrityError and reads.
    """
    try:
        with transaction.atomic():
            row = ModuleCompletion.objects.create(course_id=course_id, learner_id=learner_id,
                                                  module_id=module_id)
            return row.completed_at, True
    except IntegrityError:
        row = ModuleCompletion.objects.get(course_id=course_id, learner_id=learner_id, module_id=module_id)
        return row.completed_at, False


def completed_modules(course_id, learner_id, module_ids=None):
    """The ids of the modules this learner has done (one query)."""
    rows = ModuleCompletion.objects.filter(course_id=course_id, learner_id=learner_id)
    if module_ids is not None:
        rows = rows.filter(module_id__in=list(module_ids))
    return set(rows.values_list("module_id", flat=True))


def schedules_with(course_id, own):
    """Every phase stored for the course, with `own` stored first if it changed.

    One query when nothing changed (the usual render); a phase block keeps the
    table current, so each phase can show the whole timeline.
    """
    phases = phase_schedules(course_id)
    stored = next((p for p in phases if p.kind == own.kind), None)
    if stored != own:
        values = {"start": own.start, "end": own.end, "mode": own.mode, "title": dict(own.title)}
        try:
            with transaction.atomic():
                PhaseSchedule.objects.update_or_create(course_id=course_id, kind=own.kind, defaults=values)
        except IntegrityError:  # a parallel first render created it: ours is as good, update
            PhaseSchedule.objects.filter(course_id=course_id, kind=own.kind).update(**values)
        phases = [p for p in phases if p.kind != own.kind] + [own]
    return phases


def phase_schedules(course_id):
    """Every phase stored for the course, as core PhaseInfo (one query)."""
    return [
        PhaseInfo(kind=row.kind, start=row.start, end=row.end, mode=row.mode, title=row.title or {})
        for row in PhaseSchedule.objects.filter(course_id=course_id).order_by("start", "kind")
    ]
