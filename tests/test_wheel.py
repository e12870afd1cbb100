"""Build the wheel, install it in a clean virtual environment, render a block from the installed copy."""
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # sdist first, then the wheel from it (what `python -m build` does): the symlinked
    # static/, translations/ and modules/ must become real files on the way.
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, cwd=str(out), capture_output=True)
    return next(out.glob("blma_xblocks-*.whl"))


def test_wheel_holds_static_translations_templates_and_course(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for expected in ("blma_xblocks/assets/static/css/blma.css", "blma_xblocks/assets/static/js/module.js",
                     "blma_xblocks/translations/fr/LC_MESSAGES/text.mo",
                     "blma_xblocks/assets/static/js/translations/fr/text.js", "blma_xblocks/templates/module.html",
                     "blma_xblocks/modules/pre_course/phase.xml", "blma_xblocks/migrations/0001_initial.py"):
        assert expected in names
    entry_points = zipfile.ZipFile(wheel).read(
        next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "blma_phase = blma_xblocks.phase:PhaseBlock" in entry_points
    assert "blma_module = blma_xblocks.module:ModuleBlock" in entry_points
    assert "lms.djangoapp" in entry_points and "cms.djangoapp" in entry_points


def test_installed_wheel_renders_a_block_in_french(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-c", str(ROOT / "requirements" / "constraints.txt"), str(wheel)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    result = subprocess.run([str(venv / "bin" / "python"), str(ROOT / "tests" / "wheel_smoke.py")],
                            check=True, capture_output=True, text=True, cwd=str(tmp_path), env=env)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["package"].startswith(str(venv)), report  # the installed copy, not the source tree
    assert report["french_button"] and report["title"]
    assert report["css"] > 1000 and report["js_catalogue"] > 1000
    assert report["course_files"] >= 10
