"""Shared set-up for the benchmarks: the workbench settings on a throw-away SQLite database.

Deployment settings: DEBUG is off (the workbench's default; BLMA_DEBUG is cleared here so a
developer's shell cannot turn it on), and the database lives in a new temporary directory
(BLMA_VAR_DIR), so a benchmark never touches var/ or another run's files; it is removed at exit
(BLMA_BENCH_KEEP=1 keeps it). The secret key is fixed
(benchmarks only), so the quiz draws the same questions in every run. The field store is the
workbench's (RequestFieldData: a row read once per request, as the LMS reads a block's state);
BLMA_BENCH_STORE=sdk measures with xblock-sdk's own store (a query per field read) instead.
"""
import atexit
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_ready():
    var = tempfile.mkdtemp(prefix="blma-bench-")
    if not os.environ.get("BLMA_BENCH_KEEP"):  # BLMA_BENCH_KEEP=1 keeps the database to look at
        atexit.register(shutil.rmtree, var, ignore_errors=True)
    os.environ["BLMA_VAR_DIR"] = var
    os.environ["BLMA_DEBUG"] = ""  # deployment settings: DEBUG off
    # A fixed key, so every run draws the same 15 questions and tokens (the workbench otherwise makes a
    # random key per var directory, and the quiz pages' size changed from run to run with the draw).
    os.environ["BLMA_SECRET_KEY"] = "blma-bench-only-not-a-secret"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blma_xblocks.workbench.settings")
    os.environ["BLMA_NOW"] = "2026-04-20T09:00:00+02:00"
    import django
    from django.core.management import call_command
    django.setup()
    if os.environ.get("BLMA_BENCH_STORE") == "sdk":  # xblock-sdk's own field store, to compare
        from django.conf import settings
        settings.WORKBENCH["services"]["field-data"] = "blma_xblocks.workbench.field_data.SdkFieldData"
    call_command("migrate", run_syncdb=True, verbosity=0)
    return var


def course_xml(relative):
    """A course file under modules/ as a string (without the XML declaration)."""
    text = (ROOT / "modules" / relative).read_text(encoding="utf-8")
    return text.split("?>", 1)[1] if text.startswith("<?xml") else text


def quiz_xml():
    return course_xml("pre_course/quiz.xml")


# -- numbers ------------------------------------------------------------------------------------
def median(samples):
    return statistics.median(samples)


def p90(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def ms(seconds):
    if seconds >= 10:
        return f"{seconds:.1f} s"
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds * 1000:.0f} ms"


def ratio(ours, theirs):
    return f"{ours / theirs:.2f}x" if theirs else "–"


def timed(func, *args, **kwargs):
    """(seconds, result) of one call."""
    started = time.perf_counter()
    result = func(*args, **kwargs)
    return time.perf_counter() - started, result


def interleaved(measures, runs, warmup=3):
    """{name: [seconds]}: each run calls every measure once, in turn, so that load from other
    processes on the machine falls on all of them alike. A measure returns its own elapsed time
    (so it can leave its set-up untimed)."""
    for _ in range(warmup):
        for measure in measures.values():
            measure()
    samples = {name: [] for name in measures}
    for _ in range(runs):
        for name, measure in measures.items():
            samples[name].append(measure())
    return samples


def table(headers, rows):
    """Print a Markdown table (pasted as is into docs/benchmarks.md)."""
    print("| " + " | ".join(headers) + " |")
    print("|" + "|".join("---" for _ in headers) + "|")
    for row in rows:
        print("| " + " | ".join(str(c) for c in row) + " |")
    print()


def header(title):
    """What the numbers were taken on: machine, Python, settings, peers' versions, load."""
    from importlib.metadata import PackageNotFoundError, version

    from django.conf import settings

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"
    print(f"## {title}")
    print()
    print(f"- machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"Django {v('Django')}, XBlock {v('XBlock')}, xblock-sdk {v('xblock-sdk')}, "
          f"SQLite {__import__('sqlite3').sqlite_version} (temporary directory)")
    print(f"- settings: {os.environ.get('DJANGO_SETTINGS_MODULE')}, DEBUG={settings.DEBUG}, field store: "
          f"{settings.WORKBENCH['services']['field-data'].rsplit('.', 1)[-1]}")
    print(f"- peers: xblock-drag-and-drop-v2 {v('xblock-drag-and-drop-v2')}, xblock-poll {v('xblock-poll')}")
    print(f"- load average at start: {load()}")
    print()


def load():
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# -- the quiz ------------------------------------------------------------------------------------
def quiz_answers(block, attempt):
    """What a learner's browser sends for an attempt: every drawn question answered, with tokens.

    The right answer to each question (so the attempt is graded in full and passes, and the
    feedback page reveals the answers): one option, the right set, the written order, the pairs.
    """
    from blma_xblocks.core import quiz as rules
    seed = block.seed(attempt)
    bank = block.bank()
    out = {}
    for qid in attempt.question_ids:
        q = bank[qid]

        def tok(option_id, side="l", qid=qid):
            return rules.token(seed, qid, option_id, side)
        if q.kind in (rules.SINGLE, rules.TRUE_FALSE):
            answer = tok(q.correct_ids[0])
        elif q.kind == rules.MULTIPLE:
            answer = [tok(i) for i in q.correct_ids]
        elif q.kind == rules.ORDERING:
            answer = [tok(i) for i in q.option_ids]
        else:
            answer = {tok(i): tok(i, "r") for i in q.option_ids}
        out[rules.question_token(seed, qid)] = answer
    return out
