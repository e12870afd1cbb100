"""The capstone assignment's rules: rubric scoring, the grading state machine, leases, allocation.

Pure functions and data: no Django, no XBlock. The block and its storage apply them.
"""
import html
import re
from dataclasses import dataclass
from datetime import timedelta

from .text import N_

DRAFT, SUBMITTED, IN_GRADING, RETURNED, GRADED, RELEASED = (
    "draft", "submitted", "in_grading", "returned", "graded", "released")
STATES = (DRAFT, SUBMITTED, IN_GRADING, RETURNED, GRADED, RELEASED)
STATE_LABELS = {
    DRAFT: N_("Draft"),
    SUBMITTED: N_("Submitted"),
    IN_GRADING: N_("In grading"),
    RETURNED: N_("Returned for revision"),
    GRADED: N_("Graded"),
    RELEASED: N_("Graded"),  # the learner sees "graded" once released; tutors see released apart
}
# What a learner is told: a grade is news only once released, so a graded work is still "in grading".
LEARNER_STATES = {**{state: state for state in STATES}, GRADED: IN_GRADING}
# action -> (the states it may start from, the state it leads to). The store's conditional UPDATEs
# apply it, so a move from any other state changes no row and the handler answers 409.
MOVES = {
    "submit": ((DRAFT, RETURNED), SUBMITTED),  # a resubmission after a return too
    "claim": ((SUBMITTED, IN_GRADING), IN_GRADING),  # the lease holder renews it, or another tutor after it expired
    "save": ((IN_GRADING,), IN_GRADING),
    "return": ((IN_GRADING,), RETURNED),
    "mark": ((IN_GRADING,), GRADED),
    "release": ((GRADED,), RELEASED),
}
WRITABLE = MOVES["submit"][0]  # the learner changes the draft and its files only in a state it can be submitted from
WAITING = (SUBMITTED, IN_GRADING)  # what a tutor still has to grade


class GradeError(ValueError):
    """A grade that does not fit the rubric; message is an N_ msgid with params."""

    def __init__(self, message, **params):
        super().__init__(message.format(**params))
        self.message, self.params = message, params


# -- the rubric ------------------------------------------------------------------------------------
def check_levels(rubric, levels, partial=False):
    """The chosen points per criterion, checked: every criterion rated (unless `partial`, a draft grade),
    each with one of its own levels. The type is checked first: a list or an object is no level."""
    if not isinstance(levels, dict):
        raise GradeError(N_("Choose a level for each criterion."))
    known = {c["id"]: {level["points"] for level in c["levels"]} for c in rubric}
    unknown = sorted(set(levels) - set(known))
    if unknown:
        raise GradeError(N_("The rubric has no criterion \"{criterion}\"."), criterion=unknown[0])
    for criterion in rubric:
        points = levels.get(criterion["id"])
        if points is None:
            if partial:
                continue
            raise GradeError(N_("Choose a level for \"{criterion}\"."), criterion=criterion["id"])
        if isinstance(points, bool) or not isinstance(points, int) or points not in known[criterion["id"]]:
            raise GradeError(N_("\"{points}\" is not a level of \"{criterion}\"."), points=points,
                             criterion=criterion["id"])
    return {cid: levels[cid] for cid in known if levels.get(cid) is not None}


def rubric_score(rubric, levels):
    """0-100: for each criterion, its weight x the chosen points / its top points (weights add to 100)."""
    total = 0.0
    for criterion in rubric:
        top = max((level["points"] for level in criterion["levels"]), default=0)
        if top:
            total += criterion["weight"] * levels.get(criterion["id"], 0) / top
    return round(total, 2)


# -- time ----------------------------------------------------------------------------------------------
def is_late(moment, due, extension=None):
    """Past the due date, or past the learner's own extension when a tutor granted one."""
    limit = max(d for d in (due, extension) if d is not None) if (due or extension) else None
    return limit is not None and moment > limit


def revision_deadline(returned_at, revision_days):
    return returned_at + timedelta(days=revision_days) if returned_at and revision_days else None


def lease_free(holder, lease_until, tutor, moment):
    """May `tutor` claim (or keep) the work? Free, theirs, or the other tutor's lease has expired."""
    return not holder or holder == tutor or lease_until is None or lease_until <= moment


def lease_end(moment, hours):
    return moment + timedelta(hours=hours)


# -- allocation -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Allocation:
    """One work given to one tutor."""
    learner_id: str
    tutor: str


def allocate(unassigned, tutors, loads=None):
    """Split unassigned work evenly: each goes to the tutor with the least work (then in list order).

    `loads` counts what each tutor already holds, so a second allocation keeps the split even.
    """
    tutors = [t for t in dict.fromkeys(tutors) if t]
    if not tutors:
        return []
    load = {t: (loads or {}).get(t, 0) for t in tutors}
    result = []
    for learner_id in unassigned:
        tutor = min(tutors, key=lambda t: (load[t], tutors.index(t)))
        load[tutor] += 1
        result.append(Allocation(learner_id, tutor))
    return result


# -- text ------------------------------------------------------------------------------------------------
_TAG = re.compile(r"<[^>]+>")
# a word: letters/digits, joined by an apostrophe or hyphen (aujourd'hui, well-known) or, in a number,
# by a decimal or thousands separator (3,000; 1.5)
_WORD = re.compile(r"[^\W_]+(?:(?:['’-]|(?<=\d)[.,](?=\d))[^\W_]+)*", re.UNICODE)


def word_count(html_text):
    """Words in a text written in the editor (tags and entities are not words)."""
    text = html.unescape(_TAG.sub(" ", html_text or ""))  # r&eacute;sum&eacute;, l&#39;OIT: one word each
    return len(_WORD.findall(text))


def words_problem(count, minimum, maximum):
    """An N_ message when the count is outside the limits (0 = no limit), else None."""
    if maximum and count > maximum:
        return N_("The text has {count} words; the limit is {limit}.")
    if minimum and count < minimum:
        return N_("The text has {count} words; at least {limit} are expected.")
    return None
