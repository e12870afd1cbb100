"""Tables for what crosses blocks or learners. Learners are stored by anonymous user id."""
import unicodedata

from django.db import models
from django.utils import timezone


class ModuleCompletion(models.Model):
    """A learner marked a module done. One row per learner and module, whatever the retries."""
    course_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    module_id = models.CharField(max_length=64)
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "learner_id", "module_id"],
                                    name="blma_module_completion_once"),
        ]
        indexes = [models.Index(fields=["course_id", "learner_id"], name="blma_completion_learner")]

    def __str__(self):
        return f"{self.learner_id} done {self.module_id}"


class PhaseSchedule(models.Model):
    """A phase's dates as its block last saw them: lets every phase show the whole timeline."""
    course_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=32)
    start = models.DateField()
    end = models.DateField()
    mode = models.CharField(max_length=32)
    title = models.JSONField(default=dict)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "kind"], name="blma_phase_schedule_once"),
        ]

    def __str__(self):
        return f"{self.course_id} {self.kind} {self.start}..{self.end}"


class Result(models.Model):
    """The results ledger: one row per learner per graded block, what the certificate reads."""
    course_id = models.CharField(max_length=255)
    block_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    assessment_id = models.CharField(max_length=64, blank=True, default="")  # what a certificate policy names
    phase = models.CharField(max_length=32)
    kind = models.CharField(max_length=32)  # quiz, peer_review, attendance, assignment
    score = models.FloatField()
    max_score = models.FloatField()
    passed = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "block_id", "learner_id"], name="blma_result_once"),
        ]
        indexes = [models.Index(fields=["course_id", "learner_id"], name="blma_result_learner")]

    def __str__(self):
        return f"{self.learner_id} {self.block_id} {self.score}/{self.max_score}"


class QuizAttempt(models.Model):
    """One attempt of a learner at a quiz. submitted_at is set once, by a conditional update."""
    course_id = models.CharField(max_length=255)
    block_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    number = models.PositiveIntegerField()
    question_ids = models.JSONField(default=list)
    answers = models.JSONField(default=dict)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    earned = models.FloatField(null=True, blank=True)
    possible = models.FloatField(null=True, blank=True)
    percent = models.FloatField(null=True, blank=True)
    results = models.JSONField(default=dict)  # question id -> points earned, for item analysis
    archived = models.BooleanField(default=False)  # set when a tutor resets the learner's attempts
    # 1..attempts allowed among the current attempts; NULL once archived. Unique, so no number of
    # parallel starts can make more current attempts than the quiz allows (SQLite and MySQL alike).
    slot = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_id", "learner_id", "number"], name="blma_attempt_number_once"),
            models.UniqueConstraint(fields=["block_id", "learner_id", "slot"], name="blma_attempt_slot_once"),
        ]
        indexes = [
            models.Index(fields=["course_id", "block_id"], name="blma_attempt_block"),
            # the tutor's roster: who has current attempts, counted and probed without reading the rows
            models.Index(fields=["block_id", "archived", "learner_id"], name="blma_attempt_current"),
        ]

    def __str__(self):
        return f"{self.learner_id} {self.block_id} #{self.number}"


class QuizReset(models.Model):
    """A tutor reset a learner's attempts at a quiz: who, when, for whom."""
    course_id = models.CharField(max_length=255)
    block_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    reset_by = models.CharField(max_length=255)
    reset_at = models.DateTimeField(default=timezone.now)
    attempts_archived = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.reset_by} reset {self.learner_id} on {self.block_id}"


class Learner(models.Model):
    """Who is behind an anonymous id, as the learner's own request said: names for tutor views.

    Written when a learner acts (the request carries username and full name in the LMS and the
    workbench alike), read by tutor views in one query, whatever the runtime's user service returns.
    """
    course_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    username = models.CharField(max_length=150, blank=True, default="")
    full_name = models.CharField(max_length=255, blank=True, default="")
    # what tutor tables sort by (lower-case full name, else username), indexed: a page of 50 out of
    # 50,000 reads the index in order instead of sorting every learner
    sort_key = models.CharField(max_length=255, blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course_id", "learner_id"], name="blma_learner_once"),
        ]
        indexes = [models.Index(fields=["course_id", "sort_key", "learner_id"], name="blma_learner_sort")]

    @staticmethod
    def sort_key_of(username, full_name):
        """Case and accents set aside, so Émile sorts with the e's, not after Zoé (SQL compares code points)."""
        text = unicodedata.normalize("NFKD", (full_name or username or "").casefold())
        return "".join(c for c in text if not unicodedata.combining(c))[:255]

    def __str__(self):
        return f"{self.username or self.learner_id} in {self.course_id}"


class AssignmentWork(models.Model):
    """One learner's capstone in a block: the draft, the grading state and the grade, whatever the versions."""
    course_id = models.CharField(max_length=255)
    block_id = models.CharField(max_length=255)
    learner_id = models.CharField(max_length=255)
    state = models.CharField(max_length=32, default="draft")
    draft = models.TextField(blank=True, default="")
    draft_saved_at = models.DateTimeField(null=True, blank=True)
    versions = models.PositiveIntegerField(default=0)  # submitted versions so far
    submitted_at = models.DateTimeField(null=True, blank=True)  # of the current version
    late = models.BooleanField(default=False)
    extension_until = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    tutor = models.CharField(max_length=150, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    levels = models.JSONField(default=dict)  # criterion id -> points
    feedback = models.JSONField(default=dict)  # criterion id (and "overall") -> text
    note = models.TextField(blank=True, default="")  # the tutors' private note
    score = models.FloatField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)  # +1 at every grading write: a stale save is a 409
    released_at = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["block_id", "learner_id"], name="blma_assignment_work_once"),
        ]
        indexes = [models.Index(fields=["block_id", "state"], name="blma_assignment_state")]

    def __str__(self):
        return f"{self.learner_id} {self.block_id} {self.state}"


class AssignmentVersion(models.Model):
    """A submitted version of a learner's capstone, kept for good (returned work is resubmitted as a new one)."""
    work = models.ForeignKey(AssignmentWork, on_delete=models.CASCADE, related_name="submitted")
    number = models.PositiveIntegerField()
    text = models.TextField()
    files = models.JSONField(default=list)
    submitted_at = models.DateTimeField(default=timezone.now)
    late = models.BooleanField(default=False)
    submission_uuid = models.CharField(max_length=64, blank=True, default="")  # edx-submissions

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "number"], name="blma_assignment_version_once"),
        ]

    def __str__(self):
        return f"{self.work_id} v{self.number}"


class AssignmentFile(models.Model):
    """A file a learner attached; stored through Django's storage under a generated name."""
    work = models.ForeignKey(AssignmentWork, on_delete=models.CASCADE, related_name="attachments")
    version = models.PositiveIntegerField(null=True, blank=True)  # None while it belongs to the draft
    name = models.CharField(max_length=255)  # the learner's file name, cleaned, for display only
    kind = models.CharField(max_length=16)  # the checked type (pdf, docx, ...)
    size = models.PositiveIntegerField()
    storage_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.name} ({self.kind}, {self.size} bytes)"


class AssignmentEvent(models.Model):
    """The history of a capstone: who did what, when (submit, claim, return, grade, release, extension)."""
    work = models.ForeignKey(AssignmentWork, on_delete=models.CASCADE, related_name="events")
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=32)
    at = models.DateTimeField(default=timezone.now)
    detail = models.JSONField(default=dict)

    def __str__(self):
        return f"{self.actor} {self.action} {self.at:%Y-%m-%d %H:%M}"
