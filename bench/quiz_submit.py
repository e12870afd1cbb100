"""Latency of the quiz submit handler against a no-op JSON handler in the same workbench runtime.

Each submit grades a fresh attempt of 15 questions drawn from the real pre-course bank
(unlimited attempts), through runtime.handle as the workbench calls it. Prints medians
and the ratio (goal: at most 1.5x).
"""
import json
import statistics
import time

from _setup import django_ready, quiz_xml

django_ready()

from webob import Request  # noqa: E402
from workbench.runtime import WorkbenchRuntime  # noqa: E402
from xblock.core import XBlock  # noqa: E402

from blma_xblocks.core import quiz as rules  # noqa: E402
from blma_xblocks.models import QuizAttempt  # noqa: E402
from blma_xblocks.quiz import QuizBlock  # noqa: E402

QuizBlock.noop = XBlock.json_handler(lambda self, data, suffix="": {})  # the baseline, same runtime and block

RUNS = 200


def handle(block, name, payload):
    request = Request.blank("/", method="POST", body=json.dumps(payload).encode("utf-8"))
    request.content_type = "application/json"
    started = time.perf_counter()
    response = block.runtime.handle(block, name, request)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.body
    return elapsed


def answers_for(block, attempt):
    seed = block.seed(attempt)
    bank = block.bank()
    out = {}
    for qid in attempt.question_ids:
        q = bank[qid]
        first = rules.token(seed, qid, q.option_ids[0])
        out[rules.question_token(seed, qid)] = (
            [first] if q.kind in (rules.MULTIPLE, rules.ORDERING) and q.kind == rules.MULTIPLE else
            [rules.token(seed, qid, i) for i in q.option_ids] if q.kind == rules.ORDERING else
            {rules.token(seed, qid, i): rules.token(seed, qid, i, "r") for i in q.option_ids}
            if q.kind == rules.MATCHING else first)
    return out


def http(client, usage_id, name, payload):
    started = time.perf_counter()
    response = client.post(f"/handler/{usage_id}/{name}/?student=learner2", data=json.dumps(payload),
                           content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content
    return elapsed


def over_http(usage_id):
    """The same pair through the workbench's whole request path (middleware, runtime, block loading)."""
    from django.test import Client
    client = Client()
    submit, noop = [], []
    for _ in range(RUNS):
        http(client, usage_id, "start_attempt", {})
        runtime = WorkbenchRuntime("learner2")
        block = runtime.get_block(usage_id)
        attempt = QuizAttempt.objects.filter(submitted_at__isnull=True, learner_id=block.learner_id).get()
        payload = {"answers": answers_for(block, attempt)}
        noop.append(http(client, usage_id, "noop", payload))
        submit.append(http(client, usage_id, "submit", payload))
    return statistics.median(submit), statistics.median(noop)


def main():
    runtime = WorkbenchRuntime("learner1")
    block = runtime.get_block(runtime.parse_xml_string(quiz_xml()))
    block.attempts_allowed = 0
    block.save()
    submit, noop = [], []
    for _ in range(RUNS):
        handle(block, "start_attempt", {})
        attempt = QuizAttempt.objects.filter(submitted_at__isnull=True, learner_id=block.learner_id).get()
        payload = {"answers": answers_for(block, attempt)}
        noop.append(handle(block, "noop", payload))
        submit.append(handle(block, "submit", payload))
    s, n = statistics.median(submit), statistics.median(noop)
    print(f"runs: {RUNS}, questions per attempt: {block.questions_per_attempt}")
    print(f"no-op JSON handler: median {n * 1000:.2f} ms")
    print(f"quiz submit:        median {s * 1000:.2f} ms (p90 {sorted(submit)[int(RUNS * .9)] * 1000:.2f} ms)")
    print(f"ratio submit / no-op: {s / n:.2f}x (goal <= 1.5x)")
    hs, hn = over_http(block.scope_ids.usage_id)
    print("through the workbench's HTTP request path:")
    print(f"no-op JSON handler: median {hn * 1000:.2f} ms")
    print(f"quiz submit:        median {hs * 1000:.2f} ms")
    print(f"ratio submit / no-op: {hs / hn:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
