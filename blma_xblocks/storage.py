"""Queries on the project's tables, so blocks never build ORM queries themselves."""
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from . import statements
from .core.paging import page_window
from .core.phases import PhaseInfo, opening_moment
from .models import Learner, ModuleCompletion, PhaseSchedule, QuizAttempt, QuizReset, Result


DEADLOCK = 1213  # MySQL and MariaDB: "Deadlock found when trying to get lock; try restarting transaction"


def in_transaction(work, tries=3):
    """`work()` in one transaction, run again when MySQL ends it as a deadlock's victim, as MySQL asks its
    clients to (parallel first inserts on one unique key can deadlock on InnoDB). Only when this is the
    outermost transaction: inside another, that whole transaction is gone, so the error goes up. (The
    LMS runs XBlock handlers outside a request transaction: its handler views are non_atomic_requests.)
    Any other error, IntegrityError included, goes up at once."""
    for left in reversed(range(tries)):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            deadlock = bool(error.args) and error.args[0] == DEADLOCK
            if not deadlock or left == 0 or transaction.get_connection().in_atomic_block:
                raise
    return None  # not reached: the last try returns or raises


def mark_module_done(course_id, learner_id, module_id):
    """Record a completion once. Returns (completed_at, created).

    The unique constraint, not a read-then-write, makes parallel clicks safe on
    SQLite and MySQL alike: the loser of the race gets IntegrityError and reads.
    """
    try:
        row = in_transaction(lambda: ModuleCompletion.objects.create(course_id=course_id, learner_id=learner_id,
                                                                     module_id=module_id))
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


def store_phase(course_id, phase):
    """Store a phase's dates for the course's timeline (at Studio save, LMS publish, `blma_demo`)."""
    if not (phase.start and phase.end):
        return
    values = _phase_values(phase)
    try:
        in_transaction(lambda: PhaseSchedule.objects.update_or_create(course_id=course_id, kind=phase.kind,
                                                                      defaults=values))
    except IntegrityError:  # a parallel first store created it: ours is as good, update
        PhaseSchedule.objects.filter(course_id=course_id, kind=phase.kind).update(**values)


def replace_phases(course_id, phases):
    """The course's whole schedule from its published phases, in one transaction: a phase no longer in the
    course, or without dates, leaves the schedule."""
    dated = [phase for phase in phases if phase.start and phase.end]

    def replace():
        PhaseSchedule.objects.filter(course_id=course_id).exclude(kind__in=[p.kind for p in dated]).delete()
        for phase in dated:
            PhaseSchedule.objects.update_or_create(course_id=course_id, kind=phase.kind, defaults=_phase_values(phase))
    in_transaction(replace)


def _phase_values(phase):
    return {"start": phase.start, "end": phase.end, "mode": phase.mode, "title": dict(phase.title)}


def phase_opening(course_id, kind):
    """Local midnight of the phase's first day (course time zone), or None when not known (one query)."""
    rows = statements.select(PhaseSchedule, {"course_id": course_id, "kind": kind})  # on every quiz page
    return opening_moment(rows[0].start) if rows else None


def phase_schedules(course_id):
    """Every phase stored for the course, as core PhaseInfo (one query)."""
    return [
        PhaseInfo(kind=row.kind, start=row.start, end=row.end, mode=row.mode, title=row.title or {})
        for row in PhaseSchedule.objects.filter(course_id=course_id).order_by("start", "kind")
    ]


# -- results ledger and quiz attempts --------------------------------------------------------
# one keyword argument per column of the row: more than the design limit, on purpose
def record_result(course_id, block_id, learner_id, *,  # pylint: disable=too-many-arguments
                  assessment_id="", phase, kind, score, max_score, passed):
    """Write (or overwrite) the learner's result for a graded block; one row per learner and block.

    One statement, first write or re-grade alike: an INSERT that updates the row the unique
    constraint finds (ON CONFLICT on SQLite and PostgreSQL, ON DUPLICATE KEY on MySQL/MariaDB), so a
    parallel first write cannot fail either.
    """
    values = {"assessment_id": assessment_id, "phase": phase, "kind": kind, "score": score, "max_score": max_score,
              "passed": passed}
    statements.upsert(Result(course_id=course_id, block_id=block_id, learner_id=learner_id, **values),
                      unique=("course_id", "block_id", "learner_id"), changing=(*values, "updated"))


