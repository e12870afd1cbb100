"""The quiz's tutor (staff) view at 500 / 5,000 / 50,000 learners, against the peers' staff views.

Data, created in bulk (bulk_create in batches, SQLite in a temporary directory), grown from one
size to the next:
- one Django user per learner (auth_user, with first and last names);
- the project's Learner row (course, anonymous id, username, full name), as each learner's own
  requests record it, so the tutor view resolves every name in one query;
- one graded attempt per learner at the real pre-course quiz: 15 questions drawn from its bank of
  32 as the block draws them, answers right or wrong at random, per-question results and score;
- the same learners' votes in xblock-poll's default poll: one user-state row per learner in the
  workbench's store (as the LMS keeps one StudentModule row each) and the poll's tally.

Measured at each size:
- blma_quiz, the tutor's first page: what one page request costs (a new runtime for the tutor,
  the block loaded, `runtime.render(block, "student_view", VIEW_CONTEXT)`, the fragment's HTML);
  its size, the rows of the per-learner table it holds, and its queries (counted in a separate,
  untimed run: `CaptureQueriesContext` turns the debug cursor on, DEBUG itself stays off);
- if the block has a staff handler that takes a `page` (pagination being added), that handler
  for page 1 and for a search, too;
- xblock-poll's staff results (`get_results`: the tally, constant in the cohort size) and its
  per-learner report (`generate_report_data` over the user-state rows, as the LMS's "problem
  responses" report calls it): the first PAGE_SIZE rows, and all rows;
- drag-and-drop-v2 offers no staff or per-learner view (grades go to the LMS gradebook), so it has
  no number here.

Goal (the issue): the tutor's first page under 300 ms at 50,000 learners.

`tutor_view.py [SIZE ...] [--profile]`: other sizes than SIZES; `--profile` then runs cProfile on the
tutor's first page at the largest size and prints the top costs.
"""
import json
import random
import re
import signal
import sys
import time

from _setup import django_ready, header, median, ms, p90, table, timed

django_ready()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from workbench.models import XBlockState  # noqa: E402

import peers  # noqa: E402
from _setup import quiz_xml  # noqa: E402
from blma_xblocks.core import quiz as rules  # noqa: E402
from blma_xblocks.models import Learner, QuizAttempt  # noqa: E402
from blma_xblocks.workbench.services import anonymous_id  # noqa: E402

# -- parameters (edit here) ----------------------------------------------------------------------
SIZES = (500, 5_000, 50_000)
RUNS = {500: 9, 5_000: 7, 50_000: 5}  # timed renders per size (medians reported)
SLOW_S = 10         # a render slower than this is timed once (with its query count), not RUNS times
TIME_LIMIT_S = 240  # a render still running then is stopped and reported as "> TIME_LIMIT_S"
PAGE = 1            # the page asked for, where the block paginates
PAGE_SIZE = 50      # the page size the block is meant to use (also the poll report's first rows)
SEARCH = "Nguyen"   # a search, where the block supports one (a last name some learners have)
VIEW_CONTEXT = {"page": PAGE, "search": ""}  # passed to student_view; a block that ignores it renders everything
LANGUAGE = "en"
TUTOR = "tutor"     # a staff user of the workbench (BLMA_STAFF_USERS)
BATCH = 2_000
GOAL_MS = 300
# --------------------------------------------------------------------------------------------------

FIRST = ["Amina", "José", "Nguyen Thi", "Fatima", "Jean-Luc", "Maria", "Kwame", "Sofia", "Rahul", "Chloé",
         "Oluwaseun", "Ana Paula", "Mehmet", "Li", "Yasmin", "Pedro", "Aigerim", "Marta", "Tanvir", "Élodie"]
LAST = ["Diallo", "García", "Nguyen", "Haddad", "Dubois", "Rossi", "Mensah", "Kowalska", "Sharma", "Lefèvre",
        "Adeyemi", "Silva", "Yılmaz", "Wang", "Benali", "Santos", "Nurlanovna", "Fernández", "Rahman", "Moreau",
        "Okafor", "Petrović", "Tanaka", "Hernández", "Müller", "Abebe", "Popescu", "Kim", "Ali", "Martin"]
ROW = re.compile(r'data-learner="')


