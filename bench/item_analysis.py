"""Item analysis of the real pre-course bank for 5,000 learners (one graded attempt each).

Prints the time of the tutor's analysis (one query + the pure computation) and of the
pure computation alone, and the number of queries. The tutor's analysis is `QuizBlock.item_stats`
(computed by the `item_analysis` handler, Django's cache cleared before each run) or, in versions
before the tutor view was paginated, `QuizBlock.analysis`.
"""
import random
import statistics
import time

from _setup import django_ready, quiz_xml

django_ready()
# pylint: disable=wrong-import-position  # Django is set up (a throw-away database) before these imports

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402

from blma_xblocks.core import quiz as rules  # noqa: E402
from blma_xblocks.models import QuizAttempt  # noqa: E402

LEARNERS = 5000


def tutor_analysis(block):
    """The item statistics as the tutor's view computes them, from the database (never from a cache)."""
    if hasattr(block, "item_stats"):
        cache.clear()
        return block.item_stats()
    return block.analysis()[0]


def main():
    runtime = WorkbenchRuntime("tutor")
    block = runtime.get_block(runtime.parse_xml_string(quiz_xml()))
    bank = block.bank()
    rng = random.Random(7)
    rows = []
    for i in range(LEARNERS):
        drawn = rules.draw(list(bank), block.questions_per_attempt, rules.seed_for(f"l{i}", "bench", 1))
        answers, results = {}, {}
        for qid in drawn:
            q = bank[qid]
            if q.kind in (rules.SINGLE, rules.TRUE_FALSE):
                answers[qid] = rng.choice(q.option_ids)
            elif q.kind == rules.MULTIPLE:
                answers[qid] = sorted(rng.sample(q.option_ids, rng.randint(1, len(q.option_ids))))
            elif q.kind == rules.ORDERING:
                answers[qid] = rng.sample(q.option_ids, len(q.option_ids))
            else:
                answers[qid] = {o: rng.choice(q.option_ids) for o in q.option_ids}
            results[qid] = rules.score_question(q, answers[qid]).earned
        scored = rules.score_attempt([bank[q] for q in drawn], answers)
        rows.append(QuizAttempt(course_id="c", block_id=block.block_key, learner_id=f"l{i}", number=1,
                                question_ids=drawn, answers=answers, results=results, percent=scored.percent,
                                submitted_at="2026-04-30T10:00:00Z"))
    QuizAttempt.objects.bulk_create(rows, batch_size=500)
    tutor_analysis(block)  # warm the block's field cache
    full, pure = [], []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            stats = tutor_analysis(block)
            full.append(time.perf_counter() - started)
        responses = [(r.learner_id, qid, r.results[qid] >= bank[qid].points, [], r.percent)
                     for r in rows for qid in r.question_ids]
        started = time.perf_counter()
        rules.item_analysis(responses, list(bank))
        pure.append(time.perf_counter() - started)
    print(f"learners: {LEARNERS}, questions: {len(stats)}, responses: {sum(s.responses for s in stats)}")
    on_attempts = sum("quizattempt" in q["sql"] for q in queries.captured_queries)
    print(f"analysis with its query: median {statistics.median(full) * 1000:.0f} ms, "
          f"{len(queries.captured_queries)} queries ({on_attempts} on attempts)")
    print(f"pure item analysis:      median {statistics.median(pure) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