def result_rows(course_id, learner_id=None):
    """The ledger rows of a course (or of one learner in it) as dicts, in one query."""
    rows = Result.objects.filter(course_id=course_id)
    if learner_id is not None:
        rows = rows.filter(learner_id=learner_id)
    return list(rows.order_by("learner_id", "assessment_id").values(
        "learner_id", "assessment_id", "block_id", "phase", "kind", "score", "max_score", "passed", "updated"))


def start_attempt(course_id, block_id, learner_id, slot, number, question_ids, started_at=None):
    """Create the learner's attempt in `slot` (1 = first current attempt); None if a parallel start won.

    One INSERT: the unique (block, learner, slot) and (block, learner, number) constraints decide
    races in the database, so parallel starts never make more attempts than the slots they saw.
    """
    try:
        return in_transaction(lambda: QuizAttempt.objects.create(
            course_id=course_id, block_id=block_id, learner_id=learner_id, slot=slot, number=number,
            question_ids=list(question_ids), started_at=started_at or timezone.now()))
    except IntegrityError:
        return None


def submit_attempt(attempt_id, answers, earned, possible, percent, now, results=None):
    """Grade an open attempt exactly once.

    The UPDATE ... WHERE submitted_at IS NULL is atomic in the database itself, so of
    any number of parallel submissions one sees 1 row changed and the rest 0: this holds
    on SQLite (writes are serialised) and on MySQL/InnoDB (the row lock taken by the
    UPDATE makes the second one re-read submitted_at after the first commits).
    """
    changed = statements.update(QuizAttempt, {
        "answers": answers, "earned": earned, "possible": possible, "percent": percent, "submitted_at": now,
        "results": results or {}}, where={"id": attempt_id, "archived": False}, is_null=("submitted_at",))
    return changed == 1


def current_attempts(block_id):
    """The quiz's current (not reset) attempts. `archived__in=(False,)`, not `archived=False`: Django writes
    the latter as `NOT archived` on SQLite, which no index serves (the roster's count: 78 ms, then 9 ms,
    at 50,000 learners)."""
    return QuizAttempt.objects.filter(block_id=block_id, archived__in=(False,))


def attempts(block_id, learner_id):
    """The learner's current (not reset) attempts, oldest first (read on every quiz page and handler)."""
    return statements.select(QuizAttempt, {"block_id": block_id, "archived": False, "learner_id": learner_id},
                             order_by=("number",))


def next_attempt_number(block_id, learner_id):
    """Numbers keep counting across resets, so an attempt's number is never reused."""
    top = QuizAttempt.objects.filter(block_id=block_id, learner_id=learner_id).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def save_answers(attempt_id, answers):
    """Store the answers of an open attempt; False once it is submitted (nothing is changed then)."""
    return statements.update(QuizAttempt, {"answers": answers}, where={"id": attempt_id, "archived": False},
                             is_null=("submitted_at",)) == 1


def reset_attempts(course_id, block_id, learner_id, reset_by):
    """Archive the learner's attempts (kept for the record) and note who did it and when."""
    def reset():
        count = current_attempts(block_id).filter(learner_id=learner_id).update(archived=True, slot=None)
        Result.objects.filter(course_id=course_id, block_id=block_id, learner_id=learner_id).delete()
        QuizReset.objects.create(course_id=course_id, block_id=block_id, learner_id=learner_id,
                                 reset_by=reset_by, attempts_archived=count)
        return count
    return in_transaction(reset)


def has_attempts(block_id, learner_id):
    return current_attempts(block_id).filter(learner_id=learner_id).exists()


def quiz_stamp(block_id):
    """Changes whenever an attempt of the quiz is graded or reset (one aggregate query)."""
    found = current_attempts(block_id).filter(submitted_at__isnull=False).aggregate(
        count=Count("id"), last=Max("submitted_at"))
    return f"{found['count']}:{found['last'].isoformat() if found['last'] else ''}"


def last_graded_attempts(block_id):
    """Each learner's last graded (current) attempt, for item analysis (one query)."""
    graded = current_attempts(block_id).filter(submitted_at__isnull=False)
    last = graded.filter(learner_id=OuterRef("learner_id")).order_by("-number").values("pk")[:1]
    columns = ("learner_id", "percent", "question_ids", "answers", "results")
    return list(graded.filter(pk=Subquery(last)).values(*columns))