class Cohort:
    """Learners, attempts and poll votes, grown in bulk from one size to the next."""

    def __init__(self, quiz, poll_id):
        self.quiz = quiz
        self.poll_id = poll_id
        self.size = 0
        self.rng = random.Random(7)
        self.bank = quiz.bank()
        self.ids = list(self.bank)
        self.tally = {"R": 0, "B": 0, "G": 0, "O": 0}

    def answer(self, question):
        """A learner's answer: right about two times in three, else a random one."""
        right = self.rng.random() < 0.67
        ids = question.option_ids
        if question.kind in (rules.SINGLE, rules.TRUE_FALSE):
            return question.correct_ids[0] if right else self.rng.choice(ids)
        if question.kind == rules.MULTIPLE:
            return sorted(question.correct_ids) if right else sorted(self.rng.sample(ids, self.rng.randint(1, len(ids))))
        if question.kind == rules.ORDERING:
            return list(ids) if right else self.rng.sample(ids, len(ids))
        return {o: o for o in ids} if right else {o: self.rng.choice(ids) for o in ids}

    def grow(self, size):
        users, learners, attempts, votes = [], [], [], []
        course, block_key = self.quiz.course_run, self.quiz.block_key
        started = time.perf_counter()
        for i in range(self.size, size):
            username = f"learner{i:06d}"
            first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
            users.append(get_user_model()(username=username, first_name=first, last_name=last,
                                          email=f"{username}@example.org", password="!"))
            learner_id = anonymous_id(username, course)
            learners.append(Learner(course_id=course, learner_id=learner_id, username=username,
                                    full_name=f"{first} {last}"))
            drawn = rules.draw(self.ids, self.quiz.questions_per_attempt, rules.seed_for(learner_id, block_key, 1))
            answers = {qid: self.answer(self.bank[qid]) for qid in drawn}
            scored = rules.score_attempt([self.bank[q] for q in drawn], answers)
            attempts.append(QuizAttempt(course_id=course, block_id=block_key, learner_id=learner_id, number=1, slot=1,
                                        question_ids=drawn, answers=answers,
                                        results={r.question_id: r.earned for r in scored.results},
                                        earned=scored.earned, possible=scored.possible, percent=scored.percent,
                                        started_at="2026-04-28T10:00:00Z", submitted_at="2026-04-28T10:30:00Z"))
            choice = self.rng.choice("RRBBGO")
            self.tally[choice] += 1
            votes.append(XBlockState(scope="usage", scope_id=self.poll_id, user_id=username,
                                     scenario=peers.SCENARIO, tag="poll",
                                     state=json.dumps({"choice": choice, "submissions_count": 1})))
        with transaction.atomic():
            for model, rows in ((get_user_model(), users), (Learner, learners), (QuizAttempt, attempts),
                                (XBlockState, votes)):
                model.objects.bulk_create(rows, batch_size=BATCH)
        poll = peers.block_for(self.poll_id, TUTOR)
        poll.tally = dict(self.tally)
        poll.save()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # statistics for the query planner, as a server database keeps them
        self.size = size
        return time.perf_counter() - started


# -- the BLMA tutor view --------------------------------------------------------------------------
def tutor_page(quiz_id, context=None):
    """One page request of the tutor: new runtime, block loaded, rendered, the page's HTML."""
    block = peers.block_for(quiz_id, TUTOR)
    fragment = block.runtime.render(block, "student_view", dict(context or VIEW_CONTEXT))
    return fragment.head_html() + fragment.body_html() + fragment.foot_html()


def paging_handlers():
    """Staff handlers of the quiz that take a page (pagination is being added): their names."""
    from blma_xblocks.quiz import QuizBlock
    found = []
    for name in dir(QuizBlock):
        func = getattr(QuizBlock, name, None)
        if getattr(func, "_is_xblock_handler", False) and getattr(func, "blma_role", None) == "staff" \
                and "page" in (getattr(func, "blma_fields", None) or ()):
            found.append(name)
    return found


def paging_call(quiz_id, name, search=""):
    block = peers.block_for(quiz_id, TUTOR)
    fields = block.__class__.__dict__.get(name) or getattr(block.__class__, name)
    payload = {"page": PAGE}
    if "search" in (getattr(fields, "blma_fields", None) or ()):
        payload["search"] = search
    return peers.handle(block, name, payload)


def query_count(captured):
    """"N (S in the field store)": all queries, and those of the workbench's key-value store (one per
    field read: an artefact of the workbench; the LMS reads fields from the modulestore and
    the user-state cache)."""
    store = sum("workbench_xblockstate" in q["sql"] for q in captured)
    return f"{len(captured)} ({store} field store)"


def count_queries(func, *args):
    with CaptureQueriesContext(connection) as queries:
        func(*args)
    return query_count(queries.captured_queries)


class Stopped(Exception):
    pass


def _stop(signum, frame):  # pylint: disable=unused-argument
    raise Stopped()


