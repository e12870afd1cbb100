"""Workbench settings on top of xblock-sdk's: SQLite under var/, the course, roles, languages."""
import os
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES, WORKBENCH

VAR_DIR = Path(os.environ.get("BLMA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("BLMA_DB", str(VAR_DIR / "workbench.db")),
        # WAL lets the browser tests read while a handler writes; NORMAL sync is safe with WAL
        "OPTIONS": {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        # A file, not SQLite's shared in-memory database: that one fails parallel writers at once
        # ("table is locked") where a file waits, as MySQL does; the concurrency tests need that.
        "TEST": {"NAME": str(VAR_DIR / "test-workbench.db")},
    }
}
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")  # noqa: F405
DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "djpyfs"), "url_root": "/static/djpyfs"}

INSTALLED_APPS = list(INSTALLED_APPS) + ["submissions", "blma_xblocks", "blma_xblocks.workbench.apps.BlmaWorkbenchConfig"]
MIDDLEWARE = list(MIDDLEWARE) + ["blma_xblocks.workbench.middleware.LanguageMiddleware"]
TEMPLATES[0]["DIRS"] = [str(Path(__file__).parent / "templates")] + TEMPLATES[0]["DIRS"]
ROOT_URLCONF = "blma_xblocks.workbench.urls"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LANGUAGE_COOKIE_NAME = "blma_language"
TIME_ZONE = "Europe/Rome"

# The sample blocks of xblock-sdk stay out of the index page.
os.environ.setdefault("EXCLUDE_SAMPLE_XBLOCKS", "yes")
EXCLUDED_XBLOCKS = {
    "allscopes_demo", "attempts_scoreboard_demo", "equality_demo", "filethumbs", "helloworld_demo",
    "html_demo", "problem_demo", "sidebar_demo", "slider_demo", "textinput_demo", "thumbs",
    "view_counter_demo", "debugchild", "sequence_demo", "vertical_demo",
}

WORKBENCH = dict(WORKBENCH)
WORKBENCH["services"] = dict(
    WORKBENCH.get("services", {}),
    user="blma_xblocks.workbench.services.WorkbenchUserService",
    i18n="blma_xblocks.i18n.BlmaI18nService",
)

# Demo people: usernames on ?student=, the staff list is configurable.
BLMA_DEMO_LEARNERS = ["learner1", "learner2", "learner3"]
BLMA_STAFF_USERS = [u for u in os.environ.get("BLMA_STAFF_USERS", "tutor").split(",") if u]
BLMA_WORKBENCH_COURSE_ID = "course-v1:ITCILO+A9718838+2026"
# An ISO datetime freezes the course clock (demo and tests); empty means the real time.
BLMA_NOW = os.environ.get("BLMA_NOW", "")
