"""blma_quiz: an end-of-phase assessment, graded on the server, with item analysis for tutors.

The browser never sees option ids, correctness or option feedback before the author's reveal
rule allows it: questions go out with per-attempt tokens, scores are computed here from the
saved answers only. The block is this module's fields and views; its concerns live in
quiz_parts/ (attempts and learner handlers, tutor views and exports, the bank's OLX). The class
stays in a module directly inside blma_xblocks/: the LMS and XBlock find its public assets
relative to the class's package (base.BlmaBlock.resources_dir).
"""
from xblock.core import XBlock

from . import storage
from .base import BlmaBlock
from .clock import now
from .core import quiz as rules
from .core.text import N_
from .core.validation import check_quiz, parse_datetime
from .declare import attribute, html, items, phase_choices, text
from .quiz_parts.attempts import QuizAttempts
from .quiz_parts.bank import Questions
from .quiz_parts.paper import feedback_item, question_context
from .quiz_parts.tutor import QuizTutor
from .sanitize import page_html

REVEAL_LABELS = {
    rules.REVEAL_NEVER: N_("Never"),
    rules.REVEAL_AFTER_ATTEMPT: N_("After each attempt"),
    rules.REVEAL_AFTER_LAST_OR_PASS: N_("After the last attempt or a pass"),
    rules.REVEAL_AFTER_DUE: N_("After the due date"),
}


def _gradings(block):
    return [(rules.BEST, N_("Best attempt")), (rules.LAST, N_("Last attempt"))]


def _reveals(block):
    return [(r, REVEAL_LABELS[r]) for r in rules.REVEAL_RULES]