def learner_ids_matching(course_id, query):
    """Anonymous ids of the course's learners whose name or username contains `query` (a subquery)."""
    return Learner.objects.filter(Q(full_name__icontains=query) | Q(username__icontains=query),
                                  course_id=course_id).values("learner_id")


def quiz_roster(course_id, block_id, learner_ids, page, size, grading="best"):
    """(total, rows) of attempts per learner, `size` rows of page `page` (all when None), in the order of
    `page_by_name`: 4 queries for a full page, at most 6, none per learner."""
    current = current_attempts(block_id)
    if learner_ids is not None:
        current = current.filter(learner_id__in=learner_ids)
    total, picked = page_by_name(course_id, current, page, size)
    return total, _roster_rows(course_id, current, picked, grading)


def page_by_name(course_id, rows, page, size):
    """(total, learner ids) of page `page` of the learners in `rows` (any queryset with a learner_id
    column): the named by name, then any never named, by id; every learner when `size` is None.

    No query reads every row to make a page: the count runs on the block's index, and the named page
    walks the learner table's name index in order, checking each learner for a row, until the page is
    full (50 probes for a first page, whatever the cohort). The named count and the unnamed learners
    are read only when the named ones do not fill the page. 2 queries for a full page, at most 4.
    """
    total = rows.values("learner_id").distinct().count()
    start = 0 if size is None else page_window(total, page, size)[2]
    stop = None if size is None else start + size
    known = Learner.objects.filter(course_id=course_id)
    named = known.filter(Exists(rows.filter(learner_id=OuterRef("learner_id"))))
    picked = list(named.order_by("sort_key", "learner_id").values_list("learner_id", flat=True)[start:stop])
    if size is None or len(picked) < size:
        named_count = start + len(picked) if picked else named.count()
        skip, wanted = max(0, start - named_count), None if size is None else size - len(picked)
        unnamed = (rows.filter(~Exists(known.filter(learner_id=OuterRef("learner_id"))))
                   .values_list("learner_id", flat=True).distinct().order_by("learner_id"))
        picked += list(unnamed[skip:] if wanted is None else unnamed[skip:skip + wanted])
    return total, picked


def _roster_rows(course_id, current, picked, grading):
    """Attempts, best and last score of the given learners (one query), with their names (one query)."""
    graded = current.filter(learner_id=OuterRef("learner_id"), submitted_at__isnull=False).order_by("-number")
    stats = {row["learner_id"]: row for row in current.filter(learner_id__in=picked).values("learner_id").annotate(
        attempts=Count("id"), open=Count("id", filter=Q(submitted_at__isnull=True)), best=Max("percent"),
        last=Subquery(graded.values("percent")[:1]))}
    names = learner_names(course_id, picked)
    rows = []
    for learner_id in picked:
        row = dict(stats[learner_id])
        row["username"], row["full_name"] = names.get(learner_id, ("", ""))
        row["final"] = row["best"] if grading == "best" else row["last"]
        row["open"] = bool(row["open"])
        rows.append(row)
    return rows


def quiz_resets(block_id, limit=None):
    """The quiz's resets, newest first (the `limit` newest when given)."""
    return list(QuizReset.objects.filter(block_id=block_id).order_by("-reset_at")
                .values("learner_id", "reset_by", "reset_at", "attempts_archived")[:limit])


# -- who is behind an anonymous id -------------------------------------------------------------
def remember_learner(course_id, learner_id, username, full_name):
    """Keep the learner's username and full name for tutor views: one SELECT when nothing changed."""
    username, full_name = (username or "")[:150], (full_name or "")[:255]
    keys = {"course_id": course_id, "learner_id": learner_id}
    known = Learner.objects.filter(**keys).values_list("username", "full_name").first()
    if known == (username, full_name):
        return
    values = {"username": username, "full_name": full_name, "sort_key": Learner.sort_key_of(username, full_name)}
    if known is not None:
        Learner.objects.filter(**keys).update(updated=timezone.now(), **values)
        return
    try:
        in_transaction(lambda: Learner.objects.create(**keys, **values))
    except IntegrityError:  # a parallel first request recorded the same learner
        pass


def learner_names(course_id, learner_ids):
    """{anonymous id: (username, full name)} for the ids known in the course (one query)."""
    rows = Learner.objects.filter(course_id=course_id, learner_id__in=list(learner_ids))
    return {row.learner_id: (row.username, row.full_name)
            for row in rows.only("learner_id", "username", "full_name")}
