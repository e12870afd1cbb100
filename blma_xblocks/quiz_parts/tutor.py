"""The quiz for tutors: item analysis, attempts per learner (paginated, searchable), resets, CSV.

The per-learner table is read a page at a time (50 rows, one query with the names joined in the
database), and the item analysis, which reads every attempt, comes from its own handler, cached
until the next submission, so the tutor's page stays fast at any cohort size.
"""
import hashlib
import json

from django.core.cache import cache

from .. import storage, tutor
from ..core import quiz as rules
from ..core.paging import page_window
from ..core.text import N_
from ..handlers import download, handler
from ..rendering import render

PAGE_SIZE = 50
ANALYSIS_SECONDS = 600  # an item analysis is kept this long unless a new submission comes first


class QuizTutor:
    """Mixed into QuizBlock (quiz.py): what course staff see and do."""

    def learner_rows(self, page=1, query=""):
        """One page of attempts per learner, sorted by name, with the total: ({rows}, page, pages, total)."""
        ids = storage.learner_ids_matching(self.course_run, query) if query else None
        total, rows = storage.quiz_roster(self.course_run, self.block_key, ids, page, PAGE_SIZE, self.grading)
        page, pages, _start = page_window(total, page, PAGE_SIZE)
        # ids never recorded (attempts from before names were kept): looked up for this page only
        tutor.name_rows(self, rows)
        return {"rows": rows, "page": page, "pages": pages, "total": total, "query": query}

    def roster_html(self, page=1, query=""):
        return render("quiz_roster.html", {"roster": self.learner_rows(page, query)},
                      self.runtime.service(self, "i18n"))

    def staff_context(self):
        resets = storage.quiz_resets(self.block_key, limit=20)
        names = tutor.learner_names(self, [r["learner_id"] for r in resets])
        return {
            "roster_html": self.roster_html(),
            "resets": [dict(r, name=names[r["learner_id"]].label) for r in resets],
            "results_csv": self.runtime.handler_url(self, "export_results"),
            "items_csv": self.runtime.handler_url(self, "export_items"),
        }

    @handler(role="staff", fields={"page": int, "query": str})
    def learners(self, data, suffix=""):
        """A page of the per-learner table (HTML rows), for the pager and the search box."""
        query = data.get("query", "").strip()[:100]
        return {"html": self.roster_html(max(1, data.get("page", 1)), query)}

    # -- item analysis -----------------------------------------------------------------------------
    def item_stats(self):
        """The item analysis over every learner's last graded attempt; cached until a new submission or
        an edit of the bank (a question removed from a published quiz must not be looked up)."""
        stamp = storage.quiz_stamp(self.block_key)
        edition = hashlib.sha256(json.dumps(self.read_only("questions"), sort_keys=True).encode("utf-8"))
        key = f"blma-items:{self.block_key}:{stamp}:{edition.hexdigest()[:16]}"
        stats = cache.get(key)
        if stats is None:
            bank = self.bank()
            responses = []
            for row in storage.last_graded_attempts(self.block_key):
                for qid in row["question_ids"]:
                    question = bank.get(qid)
                    if question is None:
                        continue
                    answer = row["answers"].get(qid)
                    chosen = [answer] if isinstance(answer, str) else answer if isinstance(answer, list) else []
                    if question.kind in (rules.ORDERING, rules.MATCHING):
                        chosen = []
                    earned = row["results"].get(qid, 0)
                    responses.append((row["learner_id"], qid, earned >= question.points, chosen, row["percent"]))
            stats = rules.item_analysis(responses, list(self.bank()))
            cache.set(key, stats, ANALYSIS_SECONDS)
        return stats

    def item_rows(self):
        bank = self.bank()
        rows = []
        for stat in self.item_stats():
            question = bank.get(stat.question_id)
            if question is None:
                continue
            choice = question.kind in (rules.SINGLE, rules.MULTIPLE, rules.TRUE_FALSE)
            options = [{"text": self.localized(o.text).text, "count": stat.option_counts.get(o.id, 0),
                        "share": round(100 * stat.option_counts.get(o.id, 0) / stat.responses) if stat.responses
                        else 0} for o in question.options] if choice else []
            rows.append({"id": stat.question_id, "stem": self.localized(question.stem).text,
                         "responses": stat.responses, "percent": stat.percent_correct,
                         "discrimination": stat.discrimination, "options": options})
        return rows

    @handler(role="staff", fields={})
    def item_analysis(self, data, suffix=""):
        """The item analysis as HTML (chart and table), loaded after the page."""
        return {"html": render("quiz_items.html", {"items": self.item_rows()}, self.runtime.service(self, "i18n"))}

    # -- resets and exports --------------------------------------------------------------------------
    @handler(role="staff", fields={"learner_id": str})
    def reset_attempts(self, data, suffix=""):
        learner_id = data.get("learner_id")
        if not learner_id:
            self.fail(400, N_("Say whose attempts to reset."))
        if not storage.has_attempts(self.block_key, learner_id):
            self.fail(404, N_("This learner has no attempt at this quiz."))
        count = storage.reset_attempts(self.course_run, self.block_key, learner_id, self.tutor_name())
        return {"reset": count, "message": self.ngettext("{count} attempt reset.", "{count} attempts reset.",
                                                         count).format(count=count)}

    @download(role="staff")
    def export_results(self, request, suffix=""):
        _total, rows = storage.quiz_roster(self.course_run, self.block_key, None, 1, None, self.grading)
        tutor.name_rows(self, rows)
        g = self.gettext
        return tutor.csv_response(
            "quiz-results.csv",
            [g("Full name"), g("Username"), g("Anonymous id"), g("Attempts"), g("Final score (%)"), g("Passed")],
            [[r["full_name"], r["username"], r["learner_id"], r["attempts"], r["final"],
              "" if r["final"] is None else g("Yes") if r["final"] >= self.pass_mark else g("No")] for r in rows])

    @download(role="staff")
    def export_items(self, request, suffix=""):
        g = self.gettext
        return tutor.csv_response(
            "quiz-item-analysis.csv",
            [g("Question"), g("Responses"), g("Correct (%)"), g("Discrimination"), g("Options chosen")],
            [[s.question_id, s.responses, s.percent_correct, s.discrimination,
              " ".join(f"{k}:{v}" for k, v in sorted(s.option_counts.items()))] for s in self.item_stats()])
