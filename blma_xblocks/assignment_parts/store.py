"""Queries on the capstone's tables. Every change of state is one conditional UPDATE, so two tutors
(or a learner's double click) can never both win: the loser sees 0 rows changed and gets a 409."""
from django.db import IntegrityError
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from .. import storage as shared_storage
from ..core import assignment as rules
from ..core.paging import page_window
from ..models import AssignmentEvent, AssignmentFile, AssignmentVersion, AssignmentWork, Learner

SORTS = {"name": None, "submitted": "submitted_at", "-submitted": "-submitted_at", "state": "state"}


def work(course_id, block_id, learner_id, create=False):
    """The learner's work in the block (created on first need when `create`)."""
    found = AssignmentWork.objects.filter(block_id=block_id, learner_id=learner_id).first()
    if found is None and create:
        try:
            found = shared_storage.in_transaction(lambda: AssignmentWork.objects.create(
                course_id=course_id, block_id=block_id, learner_id=learner_id))
        except IntegrityError:  # a parallel first request created it
            found = AssignmentWork.objects.get(block_id=block_id, learner_id=learner_id)
    return found


def event(work_row, actor, action, **detail):
    AssignmentEvent.objects.create(work=work_row, actor=actor or "", action=action, detail=detail)


def save_draft(work_row, text, moment):
    """Only while the learner may write (draft, or returned for revision): True when saved."""
    return AssignmentWork.objects.filter(pk=work_row.pk, state__in=rules.WRITABLE).update(
        draft=text, draft_saved_at=moment) == 1


def draft_files(work_row):
    return list(AssignmentFile.objects.filter(work=work_row, version__isnull=True).order_by("uploaded_at", "pk"))


def add_file(work_row, name, kind, size, storage_name, max_files):
    """Attach a draft file: (the file, "") or (None, "closed" | "full").

    The conditional UPDATE comes first: it takes the work's row lock on MySQL and the write lock on
    SQLite, so parallel uploads count the files one after another and never pass `max_files`.
    """
    def attach():
        if not AssignmentWork.objects.filter(pk=work_row.pk, state__in=rules.WRITABLE).update(
                updated=timezone.now()):
            return None, "closed"  # submitted meanwhile
        if AssignmentFile.objects.filter(work=work_row, version__isnull=True).count() >= max_files:
            return None, "full"
        return AssignmentFile.objects.create(work=work_row, name=name, kind=kind, size=size,
                                             storage_name=storage_name), ""
    return shared_storage.in_transaction(attach)


def remove_draft_file(work_row, file_id):
    """The file's storage name when it was a draft file of this work, else None."""
    found = AssignmentFile.objects.filter(work=work_row, pk=file_id, version__isnull=True).first()
    if found is None:
        return None
    found.delete()
    return found.storage_name


def file_in_block(block_id, file_id):
    """A file of this block (with its work), whoever owns it; None for another block's file."""
    return AssignmentFile.objects.select_related("work").filter(work__block_id=block_id, pk=file_id).first()


def submit(work_row, text, moment, record):
    """Turn the draft into version n+1 in one transaction; None when the work was not open (a double submit).

    `record(files)` (the edx-submissions submission, its uuid) runs only once the conditional UPDATE
    has won, inside the transaction: a lost race or an error leaves no orphan behind. Late work is
    refused before this (core.is_late), so a version is never late; the column keeps older flags.
    """
    sources, target = rules.MOVES["submit"]

    def turn():
        changed = AssignmentWork.objects.filter(pk=work_row.pk, state__in=sources).update(
            state=target, draft=text, draft_saved_at=moment, versions=F("versions") + 1, submitted_at=moment,
            late=False, lease_until=None, score=None, released_at=None, revision=F("revision") + 1)
        if not changed:
            return None
        work_row.refresh_from_db()
        files = draft_files(work_row)
        AssignmentFile.objects.filter(pk__in=[f.pk for f in files]).update(version=work_row.versions)
        return AssignmentVersion.objects.create(
            work=work_row, number=work_row.versions, text=text, submitted_at=moment, submission_uuid=record(files),
            files=[{"id": f.pk, "name": f.name, "kind": f.kind, "size": f.size} for f in files])
    return shared_storage.in_transaction(turn)


def versions(work_row):
    return list(AssignmentVersion.objects.filter(work=work_row).order_by("-number"))


def latest_version(work_row):
    """The newest submitted version (None before the first submission)."""
    return AssignmentVersion.objects.filter(work=work_row).order_by("-number").first()


