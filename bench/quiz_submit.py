"""Quiz submit against drag-and-drop-v2's graded submit, in the same workbench runtime and process.

Each run, on each path, times (the set-up of each call is not timed):
- blma_quiz `submit`: a new learner starts an attempt of the real pre-course quiz (15 questions
  drawn from its bank of 32), then submits every answer: graded on the server, attempt and results
  ledger written in one transaction, grade published;
- a no-op JSON handler attached to the same quiz block (the floor: the runtime and the request);
- drag-and-drop-v2 `do_attempt` (assessment mode, the peer's graded submit): a new learner has
  placed the 5 items of its default problem (`drop_item`, untimed), then `do_attempt` grades the
  whole attempt, publishes the grade and saves the learner's state;
- drag-and-drop-v2 `drop_item` (standard mode, where every drop is graded and publishes the grade):
  a new learner's first, correct, drop.

A new learner each run, for every block: a learner's first graded submission, as in a course
(the real quiz allows two attempts).

Two paths: `runtime.handle` on a loaded block (the handler alone, as the workbench's handler view
calls it), and the workbench's whole HTTP request path (`/handler/<usage>/<name>/?student=...`
with Django's test client: URL routing, middleware, a new runtime, the block loaded, the handler).

Goal (the issue): quiz submit at most half of drag-and-drop-v2's graded submit (<= 0.5x) on both paths.
"""
import sys

from _setup import django_ready, header, interleaved, median, ms, p90, quiz_answers, quiz_xml, ratio, table

django_ready()
# pylint: disable=wrong-import-position  # Django is set up (a throw-away database) before these imports

from django.test import Client  # noqa: E402
from xblock.core import XBlock  # noqa: E402

import peers  # noqa: E402
from blma_xblocks.models import QuizAttempt  # noqa: E402
from blma_xblocks.quiz import QuizBlock  # noqa: E402

QuizBlock.noop = XBlock.json_handler(lambda self, data, suffix="": {})  # the floor, same runtime and block

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
GOAL = 0.5


class Learners:
    """A new learner name for every call, per kind, so no run sees another's state."""

    def __init__(self):
        self.count = 0

    def next(self, prefix):
        self.count += 1
        return f"{prefix}{self.count:06d}"


def open_attempt(block):
    return QuizAttempt.objects.get(learner_id=block.learner_id, block_id=block.block_key, submitted_at__isnull=True)


def direct_measures(quiz_id, ids, learners):
    """Handlers through runtime.handle on a block loaded for a new learner (loading untimed)."""

    def quiz_submit():
        block = peers.block_for(quiz_id, learners.next("qd"))
        peers.handle(block, "start_attempt", {})
        payload = {"answers": quiz_answers(block, open_attempt(block))}
        elapsed, body = peers.handle(block, "submit", payload)
        assert body["submitted"], body
        return elapsed

    def quiz_noop():
        block = peers.block_for(quiz_id, learners.next("qn"))
        peers.handle(block, "start_attempt", {})
        payload = {"answers": quiz_answers(block, open_attempt(block))}
        return peers.handle(block, "noop", payload)[0]

    def dnd_do_attempt():
        block = peers.block_for(ids.dnd_assessment, learners.next("da"))
        for drop in peers.dnd_drops(block):
            peers.handle(block, "drop_item", drop)
        elapsed, body = peers.handle(block, "do_attempt", {})
        assert body["correct"] and body["attempts"] == 1, body
        return elapsed

    def dnd_drop_item():
        block = peers.block_for(ids.dnd, learners.next("ds"))
        elapsed, body = peers.handle(block, "drop_item", peers.dnd_drops(block)[0])
        assert body["correct"], body
        return elapsed

    return {"blma_quiz submit": quiz_submit, "no-op JSON handler": quiz_noop,
            "dnd do_attempt (assessment)": dnd_do_attempt, "dnd drop_item (standard)": dnd_drop_item}


def http_measures(quiz_id, ids, learners):
    """The same through the workbench's HTTP request path (set-up requests untimed)."""
    client = Client()

    def prepared_quiz(prefix):
        student = learners.next(prefix)
        peers.http(client, quiz_id, "start_attempt", student, {})
        block = peers.block_for(quiz_id, student)
        return student, {"answers": quiz_answers(block, open_attempt(block))}

    def quiz_submit():
        student, payload = prepared_quiz("qh")
        elapsed, body = peers.http(client, quiz_id, "submit", student, payload)
        assert body["submitted"], body
        return elapsed

    def quiz_noop():
        student, payload = prepared_quiz("qm")
        return peers.http(client, quiz_id, "noop", student, payload)[0]

    drops = peers.dnd_drops(peers.block_for(ids.dnd_assessment, "author"))

    def dnd_do_attempt():
        student = learners.next("dh")
        for drop in drops:
            peers.http(client, ids.dnd_assessment, "drop_item", student, drop)
        elapsed, body = peers.http(client, ids.dnd_assessment, "do_attempt", student, {})
        assert body["correct"] and body["attempts"] == 1, body
        return elapsed

    def dnd_drop_item():
        elapsed, body = peers.http(client, ids.dnd, "drop_item", learners.next("dt"), drops[0])
        assert body["correct"], body
        return elapsed

    return {"blma_quiz submit": quiz_submit, "no-op JSON handler": quiz_noop,
            "dnd do_attempt (assessment)": dnd_do_attempt, "dnd drop_item (standard)": dnd_drop_item}


def main():
    ids = peers.build()
    quiz_id = peers.parse(quiz_xml())
    learners = Learners()
    header(f"Quiz submit vs drag-and-drop-v2's graded submit, {RUNS} runs per path")
    block = peers.block_for(quiz_id, "author")
    print(f"quiz: {len(block.questions)} questions in the bank, {block.questions_per_attempt} per attempt")
    print()
    paths = {"runtime.handle": direct_measures(quiz_id, ids, learners),
             "workbench HTTP path": http_measures(quiz_id, ids, learners)}
    results = {path: interleaved(measures, RUNS) for path, measures in paths.items()}

    print("Times: median (p90).")
    print()
    names = list(next(iter(paths.values())))
    table(["path"] + names,
          [[path] + [f"{ms(median(s[n]))} ({ms(p90(s[n]))})" for n in names] for path, s in results.items()])

    print(f"Ratios of medians; goal: submit <= {GOAL}x drag-and-drop-v2's graded submit (do_attempt).")
    print()
    rows = []
    for path, s in results.items():
        ours = median(s["blma_quiz submit"])
        rows.append([path, ratio(ours, median(s["dnd do_attempt (assessment)"])),
                     ratio(ours, median(s["dnd drop_item (standard)"])), ratio(ours, median(s["no-op JSON handler"])),
                     "yes" if ours <= GOAL * median(s["dnd do_attempt (assessment)"]) else "**no**"])
    table(["path", "submit / dnd do_attempt", "submit / dnd drop_item", "submit / no-op", f"goal <= {GOAL}x met"],
          rows)


if __name__ == "__main__":
    main()