class QuizBlock(QuizAttempts, QuizTutor, BlmaBlock, XBlock):
    """An end-of-phase quiz: a bank, N drawn per attempt, attempts, pass mark, dates, time limit."""

    check = staticmethod(check_quiz)
    has_score = True
    icon_class = "problem"

    assessment_id = attribute(str, N_("Assessment id"), default="",
                              help=N_("The name the certificate policy uses, e.g. pre_course-quiz"))
    phase = attribute(str, N_("Phase"), default="pre_course", choices=phase_choices)
    title = text(N_("Title"))
    intro = html(N_("Introduction (HTML)"))
    questions_per_attempt = attribute(int, N_("Questions per attempt (0 = the whole bank)"), default=0)
    # not max_attempts: in the LMS that name inherits the course's "Maximum Attempts" (meant for problems);
    # the quiz's limit is part of the certificate rule, so it is the quiz's own and never inherited
    attempts_allowed = attribute(int, N_("Maximum attempts (0 = unlimited)"), default=2, legacy=("max_attempts",))
    pass_mark = attribute(int, N_("Pass mark (%)"), default=70)
    grading = attribute(str, N_("Grade"), default=rules.BEST, choices=_gradings)
    # not start/due: names the LMS gives every block (edx-when stores them as datetimes)
    open_date = attribute(str, N_("Opening date (e.g. 2026-05-04T00:00:00+02:00; empty = the phase's start)"),
                          default="")
    due_date = attribute(str, N_("Due date (e.g. 2026-05-01T23:59:00+02:00)"), default="")
    time_limit = attribute(int, N_("Time limit in minutes (0 = none)"), default=0)
    reveal = attribute(str, N_("Show correct answers"), default=rules.REVEAL_AFTER_LAST_OR_PASS, choices=_reveals)
    weight = attribute(float, N_("Weight"), default=1.0, studio="text")
    questions = items(N_("Questions (OLX <question> elements, English and French inside each)"), Questions())

    # -- rules -----------------------------------------------------------------------
    def max_score(self):
        """Grades are published as a percentage (raw, unweighted: the LMS applies `weight`)."""
        return 100

    def bank(self):
        """The questions by id (core objects made on first use), once per block instance, read without
        XBlock's copy."""
        source = self._field_data_cache.get("questions")  # there once edited (or read) in this instance
        cached = getattr(self, "_bank", None)
        if cached is None or cached[0] is not source:
            cached = (source, rules.Bank(self.read_only("questions")))
            self._bank = cached  # pylint: disable=attribute-defined-outside-init
        return cached[1]

    def opens_at(self):
        """When attempts may start: the opening date, else local midnight of the phase's start, else now."""
        if self.open_date:
            try:
                return parse_datetime(self.open_date)
            except ValueError:
                return None
        return storage.phase_opening(self.course_run, self.phase)

    def student_view(self, context=None):
        attempts = self.state()
        submitted = [a for a in attempts if a.submitted_at is not None]
        open_attempt = attempts[-1] if attempts and attempts[-1].submitted_at is None else None
        final = rules.final_score([a.percent for a in submitted], self.grading)
        passed = final is not None and final >= self.pass_mark
        moment = now()
        due = self.due_at()
        left = rules.attempts_left(self.attempts_allowed, len(attempts))
        # the opening only matters to a learner who could start (an open attempt means it has opened)
        opens = self.opens_at() if open_attempt is None and left != 0 else None
        not_yet = opens is not None and moment < opens
        context = {
            "title": self.localized(self.title),
            "intro_html": page_html(self.localized(self.intro).text),
            "rules": self.rules_text(),
            "final": final,
            "passed": passed,
            "closed_by_pass": open_attempt is None and rules.closed_by_pass(self.reveal, passed),
            "pass_mark": self.pass_mark,
            "attempts_used": len(attempts),
            "attempts_left": left,
            "unlimited": left is None,
            "can_start": (open_attempt is None and (left is None or left > 0) and (due is None or moment <= due)
                          and not not_yet and not rules.closed_by_pass(self.reveal, passed)),
            "opens_on": self.local_date(opens) if not_yet else None,
            "reveal_rule": self.gettext(rules.REVEAL_EXPLAINED[self.reveal]) if self.reveal in rules.REVEAL_EXPLAINED
            else "",
            "next_number": len(attempts) + 1,
            "past_due": due is not None and moment > due,
            "open": self.open_context(open_attempt, moment) if open_attempt else None,
            "last": self.feedback_context(submitted[-1], len(attempts), final) if submitted else None,
            "staff": self.staff_context() if self.is_staff else None,
        }
        return self.render_view("quiz.html", context, js="quiz.js", init="BlmaQuiz")

    def rules_text(self):
        g = self.gettext
        parts = []
        count = self.questions_per_attempt or len(self.bank())
        parts.append(self.ngettext("{count} question", "{count} questions", count).format(count=count))
        if self.time_limit:
            parts.append(g("{minutes} minutes per attempt").format(minutes=self.time_limit))
        if self.attempts_allowed:
            parts.append(self.ngettext("{count} attempt", "{count} attempts", self.attempts_allowed).format(
                count=self.attempts_allowed))
        else:
            parts.append(g("unlimited attempts"))
        parts.append(g("the best attempt counts") if self.grading == rules.BEST else g("the last attempt counts"))
        parts.append(g("pass mark {mark} %").format(mark=self.pass_mark))
        return " · ".join(parts)

    def open_context(self, attempt, moment):
        bank = self.bank()
        seed = self.seed(attempt)
        limit = self.deadline(attempt)
        lang, block_id = self.language, self.html_id  # once per page, not per question
        return {
            "number": attempt.number,
            "deadline": limit,
            "seconds_left": max(0, int((limit - moment).total_seconds())) if limit else None,
            "questions": [question_context(bank[qid], seed, rules.fitting_answer(bank[qid], attempt.answers.get(qid),
                                                                                 partial=True),
                                           i, lang, block_id, self.gettext)
                          for i, qid in enumerate(attempt.question_ids, 1) if qid in bank],
        }

    def feedback_context(self, attempt, used, final):
        """After an attempt: the score; feedback on each question only once the reveal rule allows it.

        Per-question correctness and option feedback tell the answers as surely as the key does, so
        they follow the same rule (before, a failed first attempt showed them and second-attempt
        scores on repeated questions doubled).
        """
        bank = self.bank()
        passed = final is not None and final >= self.pass_mark
        reveal = rules.may_reveal(self.reveal, submitted=True, attempts_used=used, max_attempts=self.attempts_allowed,
                                  passed=passed, now=now(), due=self.due_at())
        lang, gettext = self.language, self.gettext
        items = [feedback_item(bank[qid], attempt.results.get(qid, 0), attempt.answers.get(qid), lang, gettext)
                 for qid in (attempt.question_ids if reveal else ()) if qid in bank]
        return {"number": attempt.number, "percent": attempt.percent, "passed": attempt.percent >= self.pass_mark,
                "items": items, "revealed": reveal}

    # -- learner handlers ----------------------------------------------------------------