def change(work_row, revision, sources, **values):
    """A grading write: only from `sources` states and only if nobody wrote since `revision`."""
    return AssignmentWork.objects.filter(pk=work_row.pk, revision=revision, state__in=sources).update(
        revision=F("revision") + 1, **values) == 1


def move(work_row, revision, action, **values):
    """A grading action (save, return, mark, release) as core.MOVES allows it; False when refused or stale."""
    sources, target = rules.MOVES[action]
    return change(work_row, revision, sources, state=target, **values)


def claim(work_row, tutor, moment, until):
    """Take the lease when it is free, expired or already the tutor's (one UPDATE decides)."""
    free = Q(tutor="") | Q(tutor=tutor) | Q(lease_until__isnull=True) | Q(lease_until__lte=moment)  # core.lease_free
    sources, target = rules.MOVES["claim"]
    return AssignmentWork.objects.filter(free, pk=work_row.pk, state__in=sources).update(
        state=target, tutor=tutor, lease_until=until, revision=F("revision") + 1) == 1


def queue(block_id, course_id, *, state=None, learner_ids=None, tutor=None, page=1, size=50, sort="name"):
    """(total, rows) of the block's submitted work for tutors; a few queries whatever the cohort.

    By name (the default), the page comes from `page_by_name` (the learners' name index, as the quiz
    roster); by date or state, from the work table, sorted in the database. Names are read for the
    page's rows only.
    """
    rows = AssignmentWork.objects.filter(block_id=block_id, versions__gt=0)
    if state:
        rows = rows.filter(state=state)
    if learner_ids is not None:
        rows = rows.filter(learner_id__in=learner_ids)
    if tutor is not None:
        rows = rows.filter(tutor=tutor)
    names = Learner.objects.filter(course_id=course_id, learner_id=OuterRef("learner_id"))
    named = rows.annotate(full_name=Subquery(names.values("full_name")[:1]),
                          username=Subquery(names.values("username")[:1]))
    columns = ("learner_id", "state", "tutor", "late", "submitted_at", "versions", "score", "released_at",
               "lease_until", "full_name", "username")
    order = SORTS.get(sort) or None
    if order is None:
        total, picked = shared_storage.page_by_name(course_id, rows, page, size)
        found = {row["learner_id"]: row for row in named.filter(learner_id__in=picked).values(*columns)}
        # a row can leave between the two queries (a filter's state changed): the page is one shorter
        return total, [found[learner_id] for learner_id in picked if learner_id in found]
    total = rows.count()
    start = page_window(total, page, size)[2]
    return total, list(named.order_by(order, "learner_id").values(*columns)[start:start + size])


def counts(block_id):
    """How many works are in each state (one query)."""
    return dict(AssignmentWork.objects.filter(block_id=block_id, versions__gt=0).values_list("state")
                .annotate(n=Count("id")).values_list("state", "n"))


def unassigned(block_id):
    """Work waiting for a tutor, oldest first (for allocation)."""
    return list(AssignmentWork.objects.filter(block_id=block_id, state=rules.SUBMITTED, tutor="")
                .order_by("submitted_at", "pk").values_list("learner_id", flat=True))


def loads(block_id):
    return dict(AssignmentWork.objects.filter(block_id=block_id, state__in=rules.WAITING).exclude(tutor="")
                .values_list("tutor").annotate(n=Count("id")).values_list("tutor", "n"))


def assign(block_id, allocations):
    """Give each unassigned work its tutor (only if still unassigned): one UPDATE per tutor."""
    by_tutor = {}
    for item in allocations:
        by_tutor.setdefault(item.tutor, []).append(item.learner_id)
    return sum(AssignmentWork.objects.filter(block_id=block_id, learner_id__in=learner_ids, tutor="",
                                             state=rules.SUBMITTED).update(tutor=tutor, revision=F("revision") + 1)
               for tutor, learner_ids in by_tutor.items())


def graded_to_release(block_id):
    return list(AssignmentWork.objects.filter(block_id=block_id, state=rules.GRADED))


def all_files(block_id):
    return list(AssignmentFile.objects.select_related("work").filter(work__block_id=block_id, version__isnull=False)
                .order_by("work__learner_id", "version", "pk"))


def export_rows(block_id):
    return list(AssignmentWork.objects.filter(block_id=block_id, versions__gt=0).order_by("learner_id")
                .values("learner_id", "state", "tutor", "late", "versions", "score", "levels", "feedback",
                        "submitted_at", "released_at"))
