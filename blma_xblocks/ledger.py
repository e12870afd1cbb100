"""The results ledger API: blocks write through `publish_result`; the certificate reads `results_for`.

One row per learner per graded block (storage.Result). Each row carries the block's author-set
`assessment_id`, the name a certificate policy uses: usage ids differ between Studio and files.
"""
from . import storage
from .core.results import AssessmentResult


def publish_result(block, *, kind, score, passed, write=None):
    """Record a learner's result on `block` and give the LMS its grade.

    In one transaction: `write()` first (the block's own row, e.g. the graded attempt; when it
    returns False, a parallel request won and nothing is recorded), then the ledger row. After the
    commit, `runtime.publish` sends the raw score (the LMS applies the block's weight itself).
    """
    values = _values(block, kind, score, passed)  # the block's fields, read before the transaction

    def record():
        if write is not None and not write():
            return False
        storage.record_result(block.course_run, block.block_key, block.learner_id, **values)
        return True
    if not storage.in_transaction(record):
        return False
    block.runtime.publish(block, "grade", {"value": score, "max_value": block.max_score()})
    return True


def record_for_learner(block, learner_id, *, kind, score, passed):
    """A result a tutor gives (a capstone's released grade): the ledger row for that learner.

    No runtime.publish here: in a request it would grade the tutor. The gradebook gets the score
    through edx-submissions (set_score), whose signal the LMS's grades app listens to.
    """
    storage.record_result(block.course_run, block.block_key, learner_id,
                          **_values(block, kind, score, passed))


def _values(block, kind, score, passed):
    """A ledger row's values from the block (its assessment id, phase and maximum score) and the result."""
    return {"assessment_id": block.assessment_id or "", "phase": block.phase, "kind": kind, "score": score,
            "max_score": block.max_score(), "passed": passed}


def _result(row):
    return AssessmentResult(**row)  # storage.result_rows reads exactly these columns


def results_for(course_id, learner_id):
    """A learner's results in a course, by assessment id (one query)."""
    return {r.assessment_id: r for r in map(_result, storage.result_rows(course_id, learner_id=learner_id))}


def results_for_course(course_id):
    """Every learner's results in a course: {learner id: {assessment id: result}} (one query)."""
    found = {}
    for result in map(_result, storage.result_rows(course_id)):
        found.setdefault(result.learner_id, {})[result.assessment_id] = result
    return found
