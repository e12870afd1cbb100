"""The tutors' side of the capstone: the queue, claiming, rubric grading, return, release, exports."""
from django.db import transaction
from webob import Response

from .. import ledger, tutor
from .. import storage as shared_storage
from ..clock import now
from ..core import assignment as rules
from ..core.paging import page_window
from ..core.text import N_
from ..handlers import download, handler
from ..rendering import render
from ..sanitize import clean
from . import files, store

PAGE_SIZE = 50
MAX_FEEDBACK = 20000  # characters of one feedback text or the note, before cleaning
SCORE_SCALE = 10000  # points possible sent to edx-submissions (a percentage with two decimals)
RELEASED_LABEL = N_("Released")
STATE_FILTERS = ("", rules.SUBMITTED, rules.IN_GRADING, rules.RETURNED, rules.GRADED, rules.RELEASED)


class AssignmentTutor:
    """Mixed into AssignmentBlock: what course staff see and do."""

    def queue_html(self, state="", query="", page=1, sort="name", mine=False):
        ids = shared_storage.learner_ids_matching(self.course_run, query) if query else None
        total, rows = store.queue(self.block_key, self.course_run, state=state or None, learner_ids=ids,
                                  tutor=self.tutor_name() if mine else None, page=page, size=PAGE_SIZE, sort=sort)
        for row in tutor.name_rows(self, rows):
            row["state_label"] = self.tutor_state_label(row["state"])
            row["submitted"] = self.local_date(row["submitted_at"]) if row["submitted_at"] else ""
        page, pages, _start = page_window(total, page, PAGE_SIZE)
        context = {"rows": rows, "total": total, "page": page, "pages": pages,
                   "query": query, "state": state}
        return render("assignment_queue.html", context, self.runtime.service(self, "i18n"))

    def tutor_context(self):
        counts = store.counts(self.block_key)
        return {
            "waiting": sum(counts.get(s, 0) for s in rules.WAITING),
            "counts": [{"state": s, "label": self.tutor_state_label(s), "count": counts.get(s, 0)}
                       for s in STATE_FILTERS if s],
            "queue_html": self.queue_html(),
            "grades_csv": self.runtime.handler_url(self, "export_grades"),
            "files_zip": self.runtime.handler_url(self, "download_all"),
            "tutors": self.tutor_list(),
        }

    def tutor_state_label(self, state):
        """Tutors tell released grades apart from graded ones; learners see both as graded."""
        label = RELEASED_LABEL if state == rules.RELEASED else rules.STATE_LABELS[state]
        return self.gettext(label)

    def tutor_list(self):
        return [t.strip() for t in (self.tutors or "").replace("\n", ",").split(",") if t.strip()]

    @handler(role="staff", fields={"state": str, "query": str, "page": int, "sort": str, "mine": bool})
    def queue(self, data, suffix=""):
        state = data.get("state", "")
        if state not in STATE_FILTERS or data.get("sort", "name") not in store.SORTS:
            self.fail(400, N_("Unknown filter."))
        return {"html": self.queue_html(state, data.get("query", "").strip()[:100], max(1, data.get("page", 1)),
                                        data.get("sort", "name"), data.get("mine", False))}

    # -- one learner's work ----------------------------------------------------------------------------
    def work_or_404(self, learner_id):
        work = store.work(self.course_run, self.block_key, learner_id) if learner_id else None
        if work is None or work.versions == 0:
            self.fail(404, N_("This learner has not submitted work here."))
        return work

    @handler(role="staff", fields={"learner_id": str})
    def open_work(self, data, suffix=""):
        """The grading panel of one learner's work (HTML), with its revision for optimistic saving."""
        work = self.work_or_404(data.get("learner_id"))
        return {"html": self.grading_html(work), "revision": work.revision, "state": work.state}

    def grading_html(self, work):
        versions = self.version_rows(store.versions(work))
        name = tutor.learner_names(self, [work.learner_id])[work.learner_id].label
        context = {"work": work, "name": name, "versions": versions, "rubric": self.rubric_context(work),
                   "overall": (work.feedback or {}).get("overall", ""), "note": work.note,
                   "state_label": self.gettext(rules.STATE_LABELS[work.state]),
                   "can_grade": work.state == rules.IN_GRADING and work.tutor == self.tutor_name(),
                   "tutor": self.tutor_name(),
                   "lease_held": not rules.lease_free(work.tutor, work.lease_until, self.tutor_name(), now()),
                   "download_url": self.runtime.handler_url(self, "download").rstrip("/") + "/"}
        return render("assignment_grading.html", context, self.runtime.service(self, "i18n"))

    @handler(role="staff", fields={"learner_id": str})
    def claim(self, data, suffix=""):
        """Take the work for grading: a lease of `lease_hours`, so two tutors never grade the same work."""
        work = self.work_or_404(data.get("learner_id"))
        moment = now()
        if not store.claim(work, self.tutor_name(), moment, rules.lease_end(moment, self.lease_hours)):
            work.refresh_from_db()
            self.fail(409, N_("{tutor} is grading this work until {until}."), tutor=work.tutor,
                      until=self.local_date(work.lease_until) if work.lease_until else "")
        store.event(work, self.tutor_name(), "claim")
        work.refresh_from_db()
        return {"html": self.grading_html(work), "revision": work.revision,
                "message": self.gettext("You are grading this work.")}

    def grade_values(self, data, partial=False):
        """The levels and feedback of a grading form, checked against the rubric (400 otherwise); a draft
        (`partial`) may leave criteria unrated, but what is rated must fit."""
        try:
            levels = rules.check_levels(self.rubric, data.get("levels", {}), partial=partial)
        except rules.GradeError as error:
            self.fail(400, error.message, **error.params)
        return levels, self.feedback_values(data)

    def feedback_values(self, data):
        """The feedback texts, cleaned. One over the limit is refused (413) before cleaning: cutting the
        cleaned HTML could cut a tag in two."""
        known = {c["id"] for c in self.rubric} | {"overall"}
        given = {k: v for k, v in (data.get("feedback") or {}).items() if k in known and isinstance(v, str)}
        if any(len(text) > MAX_FEEDBACK for text in [*given.values(), data.get("note", "")]):
            self.fail(413, N_("A feedback text or the note is longer than {limit} characters."), limit=MAX_FEEDBACK)
        return {k: clean(v) for k, v in given.items()}

    GRADE_FIELDS = {"learner_id": str, "revision": int, "levels": dict, "feedback": dict, "note": str,
                    "action": str}

    @handler(role="staff", fields=GRADE_FIELDS)
    def save_grade(self, data, suffix=""):
        """Save the rubric draft, then optionally return the work or mark it graded (`action`)."""
        work = self.work_or_404(data.get("learner_id"))
        action = data.get("action", "save")
        if action not in ("save", "return", "mark"):
            self.fail(400, N_("Unknown action."))
        if work.tutor != self.tutor_name() or work.state != rules.IN_GRADING:
            self.fail(409, N_("Claim this work before you grade it."))
        levels, feedback = self.grade_values(data, partial=action != "mark")
        values = {"levels": levels, "feedback": feedback, "note": clean(data.get("note", ""))}  # length checked
        moment = now()
        if action == "mark":
            values.update(score=rules.rubric_score(self.rubric, levels), lease_until=None)
        elif action == "return":
            values.update(returned_at=moment, lease_until=None)
        if not store.move(work, data.get("revision"), action, **values):
            work.refresh_from_db()
            return self.stale(work)
        store.event(work, self.tutor_name(), action)
        work.refresh_from_db()
        messages = {"save": N_("Grade saved as a draft."), "return": N_("The work was returned for revision."),
                    "mark": N_("The work is graded; release it when you are ready.")}
        return {"html": self.grading_html(work), "revision": work.revision, "message": self.gettext(messages[action])}

    def stale(self, work):
        self.fail(409, N_("Someone saved this work since you opened it (now version {revision}, {state}). "
                          "Reload it to see the current grade."), revision=work.revision,
                  state=self.gettext(rules.STATE_LABELS[work.state]))

    @handler(role="staff", fields={"learner_id": str})
    def release(self, data, suffix=""):
        work = self.work_or_404(data.get("learner_id"))
        if not self.release_one(work):
            self.fail(409, N_("Only graded work can be released."))
        return {"released": 1, "message": self.gettext("The grade was released to the learner.")}

    @handler(role="staff", fields={})
    def release_all(self, data, suffix=""):
        released = sum(1 for work in store.graded_to_release(self.block_key) if self.release_one(work))
        return {"released": released, "message": self.ngettext("{count} grade released.", "{count} grades released.",
                                                               released).format(count=released)}

    def release_one(self, work):
        """Released: the learner sees it, the ledger has it and edx-submissions' score reaches the gradebook."""
        from submissions import api as submissions_api
        moment = now()
        latest = store.latest_version(work)
        with transaction.atomic():
            if not store.move(work, work.revision, "release", released_at=moment):
                return False
            ledger.record_for_learner(self, work.learner_id, kind="assignment", score=work.score,
                                      passed=work.score >= self.pass_mark)
            if latest and latest.submission_uuid:
                # edx-submissions stores whole points: hundredths of a percent keep 66.67 % exact
                submissions_api.set_score(latest.submission_uuid, int(round(work.score * 100)), SCORE_SCALE)
            store.event(work, self.tutor_name(), "release", score=work.score)
        return True

    @handler(role="staff", fields={})
    def allocate(self, data, suffix=""):
        tutors = self.tutor_list()
        if not tutors:
            self.fail(409, N_("List the tutors in the block's settings first."))
        allocations = rules.allocate(store.unassigned(self.block_key), tutors, store.loads(self.block_key))
        count = store.assign(self.block_key, allocations)
        return {"assigned": count, "message": self.ngettext("{count} work assigned.", "{count} works assigned.",
                                                            count).format(count=count)}

    @handler(role="staff", fields={"learner_id": str, "until": str})
    def grant_extension(self, data, suffix=""):
        from ..core.validation import parse_datetime
        learner_id = (data.get("learner_id") or "").strip()
        if not learner_id or len(learner_id) > 255:
            self.fail(400, N_("Say which learner gets the extension."))
        try:
            until = parse_datetime(data.get("until", ""))
        except ValueError:
            self.fail(400, N_("Give the date and time with its offset, e.g. 2026-05-20T23:59:00+02:00."))
        work = store.work(self.course_run, self.block_key, learner_id, create=True)  # before any draft, too
        store.change(work, work.revision, rules.STATES, extension_until=until)
        store.event(work, self.tutor_name(), "extension", until=until.isoformat())
        return {"message": self.gettext("Extension granted until {date}.").format(date=self.local_date(until))}

    # -- exports ------------------------------------------------------------------------------------------
    @download(role="staff")
    def export_grades(self, request, suffix=""):
        rows = store.export_rows(self.block_key)
        names = tutor.learner_names(self, [r["learner_id"] for r in rows])
        g = self.gettext
        criteria = [c["id"] for c in self.rubric]
        return tutor.csv_response(
            "assignment-grades.csv",
            [g("Full name"), g("Username"), g("Anonymous id"), g("Status"), g("Tutor"), g("Late"), g("Versions"),
             g("Score (%)")] + criteria + [g("Overall feedback")],
            [[names[r["learner_id"]].full_name, names[r["learner_id"]].username, r["learner_id"], r["state"],
              r["tutor"], r["late"], r["versions"], r["score"]] + [r["levels"].get(c, "") for c in criteria]
             + [(r["feedback"] or {}).get("overall", "")] for r in rows])

    @download(role="staff")
    def download_all(self, request, suffix=""):
        """Every submitted file of the block in one zip, by learner and version (generated names inside)."""
        members = [(f"{item.work.learner_id[:12]}/v{item.version}-{item.pk}.{item.kind}", item.storage_name)
                   for item in store.all_files(self.block_key)]
        archive, size = files.zip_of(members)
        response = Response(app_iter=files.Chunks(archive), content_type="application/zip")
        response.content_length = size
        response.headers["Content-Disposition"] = 'attachment; filename="assignment-files.zip"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