def counted_within_limit(func, *args):
    """(seconds, result, queries) of one call with the query count on; Stopped after TIME_LIMIT_S."""
    previous = signal.signal(signal.SIGALRM, _stop)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_S)
    try:
        with CaptureQueriesContext(connection) as queries:
            elapsed, result = timed(func, *args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return elapsed, result, query_count(queries.captured_queries)


# -- the poll's staff views -------------------------------------------------------------------------
class UserState:
    """What the LMS's user-state client yields for a block: username and decoded state."""
    __slots__ = ("username", "state")

    def __init__(self, row):
        self.username = row.user_id
        self.state = json.loads(row.state)


def poll_report(poll_id, limit=None):
    block = peers.block_for(poll_id, TUTOR)
    rows = XBlockState.objects.filter(scope="usage", scope_id=poll_id).exclude(user_id=None).order_by("user_id")
    if limit is not None:
        rows = rows[:limit]
    return list(block.generate_report_data((UserState(r) for r in rows.iterator()), limit_responses=limit))


def poll_results(poll_id):
    block = peers.block_for(poll_id, TUTOR)
    elapsed, body = peers.handle(block, "get_results", {})
    return body


def measure(func, runs, *args):
    samples = []
    result = None
    for _ in range(runs):
        elapsed, result = timed(func, *args)
        samples.append(elapsed)
    return samples, result


def main():
    profile = "--profile" in sys.argv
    sizes = [int(a) for a in sys.argv[1:] if a.isdigit()]  # e.g. `tutor_view.py 5000 --profile`
    if sizes:
        global SIZES  # pylint: disable=global-statement
        SIZES = tuple(sizes)
    ids = peers.build()
    quiz_id = peers.parse(quiz_xml())
    quiz = peers.block_for(quiz_id, TUTOR)
    cohort = Cohort(quiz, ids.poll)
    handlers = paging_handlers()
    header(f"Tutor view at {', '.join(f'{n:,}' for n in SIZES)} learners")
    print(f"- pagination: {'staff handler(s) taking a page: ' + ', '.join(handlers) if handlers else 'no staff handler takes a page'}; "
          f"student_view gets {VIEW_CONTEXT}; page size expected {PAGE_SIZE}")
    print()
    rows, extra_rows, poll_rows = [], [], []
    translation.activate(LANGUAGE)
    tutor_page(quiz_id)  # warm, before any learner: templates, catalogues
    for size in SIZES:
        built = cohort.grow(size)
        print(f"{size:,} learners: data created in {built:.1f} s (users, learner names, attempts, poll votes)",
              flush=True)
        try:
            # first, one run with the query count on (and a time limit): it tells how slow a render is
            first, html, queries = counted_within_limit(tutor_page, quiz_id)
        except Stopped:
            rows.append([f"{size:,}", f"> {TIME_LIMIT_S} s (stopped)", "–", "–", "–", "–",
                         "**no**" if size == max(SIZES) else "–"])
            print(f"  tutor first page: stopped after {TIME_LIMIT_S} s", flush=True)
            html, queries = None, None
        if html is not None:
            runs = RUNS.get(size, 3)
            if first > SLOW_S:
                samples, spread = [first], "1 run (counted)"
            else:
                samples, html = measure(tutor_page, runs, quiz_id)
                spread = ms(p90(samples)) if runs >= 5 else ms(max(samples))
            shown = len(ROW.findall(html))
            pages = "all learners: not paginated" if shown >= size else f"paginated ({shown} of {size:,})"
            verdict = "yes" if median(samples) * 1000 < GOAL_MS else "**no**"
            rows.append([f"{size:,}", ms(median(samples)), spread, f"{len(html.encode('utf-8')):,}",
                         f"{shown:,} ({pages})", queries, verdict if size == max(SIZES) else "–"])
            print(f"  tutor first page: median {ms(median(samples))}, {len(html):,} characters, {queries} queries",
                  flush=True)
        runs = RUNS.get(size, 3)
        for name in handlers:
            for label, search in (("page 1", ""), (f"search {SEARCH!r}", SEARCH)):
                samples_h, _ = measure(paging_call, runs, quiz_id, name, search)
                extra_rows.append([f"{size:,}", f"{name}, {label}", ms(median(samples_h)),
                                   count_queries(paging_call, quiz_id, name, search)])
        res_samples, _ = measure(poll_results, max(runs, 5), ids.poll)
        head_samples, head = measure(poll_report, max(runs, 5), ids.poll, PAGE_SIZE)
        all_samples, everything = measure(poll_report, runs, ids.poll)
        assert len(head) == PAGE_SIZE and len(everything) == size, (len(head), len(everything))
        ours = f"{median(samples) / median(all_samples):.2f}x" if html is not None else f"> {TIME_LIMIT_S} s"
        poll_rows.append([f"{size:,}", ms(median(res_samples)), ms(median(head_samples)), ms(median(all_samples)),
                          ours])
    print()
    print("blma_quiz, the tutor's first page (one page request); the time is the median, the spread p90 "
          f"(the maximum below 5 runs; a render slower than {SLOW_S} s is timed once, with its query count):")
    print()
    table(["learners", "median", "p90 / max", "HTML bytes", "rows in the learner table", "queries",
           f"goal < {GOAL_MS} ms at {max(SIZES):,}"], rows)
    if extra_rows:
        table(["learners", "paging handler", "median", "queries"], extra_rows)
    print("xblock-poll's staff views (drag-and-drop-v2 has none), medians:")
    print()
    table(["learners", "get_results (tally)", f"report, first {PAGE_SIZE} rows", "report, all rows",
           "blma first page / poll full report"], poll_rows)
    if profile:
        profile_page(quiz_id, cohort.size)


def profile_page(quiz_id, size):
    """cProfile of one tutor page (the largest size measured): where the time goes."""
    import cProfile
    import pstats
    profiler = cProfile.Profile()
    profiler.enable()
    tutor_page(quiz_id)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    print(f"cProfile of the tutor's first page at {size:,} learners, by cumulative time:")
    stats.sort_stats("cumulative").print_stats(45)
    print("by own time:")
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
