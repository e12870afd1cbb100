"""What the results ledger says of a learner's graded work: the certificate's input (pure data)."""
from dataclasses import dataclass
from datetime import datetime
from typing import Optional


@dataclass(frozen=True)
class AssessmentResult:
    """One learner's result on one graded block, as the ledger holds it."""
    learner_id: str
    assessment_id: str  # the author-set name the certificate policy uses (e.g. "pre_course-quiz")
    block_id: str
    phase: str
    kind: str  # quiz, peer_review, attendance, assignment
    score: float
    max_score: float
    passed: bool
    updated: Optional[datetime] = None

    @property
    def percent(self):
        return round(100 * self.score / self.max_score, 2) if self.max_score else 0.0
