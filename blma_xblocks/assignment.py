"""blma_assignment: the individual capstone, written in a rich-text editor, graded by tutors with a rubric.

Learners draft (autosaved), attach files, submit, see their status and every version, the tutor's
feedback once the work is returned or the grade released (the score and levels only once released);
a returned work is revised and resubmitted.
Tutors have a queue (filters, search, pages of 50), claim work (a lease), grade with the rubric,
return for revision or mark graded, and release grades. Submissions go to edx-submissions, whose
score signal carries a released grade to the learner's Open edX gradebook; the results ledger gets
it too. The concerns live in assignment_parts/; the class stays in a module directly inside
blma_xblocks/ for its public assets (base.BlmaBlock.resources_dir).
"""
from xblock.core import XBlock

from .assignment_parts.learner import AssignmentLearner
from .assignment_parts.rubric import Rubric
from .assignment_parts.tutor import AssignmentTutor
from .base import BlmaBlock
from .assignment_parts import store
from .clock import now
from .core import assignment as rules
from .core.phases import PHASE_KIND_LABELS, PHASE_KINDS
from .core.text import N_
from .core.validation import check_assignment
from .declare import attribute, html, items, text
from .sanitize import page_html


QUILL = ("static/vendor/quill/quill.snow.css", "static/vendor/quill/quill.min.js")


def _phases(block):
    return [(k, PHASE_KIND_LABELS[k]) for k in PHASE_KINDS]


class AssignmentBlock(AssignmentLearner, AssignmentTutor, BlmaBlock, XBlock):
    """The capstone assignment: brief, rubric, limits, due date, revision window; learner work and grading."""

    check = staticmethod(check_assignment)
    has_score = True
    icon_class = "problem"

    assessment_id = attribute(str, N_("Assessment id"), default="capstone", legacy=("assignment_id",),
                              help=N_("The name the certificate policy uses, e.g. capstone"))
    phase = attribute(str, N_("Phase"), default="follow_up", choices=_phases)
    title = text(N_("Title"))
    brief = html(N_("Brief (HTML)"))
    due_date = attribute(str, N_("Due date (e.g. 2026-05-15T23:59:00+02:00)"), default="")
    revision_days = attribute(int, N_("Days to resubmit after a return"), default=14)
    pass_mark = attribute(int, N_("Pass mark (%)"), default=60)
    estimated_minutes = attribute(int, N_("Estimated minutes"), default=300)
    min_words = attribute(int, N_("Minimum words (0 = none)"), default=0)
    max_words = attribute(int, N_("Maximum words (0 = none)"), default=3000)
    max_files = attribute(int, N_("Maximum number of files"), default=5)
    max_file_mb = attribute(int, N_("Maximum size of a file (MB)"), default=10)
    file_types = attribute(str, N_("File types (e.g. pdf docx odt xlsx pptx)"), default="pdf docx odt xlsx pptx")
    tutors = attribute(str, N_("Tutors (usernames, comma-separated; allocation splits the work among them)"),
                       default="")
    lease_hours = attribute(int, N_("Hours a claimed work stays with its tutor"), default=8)
    weight = attribute(float, N_("Weight"), default=1.0, studio="text")
    rubric = items(N_("Rubric (OLX <criterion> elements, English and French inside each)"), Rubric())

    def max_score(self):
        return 100

    def values(self):
        values = super().values()
        values["assignment_id"] = values.get("assessment_id")  # the name check_assignment and the CLI use
        return values

    def rubric_context(self, work=None, levels=True):
        """The rubric with the work's feedback per criterion, and its chosen levels unless `levels` is False."""
        chosen = (work.levels if work and levels else None) or {}
        feedback = (work.feedback if work else None) or {}
        return [{"id": c["id"], "weight": c["weight"], "name": self.localized(c.get("name")),
                 "chosen": chosen.get(c["id"]), "feedback": feedback.get(c["id"], ""),
                 "levels": [{"points": lv["points"], "name": self.localized(lv.get("name")),
                             "descriptor": self.localized(lv.get("descriptor"))} for lv in c.get("levels") or []]}
                for c in self.rubric]

    def version_rows(self, versions):
        """Versions for a template, their time in the course's zone as the due date (never the server's)."""
        return [{"number": v.number, "when": self.local_date(v.submitted_at), "late": v.late, "text": v.text,
                 "files": v.files} for v in versions]

    # -- views -----------------------------------------------------------------------------------
    def student_view(self, context=None):  # pylint: disable=unused-argument
        work = self.my_work()
        moment, due = now(), self.due_at()
        state = rules.LEARNER_STATES[work.state if work else rules.DRAFT]  # graded shows only once released
        released = state == rules.RELEASED
        told = state in (rules.RETURNED, rules.RELEASED)  # the tutor's feedback is for the learner then
        context = {
            "title": self.localized(self.title),
            "brief_html": page_html(self.localized(self.brief).text),
            "rubric": self.rubric_context(work if told else None, levels=released),
            "state": state,
            "status": self.gettext(rules.STATE_LABELS[state]),
            "writable": state in rules.WRITABLE,
            "draft": work.draft if work else "",
            "words": rules.word_count(work.draft if work else ""),
            "min_words": self.min_words, "max_words": self.max_words,
            "files": store.draft_files(work) if work else [],
            "max_files": self.max_files, "max_file_mb": self.max_file_mb,
            "accept": ",".join("." + t for t in self.allowed_types()),
            "types": ", ".join(self.allowed_types()),
            "due": self.local_date(due) if due else "",
            "past_due": bool(due and moment > due),
            "extension": self.local_date(work.extension_until) if work and work.extension_until else "",
            "revision_until": self.revision_until(work),
            "versions": self.version_rows(store.versions(work)) if work else [],
            "late": bool(work and work.late),
            "score": work.score if released else None,
            "passed": released and work.score is not None and work.score >= self.pass_mark,
            "pass_mark": self.pass_mark,
            "overall": (work.feedback or {}).get("overall", "") if told else "",
            "download_url": self.runtime.handler_url(self, "download").rstrip("/") + "/",
            "staff": self.tutor_context() if self.is_staff else None,
        }
        return self.render_view("assignment.html", context, js="assignment.js", init="BlmaAssignment",
                                init_args={"writable": context["writable"], "max_words": self.max_words,
                                           "min_words": self.min_words},
                                vendor=QUILL if context["writable"] else ())

    def revision_until(self, work):
        if work is None or work.state != rules.RETURNED:
            return ""
        deadline = rules.revision_deadline(work.returned_at, self.revision_days)
        return self.local_date(deadline) if deadline else ""
