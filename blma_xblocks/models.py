"""Tables for what crosses blocks or learners. Learners are stored by anonymous user id."""
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
        return f"{self.course_run} {self.kind} {self.start}..{self.end}"
