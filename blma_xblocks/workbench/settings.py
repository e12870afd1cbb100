"""Workbench settings on top of xblock-sdk's: SQLite under var/, the course, roles, languages."""
import os
import secrets
from pathlib import Path

from workbench.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from workbench.settings import INSTALLED_APPS, MIDDLEWARE, TEMPLATES, WORKBENCH

VAR_DIR = Path(os.environ.get("BLMA_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """xblock-sdk's SECRET_KEY is public: anonymous ids and quiz seeds would follow from it.

    BLMA_SECRET_KEY when set; otherwise a random key made once and kept in var/.
    """
    if os.environ.get("BLMA_SECRET_KEY"):
        return os.environ["BLMA_SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    try:
        with open(path, "x", encoding="utf-8") as handle:
            os.chmod(path, 0o600)
            handle.write(secrets.token_urlsafe(50))
    except FileExistsError:
        pass
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

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
# --- MySQL/MariaDB instead of SQLite (the tests' second run; README "Tests against MySQL/MariaDB") ---
# BLMA_TEST_DB=mariadb: without BLMA_MYSQL_HOST the tests start a throw-away server
# (tests/mariadb_server.py); a host name, or a socket path, uses an existing server.
if os.environ.get("BLMA_TEST_DB") == "mariadb":
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("BLMA_MYSQL_DATABASE", "blma"),
            "USER": os.environ.get("BLMA_MYSQL_USER", "root"),
            "PASSWORD": os.environ.get("BLMA_MYSQL_PASSWORD", ""),
            "HOST": os.environ.get("BLMA_MYSQL_HOST", ""),
            "PORT": os.environ.get("BLMA_MYSQL_PORT", ""),
            # As Tutor configures Open edX: strict mode, utf8mb4, Django's READ COMMITTED isolation.
            "OPTIONS": {"charset": "utf8mb4", "init_command": "SET sql_mode='STRICT_TRANS_TABLES'",
                        **({"isolation_level": os.environ["BLMA_MYSQL_ISOLATION"]}
                           if os.environ.get("BLMA_MYSQL_ISOLATION") else {})},
            "TEST": {"NAME": os.environ.get("BLMA_MYSQL_TEST_DATABASE", "test_blma"),
                     "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
# --- end of the MySQL/MariaDB switch ---
LOGGING["handlers"]["logfile"]["filename"] = str(VAR_DIR / "workbench.log")  # noqa: F405
# Learners' files (the capstone's attachments) through Django's storage API; never served as media.
MEDIA_ROOT = str(VAR_DIR / "media")
DJFS = {"type": "osfs", "directory_root": str(VAR_DIR / "djpyfs"), "url_root": "/static/djpyfs"}

INSTALLED_APPS = list(INSTALLED_APPS) + ["submissions", "blma_xblocks",
                                         "blma_xblocks.workbench.apps.BlmaWorkbenchConfig"]
MIDDLEWARE = list(MIDDLEWARE) + ["blma_xblocks.workbench.middleware.LanguageMiddleware"]
TEMPLATES[0]["DIRS"] = [str(Path(__file__).parent / "templates")] + TEMPLATES[0]["DIRS"]
ROOT_URLCONF = "blma_xblocks.workbench.urls"

# Deployment-like by default: no tracebacks to learners (a short page; the trace goes to the log),
# no SQL logging. BLMA_DEBUG=1 turns Django's debug mode back on for development.
DEBUG = os.environ.get("BLMA_DEBUG", "") == "1"
TEMPLATES[0].setdefault("OPTIONS", {})["debug"] = DEBUG
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

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
    # Studio's authoring check; the LMS has none, so nothing is edited there (base.can_edit)
    studio_user_permissions="blma_xblocks.workbench.services.WorkbenchStudioPermissions",
    # one read per state row and request, as the LMS's FieldDataCache (field_data.py says why)
    **{"field-data": "blma_xblocks.workbench.field_data.RequestFieldData"},
)

# Demo people: usernames on ?student=, the staff list is configurable.
BLMA_DEMO_LEARNERS = ["learner1", "learner2", "learner3"]
BLMA_STAFF_USERS = [u for u in os.environ.get("BLMA_STAFF_USERS", "tutor").split(",") if u]
BLMA_WORKBENCH_COURSE_ID = "course-v1:ITCILO+A9718838+2026"
# An ISO datetime freezes the course clock (demo and tests); empty means the real time.
BLMA_NOW = os.environ.get("BLMA_NOW", "")
