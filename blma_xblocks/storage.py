"""Queries on the project's tables, so blocks never build ORM queries themselves."""
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from .core.phases import PhaseInfo, opening_moment
from .models import Learner, ModuleCompletion, PhaseSchedule, QuizAttempt, QuizReset, Result


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


def phase_opening(course_id, kind):
    """Local midnight of the phase's first day (course time zone), or None when not known (one query)."""
    start = PhaseSchedule.objects.filter(course_id=course_id, kind=kind).values_list("start", flat=True).first()
    return None if start is None else opening_moment(start)


def phase_schedules(course_id):
    """Every phase stored for the course, as core PhaseInfo (one query)."""
    return [
        PhaseInfo(kind=row.kind, start=row.start, end=row.end, mode=row.mode, title=row.title or {})
        for row in PhaseSchedule.objects.filter(course_id=course_id).order_by("start", "kind")
    ]


# -- results ledger and quiz attempts --------------------------------------------------------
def record_result(course_id, block_id, learner_id, *, phase, kind, score, max_score, passed):
    """Write (or overwrite) the learner's result for a graded block; one row per learner and block.

    An UPDATE first (one query in the usual case, a re-grade); the unique constraint
    settles a parallel first write.
    """
    values = {"phase": phase, "kind": kind, "score": score, "max_score": max_score, "passed": passed}
    keys = {"course_id": course_id, "block_id": block_id, "learner_id": learner_id}
    if Result.objects.filter(**keys).update(**values):
        return
    try:
        with transaction.atomic():
            Result.objects.create(**keys, **values)
    except IntegrityError:  # a parallel first write won: overwrite it with ours
        Result.objects.filter(**keys).update(**values)


def start_attempt(course_id, block_id, learner_id, slot, number, question_ids, started_at=None):
    """Create the learner's attempt in `slot` (1 = first current attempt); None if a parallel start won.

    One INSERT: the unique (block, learner, slot) and (block, learner, number) constraints decide
    races in the database, so parallel starts never make more attempts than the slots they saw.
    """
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(course_id=course_id, block_id=block_id, learner_id=learner_id,
                                              slot=slot, number=number, question_ids=list(question_ids),
                                              started_at=started_at or timezone.now())
    except IntegrityError:
        return None


def submit_attempt(attempt_id, answers, earned, possible, percent, now, results=None):
    """Grade an open attempt exactly once.

    The UPDATE ... WHERE submitted_at IS NULL is atomic in the database itself, so of
    any number of parallel submissions one sees 1 row changed and the rest 0: this holds
    on SQLite (writes are serialised) and on MySQL/InnoDB (the row lock taken by the
    UPDATE makes the second one re-read submitted_at after the first commits).
    """
    changed = QuizAttempt.objects.filter(pk=attempt_id, submitted_at__isnull=True, archived=False).update(
        answers=answers, earned=earned, possible=possible, percent=percent, submitted_at=now,
        results=results or {})
    return changed == 1


def attempts(block_id, learner_id):
    """The learner's current (not reset) attempts, oldest first."""
    return list(QuizAttempt.objects.filter(block_id=block_id, learner_id=learner_id, archived=False)
                .order_by("number"))


def next_attempt_number(block_id, learner_id):
    """Numbers keep counting across resets, so an attempt's number is never reused."""
    top = QuizAttempt.objects.filter(block_id=block_id, learner_id=learner_id).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def save_answers(attempt_id, answers):
    """Store the answers of an open attempt; False once it is submitted (nothing is changed then)."""
    return QuizAttempt.objects.filter(pk=attempt_id, submitted_at__isnull=True, archived=False).update(
        answers=answers) == 1


def reset_attempts(course_id, block_id, learner_id, reset_by):
    """Archive the learner's attempts (kept for the record) and note who did it and when."""
    with transaction.atomic():
        count = QuizAttempt.objects.filter(block_id=block_id, learner_id=learner_id, archived=False).update(
            archived=True, slot=None)
        Result.objects.filter(course_id=course_id, block_id=block_id, learner_id=learner_id).delete()
        QuizReset.objects.create(course_id=course_id, block_id=block_id, learner_id=learner_id,
                                 reset_by=reset_by, attempts_archived=count)
    return count


def quiz_attempt_rows(block_id):
    """Every current attempt of a quiz, for the tutor (one query whatever the cohort size)."""
    return list(QuizAttempt.objects.filter(block_id=block_id, archived=False).order_by("learner_id", "number")
                .values("learner_id", "number", "started_at", "submitted_at", "percent", "question_ids", "answers",
                        "results"))


def quiz_resets(block_id):
    return list(QuizReset.objects.filter(block_id=block_id).order_by("-reset_at")
                .values("learner_id", "reset_by", "reset_at", "attempts_archived"))


# -- who is behind an anonymous id -------------------------------------------------------------
def remember_learner(course_id, learner_id, username, full_name):
    """Keep the learner's username and full name for tutor views: one SELECT when nothing changed."""
    username, full_name = (username or "")[:150], (full_name or "")[:255]
    keys = {"course_id": course_id, "learner_id": learner_id}
    known = Learner.objects.filter(**keys).values_list("username", "full_name").first()
    if known == (username, full_name):
        return
    if known is not None:
        Learner.objects.filter(**keys).update(username=username, full_name=full_name, updated=timezone.now())
        return
    try:
        with transaction.atomic():
            Learner.objects.create(**keys, username=username, full_name=full_name)
    except IntegrityError:  # a parallel first request recorded the same learner
        pass


def learner_names(course_id, learner_ids):
    """{anonymous id: (username, full name)} for the ids known in the course (one query)."""
    rows = Learner.objects.filter(course_id=course_id, learner_id__in=list(learner_ids))
    return {row.learner_id: (row.username, row.full_name)
            for row in rows.only("learner_id", "username", "full_name")}
