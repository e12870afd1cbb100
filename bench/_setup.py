"""Shared set-up for the benchmarks: the workbench settings on a throw-away SQLite database."""
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_ready():
    var = tempfile.mkdtemp(prefix="blma-bench-")
    os.environ["BLMA_VAR_DIR"] = var
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blma_xblocks.workbench.settings")
    os.environ["BLMA_NOW"] = "2026-04-20T09:00:00+02:00"
    import django
    from django.core.management import call_command
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    return var


def quiz_xml():
    text = (ROOT / "modules" / "pre_course" / "quiz.xml").read_text(encoding="utf-8")
    return text.split("?>", 1)[1] if text.startswith("<?xml") else text
