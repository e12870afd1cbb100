"""Run inside a fresh virtual environment with only the built wheel installed.

Renders a module from the installed package, in French, and reads the static
files through the XBlock resource API: proves static/ and translations/ ship.
"""
import json
import sys
from pathlib import Path

import django
from django.conf import settings

settings.configure(
    INSTALLED_APPS=["django.contrib.auth", "django.contrib.contenttypes", "blma_xblocks"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    USE_I18N=True, LANGUAGE_CODE="en", LANGUAGES=[("en", "English"), ("fr", "French")],
    SECRET_KEY="smoke", DEFAULT_AUTO_FIELD="django.db.models.AutoField",
)
django.setup()
from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402
from xblock.field_data import DictFieldData  # noqa: E402
from xblock.fields import ScopeIds  # noqa: E402
from xblock.test.tools import TestRuntime  # noqa: E402

import blma_xblocks  # noqa: E402
from blma_xblocks.i18n import BlmaI18nService  # noqa: E402
from blma_xblocks.module import ModuleBlock  # noqa: E402

call_command("migrate", verbosity=0)


class Runtime(TestRuntime):
    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{handler_name}"


runtime = Runtime(services={"i18n": BlmaI18nService(), "field-data": DictFieldData({})})
block = ModuleBlock(runtime, DictFieldData({
    "module_id": "smoke", "title": {"en": "Smoke", "fr": "Fumée"}, "body": {"en": "<p>x</p>", "fr": "<p>y</p>"},
}), ScopeIds("learner", "blma_module", "def", "usage"))
with translation.override("fr"):
    html = block.render("student_view", {}).body_html()
print(json.dumps({
    "package": str(Path(blma_xblocks.__file__).resolve()),
    "french_button": "Marquer comme terminé" in html,
    "title": "Fumée" in html,
    "css": len(ModuleBlock.open_local_resource("static/css/blma.css").read()),
    "js_catalogue": len(ModuleBlock.open_local_resource("static/js/translations/fr/text.js").read()),
    "course_files": len(list((Path(blma_xblocks.__file__).parent / "modules").rglob("*.xml"))),
}))
sys.exit(0)
