"""The quiz's tutor (staff) view at 500 / 5,000 / 50,000 learners, against the peers' staff views.

Data, created in bulk (bulk_create in batches, SQLite in a temporary directory, ANALYZE after each
load as a server database keeps statistics), grown from one size to the next:
- one Django user per learner (auth_user, with first and last names);
- the project's Learner row (course, anonymous id, username, full name), as each learner's own
  requests record it, so the tutor view resolves every name in one query;
- one graded attempt per learner at the real pre-course quiz: 15 questions drawn from its bank of
  32 as the block draws them, answers right or wrong at random, per-question results and score;
- the same learners' votes in xblock-poll's default poll: one user-state row per learner in the
  workbench's store (as the LMS keeps one StudentModule row each) and the poll's tally.

Measured at each size (medians; see RUNS):
- blma_quiz, the tutor's first page: what one page request costs (a new runtime for the tutor,
  the block loaded, `runtime.render(block, "student_view", VIEW_CONTEXT)`, the fragment's HTML);
  its size, the rows of the per-learner table it holds, and its queries (counted in a separate
  run: `CaptureQueriesContext` turns the debug cursor on, DEBUG itself stays off);
- the item analysis, wherever this version of the block computes it: inside the page
  (`QuizBlock.analysis`, before pagination) or in a staff handler the page loads afterwards
  (`item_analysis`), timed cold (Django's cache cleared: the first view after a submission) and
  warm (cached);
- the staff handler that pages the per-learner table, when the block has one (a staff handler
  declaring a `page` field: `learners`): page 1, the last page, and a search;
- xblock-poll's staff results (`get_results`: the tally, constant in the cohort size) and its
  per-learner report (`generate_report_data` over the user-state rows, as the LMS's "problem
  responses" report calls it): the first PAGE_SIZE rows, and all rows;
- drag-and-drop-v2 offers no staff or per-learner view (grades go to the LMS gradebook), so it has
  no number here.
Handlers are timed through `runtime.handle` on a block loaded for the tutor (loading untimed).

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

from _setup import django_ready, header, median, ms, p90, quiz_xml, table, timed

django_ready()
# pylint: disable=wrong-import-position  # Django is set up (a throw-away database) before these imports

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import translation  # noqa: E402
from workbench.models import XBlockState  # noqa: E402

import peers  # noqa: E402
from blma_xblocks.core import quiz as rules  # noqa: E402
from blma_xblocks.models import Learner, QuizAttempt  # noqa: E402
from blma_xblocks.workbench.services import anonymous_id  # noqa: E402

# -- parameters (edit here) ----------------------------------------------------------------------
SIZES = (500, 5_000, 50_000)
RUNS = {500: 9, 5_000: 7, 50_000: 5}  # timed runs per size (medians reported)
SLOW_S = 10         # a page slower than this is timed once (with its query count), not RUNS times
TIME_LIMIT_S = 240  # a page still rendering then is stopped and reported as "> TIME_LIMIT_S"
PAGE = 1            # the page asked for, where the block paginates
PAGE_SIZE = 50      # the page size the block is meant to use (also the poll report's first rows)
SEARCH = "Nguyen"   # a search, where the block supports one (a last name some learners have)
SEARCH_FIELDS = ("query", "search")  # what a paging handler may call its search field
VIEW_CONTEXT = {"page": PAGE}  # passed to student_view; a block that ignores it renders its default
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
            chosen = question.correct_ids if right else self.rng.sample(ids, self.rng.randint(1, len(ids)))
            return sorted(chosen)
        if question.kind == rules.ORDERING:
            return list(ids) if right else self.rng.sample(ids, len(ids))
        return {o: o for o in ids} if right else {o: self.rng.choice(ids) for o in ids}

    def learner(self, i):
        """(user, Learner row, graded attempt, poll vote) of the i-th learner."""
        course, block_key = self.quiz.course_run, self.quiz.block_key
        username = f"learner{i:06d}"
        first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
        user = get_user_model()(username=username, first_name=first, last_name=last,
                                email=f"{username}@example.org", password="!")
        learner_id = anonymous_id(username, course)
        name = Learner(course_id=course, learner_id=learner_id, username=username, full_name=f"{first} {last}",
                       sort_key=Learner.sort_key_of(username, f"{first} {last}"))
        drawn = rules.draw(self.ids, self.quiz.questions_per_attempt, rules.seed_for(learner_id, block_key, 1))
        answers = {qid: self.answer(self.bank[qid]) for qid in drawn}
        scored = rules.score_attempt([self.bank[q] for q in drawn], answers)
        attempt = QuizAttempt(course_id=course, block_id=block_key, learner_id=learner_id, number=1, slot=1,
                              question_ids=drawn, answers=answers,
                              results={r.question_id: r.earned for r in scored.results},
                              earned=scored.earned, possible=scored.possible, percent=scored.percent,
                              started_at="2026-04-28T10:00:00Z", submitted_at="2026-04-28T10:30:00Z")
        choice = self.rng.choice("RRBBGO")
        self.tally[choice] += 1
        vote = XBlockState(scope="usage", scope_id=self.poll_id, user_id=username, scenario=peers.SCENARIO,
                           tag="poll", state=json.dumps({"choice": choice, "submissions_count": 1}))
        return user, name, attempt, vote

    def grow(self, size):
        """Add learners up to `size`, in bulk; the seconds it took."""
        started = time.perf_counter()
        columns = list(zip(*(self.learner(i) for i in range(self.size, size))))
        with transaction.atomic():
            for model, rows in zip((get_user_model(), Learner, QuizAttempt, XBlockState), columns):
                model.objects.bulk_create(rows, batch_size=BATCH)
        poll = peers.block_for(self.poll_id, TUTOR)
        poll.tally = dict(self.tally)
        poll.save()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # statistics for the query planner, as a server database keeps them
        cache.clear()  # whatever the block cached about the quiz's attempts is stale now
        self.size = size
        return time.perf_counter() - started


# -- the BLMA tutor view --------------------------------------------------------------------------
def tutor_page(quiz_id):
    """One page request of the tutor: new runtime, block loaded, rendered, the page's HTML."""
    block = peers.block_for(quiz_id, TUTOR)
    fragment = block.runtime.render(block, "student_view", dict(VIEW_CONTEXT))
    return fragment.head_html() + fragment.body_html() + fragment.foot_html()


