"""The learner's side of the capstone: draft (autosaved), files, submit, status, versions, the result."""
import json

from django.core.files.storage import default_storage
from webob import Response

from ..clock import now
from ..core import assignment as rules
from ..core.text import N_
from ..handlers import handler, json_response
from ..sanitize import clean
from . import files, store

MAX_TEXT_BYTES = 100 * 1024
MAX_ANSWER_JSON = 100 * 1024  # edx-submissions' Submission.MAXSIZE: characters of the answer as JSON (ASCII escapes)
TOO_LONG = N_("Your answer is too long to be submitted. Shorten it, or put part of it in an attached file.")
TOO_MANY = N_("You can attach at most {count} files.")
CLOSED = N_("This work is submitted; it can be changed only if it is returned for revision.")


class AssignmentLearner:
    """Mixed into AssignmentBlock: what the learner does."""

    def my_work(self, create=False):
        return store.work(self.course_run, self.block_key, self.learner_id, create=create)

    def checked_text(self, data):
        text = data.get("text", "")
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            self.fail(413, N_("The text is longer than {limit} KB."), limit=MAX_TEXT_BYTES // 1024)
        return clean(text)

    @handler(fields={"text": str}, max_bytes=MAX_TEXT_BYTES + 4096)
    def save_draft(self, data, suffix=""):
        """Autosave and the Save button: the draft, cleaned by the one sanitizer."""
        text = self.checked_text(data)
        work = self.my_work()
        if work is not None and work.state not in rules.WRITABLE:
            self.fail(409, CLOSED)
        work = work or self.my_work(create=True)
        self.remember_learner()
        if not store.save_draft(work, text, now()):  # submitted since it was read: nothing was saved
            self.fail(409, CLOSED)
        count = rules.word_count(text)
        return {"saved": True, "words": count, "message": self.gettext("Draft saved.")}

    @handler(fields={"text": str, "confirm": bool}, max_bytes=MAX_TEXT_BYTES + 4096)
    def submit_work(self, data, suffix=""):
        """Submit after the learner confirmed: a new version, an edx-submissions submission, the tutor's queue.

        Everything is checked before anything is written: a refused submit leaves the saved draft as it was.
        """
        if data.get("confirm") is not True:
            self.fail(400, N_("Confirm that you want to submit."))
        text = self.checked_text(data)
        count = rules.word_count(text)
        if count == 0:
            self.fail(400, N_("Write your answer before you submit it."))
        problem = rules.words_problem(count, self.min_words, self.max_words)
        if problem:
            self.fail(400, problem, count=count, limit=self.max_words if self.max_words and count > self.max_words
                      else self.min_words)
        moment = now()
        work = self.my_work()
        self.check_submission(work, moment)
        self.check_answer_size(text, store.draft_files(work) if work else [])
        work = work or self.my_work(create=True)
        self.remember_learner()
        version = self.submit_version(work, text, moment)
        if version is None:
            self.fail(409, N_("This work is already submitted."))
        store.event(work, self._user_attrs().get("edx-platform.username"), "submit", version=version.number)
        return {"submitted": True, "version": version.number, "late": False,
                "message": self.gettext("Your work was submitted.")}

    def check_submission(self, work, moment):
        """409 unless the work may be submitted now: core.is_late decides (a granted extension is on time)."""
        extension = work.extension_until if work is not None else None
        if work is None or work.state == rules.DRAFT:
            due = self.due_at()
            if due is not None and rules.is_late(moment, due, extension):  # no due date: never refused
                self.fail(409, N_("The due date has passed. Ask your tutor for an extension."))
            return
        if work.state == rules.RETURNED:
            deadline = rules.revision_deadline(work.returned_at, self.revision_days)
            if deadline is not None and rules.is_late(moment, deadline, extension):
                self.fail(409, N_("The revision window closed on {date}."), date=self.local_date(deadline))
            return
        self.fail(409, N_("This work is already submitted."))

    def check_answer_size(self, text, attached):
        """413 before anything is written when edx-submissions would refuse the answer (it measures the JSON)."""
        if len(json.dumps(self.answer(text, attached))) > MAX_ANSWER_JSON:
            self.fail(413, TOO_LONG)

    @staticmethod
    def answer(text, attached):
        return {"text": text, "files": [f.name for f in attached]}

    def submit_version(self, work, text, moment):
        """The new version, with its edx-submissions submission created only once the submit has won."""
        from submissions import api as submissions_api
        from submissions.errors import SubmissionRequestError

        def record(attached):  # the uuid lets a tutor's released score reach the gradebook
            item = self.student_item(self.learner_id)
            return submissions_api.create_submission(item, self.answer(text, attached))["uuid"]
        try:
            return store.submit(work, text, moment, record)
        except SubmissionRequestError:  # a file attached meanwhile made it too long: nothing was written
            return self.fail(413, TOO_LONG)

    def student_item(self, learner_id):
        return {"student_id": learner_id, "course_id": self.course_run, "item_id": self.block_key,
                "item_type": "blma_assignment"}

    # -- files -------------------------------------------------------------------------------------------
    @handler.raw(role="learner")
    def upload(self, request, suffix=""):
        """A file for the draft: the body is the file, its name in X-File-Name (URL-encoded)."""
        from urllib.parse import unquote
        work = self.my_work()
        # cheap refusals before the body is read; store.add_file decides again, race-safe, at the end
        if work is not None and work.state not in rules.WRITABLE:
            return self.refuse(409, CLOSED)
        if work is not None and len(store.draft_files(work)) >= self.max_files:
            return self.refuse(409, TOO_MANY, count=self.max_files)
        limit = self.max_file_mb * 1024 * 1024
        if (request.content_length or 0) > limit:
            return self.refuse(413, N_("The file is larger than {limit} MB."), limit=self.max_file_mb)
        try:
            name, kind, size, stored = files.receive(request.body_file, unquote(request.headers.get("X-File-Name", "")),
                                                     self.allowed_types(), limit, self.file_folder())
        except files.FileRefused as refused:
            return self.refuse(refused.status, refused.message, **refused.params)
        work = work or self.my_work(create=True)
        saved, problem = store.add_file(work, name, kind, size, stored, self.max_files)
        if saved is None:  # a parallel upload filled the draft, or a submit closed it
            default_storage.delete(stored)
            return self.refuse(409, CLOSED) if problem == "closed" else self.refuse(409, TOO_MANY, count=self.max_files)
        return json_response(200, {"file": {"id": saved.pk, "name": name, "size": size, "kind": kind},
                                   "message": self.gettext("File attached.")})

    @handler(fields={"file_id": int})
    def remove_file(self, data, suffix=""):
        work = self.my_work()
        stored = store.remove_draft_file(work, data.get("file_id")) if work else None
        if stored is None:
            self.fail(404, N_("There is no such file in your draft."))
        default_storage.delete(stored)
        return {"removed": True, "message": self.gettext("File removed.")}

    @handler.raw(role="learner", methods=("GET", "HEAD"))
    def download(self, request, suffix=""):
        """A file, to its owner and to staff only, as an attachment that is never sniffed."""
        # "²".isdigit() is true but int() refuses it; 12 digits are more files than any course holds
        number = suffix.isascii() and suffix.isdigit() and len(suffix) < 12
        found = store.file_in_block(self.block_key, int(suffix)) if number else None
        if found is None or not (self.is_staff or found.work.learner_id == self.learner_id):
            return self.refuse(404, N_("There is no such file."))
        try:
            handle = default_storage.open(found.storage_name, "rb")
        except FileNotFoundError:  # the row outlived its file (storage cleaned or restored apart)
            return self.refuse(404, N_("This file is no longer in storage. Ask your tutor or the course team."))
        response = Response(app_iter=files.Chunks(handle),
                            content_type=files.CONTENT_TYPES.get(found.kind, "application/octet-stream"))
        response.headers["Content-Disposition"] = attachment(found.name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    def refuse(self, status, message, **params):
        return json_response(status, {"error": self.gettext(message).format(**params)})

    def allowed_types(self):
        return [t for t in self.file_types.replace(",", " ").lower().split() if t in files.CONTENT_TYPES]

    def file_folder(self):
        import hashlib
        return "blma/assignments/" + hashlib.sha256(self.block_key.encode("utf-8")).hexdigest()[:24]


def attachment(name):
    """Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote
    ascii_name = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in name)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