def staff_handlers():
    """{name: declared fields} of the quiz's staff JSON handlers (not downloads, not resets)."""
    from blma_xblocks.quiz import QuizBlock
    found = {}
    for name in dir(QuizBlock):
        func = getattr(QuizBlock, name, None)
        fields = getattr(func, "blma_fields", None)
        if getattr(func, "_is_xblock_handler", False) and getattr(func, "blma_role", None) == "staff" \
                and fields is not None and "learner_id" not in fields:
            found[name] = fields
    return found


def call(quiz_id, name, payload):
    """(seconds, JSON) of a staff handler through runtime.handle, on a block loaded for the tutor."""
    return peers.handle(peers.block_for(quiz_id, TUTOR), name, payload)


def analysis_measures(quiz_id, handlers):
    """How this version of the block computes its item analysis: [(where, cold(), warm() or None)].

    Each callable returns its seconds; cold clears Django's cache first (untimed)."""
    found = []
    for name, fields in handlers.items():
        if not fields and "analysis" in name:  # a handler the page loads afterwards (paginated versions)
            def cold(name=name):
                cache.clear()
                return call(quiz_id, name, {})[0]
            found.append((f"handler `{name}`, loaded after the page", cold,
                          lambda name=name: call(quiz_id, name, {})[0]))
    if not found:
        from blma_xblocks.quiz import QuizBlock
        if hasattr(QuizBlock, "analysis"):  # inside the page (before pagination)
            def inside():
                block = peers.block_for(quiz_id, TUTOR)
                return timed(block.analysis)[0]
            found.append(("`QuizBlock.analysis()`, inside the page", inside, None))
    return found


def paging_requests(handlers, size):
    """[(label, name, payload)] for the staff handler that pages the learner table, if there is one."""
    requests = []
    for name, fields in handlers.items():
        if "page" not in fields:
            continue
        last = max(1, -(-size // PAGE_SIZE))
        requests += [(f"`{name}` page {PAGE}", name, {"page": PAGE}),
                     (f"`{name}` page {last:,} (the last)", name, {"page": last})]
        search = next((f for f in SEARCH_FIELDS if f in fields), None)
        if search:
            requests.append((f"`{name}` search {SEARCH!r}", name, {"page": 1, search: SEARCH}))
    return requests


def query_count(captured):
    """"N (S field store)": all queries, and those of the workbench's key-value store (one per
    field read: an artefact of the workbench; the LMS reads fields from the modulestore and
    the user-state cache)."""
    store = sum("workbench_xblockstate" in q["sql"] for q in captured)
    return f"{len(captured)} ({store} field store)"


def count_queries(func, *args):
    with CaptureQueriesContext(connection) as queries:
        func(*args)
    return query_count(queries.captured_queries)


class Stopped(Exception):
    """A render ran past TIME_LIMIT_S."""


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
    return peers.handle(peers.block_for(poll_id, TUTOR), "get_results", {})[1]


def measure(func, runs, *args):
    samples = []
    result = None
    for _ in range(runs):
        elapsed, result = timed(func, *args)
        samples.append(elapsed)
    return samples, result


def repeat(func, runs):
    """Median of a callable that returns its own seconds."""
    return median([func() for _ in range(runs)])


class Report:
    """Measures each size and keeps the rows of the four tables."""

    def __init__(self, quiz_id, poll_id, handlers):
        self.quiz_id, self.poll_id, self.handlers = quiz_id, poll_id, handlers
        self.pages, self.analyses, self.paging, self.polls = [], [], [], []

    def page(self, size, runs):
        """The tutor's first page: its median seconds (None when stopped at the time limit)."""
        goal = size == max(SIZES)
        try:
            # first, one run with the query count on (and a time limit): it tells how slow a page is
            first, html, queries = counted_within_limit(tutor_page, self.quiz_id)
        except Stopped:
            self.pages.append([f"{size:,}", f"> {TIME_LIMIT_S} s (stopped)", "–", "–", "–", "–",
                               "**no**" if goal else "–"])
            print(f"  tutor first page: stopped after {TIME_LIMIT_S} s", flush=True)
            return None
        if first > SLOW_S:
            samples, spread = [first], "1 run (counted)"
        else:
            samples, html = measure(tutor_page, runs, self.quiz_id)
            spread = ms(p90(samples)) if runs >= 5 else ms(max(samples))
        seconds = median(samples)
        shown = len(ROW.findall(html))
        verdict = ("yes" if seconds * 1000 < GOAL_MS else "**no**") if goal else "–"
        self.pages.append([f"{size:,}", ms(seconds), spread, f"{len(html.encode('utf-8')):,}",
                           f"{shown:,} ({'all learners' if shown >= size else f'page of {size:,}'})", queries,
                           verdict])
        print(f"  tutor first page: median {ms(seconds)}, {len(html):,} characters, {queries} queries", flush=True)
        return seconds

    def analysis(self, size, runs):
        for where, cold, warm in analysis_measures(self.quiz_id, self.handlers):
            self.analyses.append([f"{size:,}", where, ms(repeat(cold, runs)), ms(repeat(warm, runs)) if warm else "–",
                                  count_queries(cold)])

    def pager(self, size, runs):
        for label, name, payload in paging_requests(self.handlers, size):
            samples = [call(self.quiz_id, name, payload)[0] for _ in range(runs)]
            self.paging.append([f"{size:,}", label, ms(median(samples)), ms(p90(samples)),
                                count_queries(call, self.quiz_id, name, payload)])

    def poll(self, size, runs, page):
        results, _ = measure(poll_results, max(runs, 5), self.poll_id)
        head_samples, head = measure(poll_report, max(runs, 5), self.poll_id, PAGE_SIZE)
        all_samples, everything = measure(poll_report, runs, self.poll_id)
        assert len(head) == PAGE_SIZE and len(everything) == size, (len(head), len(everything))
        ours = f"{page / median(all_samples):.2f}x" if page is not None else f"> {TIME_LIMIT_S} s"
        self.polls.append([f"{size:,}", ms(median(results)), ms(median(head_samples)), ms(median(all_samples)),
                           ours])

    def print(self):
        print("blma_quiz, the tutor's first page (one page request): the median, the spread p90 (the maximum "
              f"below 5 runs; a page slower than {SLOW_S} s is timed once, with its query count):")
        print()
        table(["learners", "median", "p90 / max", "HTML bytes", "rows in the learner table", "queries",
               f"goal < {GOAL_MS} ms at {max(SIZES):,}"], self.pages)
        if self.analyses:
            print("The item analysis (reads every learner's attempt), medians; cold = cache cleared:")
            print()
            table(["learners", "where", "cold", "warm (cached)", "queries (cold)"], self.analyses)
        if self.paging:
            print("The per-learner table's paging handler:")
            print()
            table(["learners", "request", "median", "p90", "queries"], self.paging)
        else:
            print("The block has no staff handler that takes a page: the whole table is in the page.")
            print()
        print("xblock-poll's staff views (drag-and-drop-v2 has none), medians:")
        print()
        table(["learners", "get_results (tally)", f"report, first {PAGE_SIZE} rows", "report, all rows",
               "blma first page / poll full report"], self.polls)


def main():
    global SIZES  # pylint: disable=global-statement
    SIZES = tuple(int(a) for a in sys.argv[1:] if a.isdigit()) or SIZES
    ids = peers.build()
    quiz_id = peers.parse(quiz_xml())
    cohort = Cohort(peers.block_for(quiz_id, TUTOR), ids.poll)
    handlers = staff_handlers()
    header(f"Tutor view at {', '.join(f'{n:,}' for n in SIZES)} learners")
    print(f"- the block's staff JSON handlers: {', '.join(f'{n} {sorted(f)}' for n, f in handlers.items()) or 'none'}")
    print()
    report = Report(quiz_id, ids.poll, handlers)
    translation.activate(LANGUAGE)
    tutor_page(quiz_id)  # warm, before any learner: templates, catalogues
    for size in SIZES:
        built = cohort.grow(size)
        print(f"{size:,} learners: data created in {built:.1f} s (users, learner names, attempts, poll votes)",
              flush=True)
        runs = RUNS.get(size, 3)
        page = report.page(size, runs)
        report.analysis(size, 1 if page is None or page > SLOW_S else runs)
        report.pager(size, runs)
        report.poll(size, runs, page)
    print()
    report.print()
    if "--profile" in sys.argv:
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
    with CaptureQueriesContext(connection) as queries:
        elapsed = timed(tutor_page, quiz_id)[0]
    print(f"The page's queries, slowest first (one more page, {ms(elapsed)}, with the debug cursor on):")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:6]:
        print(f"- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")


if __name__ == "__main__":
    main()
