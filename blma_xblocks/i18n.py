"""The one i18n path: the package's own gettext catalogue, for the current language.

Open edX's XBlockI18nService loads blma_xblocks/translations/<locale>/LC_MESSAGES/text.mo
for the block; the workbench's service only proxies Django and never loads it.
This service mirrors the LMS one and is wired into the workbench and the tests.
The language is read on every call: it changes from one request to the next.
"""
import gettext as gettext_module
import os
from functools import lru_cache

from django.utils import translation

from .core.text import normalize_language

DOMAIN = "text"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "translations")
JS_NAMESPACE = "BlmaXBlocksI18N"


@lru_cache(maxsize=8)
def catalogue(language):
    """The compiled catalogue for a language (English: the msgids themselves)."""
    try:
        return gettext_module.translation(DOMAIN, LOCALE_DIR, [language])
    except OSError:
        return gettext_module.NullTranslations()


def current_language():
    """The request's language, reduced to the course languages (en, fr)."""
    return normalize_language(translation.get_language())


class BlmaI18nService:
    """Same surface as the LMS XBlockI18nService: gettext & co, plus catalogue attributes.

    ResourceLoader's {% trans %} merges `self` into Django's catalogue, so the
    gettext attributes (_catalog, plural, _info, _fallback) must be reachable.
    """

    def __init__(self, block=None):
        self.block = block

    @property
    def translator(self):
        return catalogue(current_language())

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        name = "gettext" if name == "ugettext" else name
        if name in ("get_language", "to_locale", "get_language_bidi"):
            return getattr(translation, name)
        return getattr(self.translator, name)

    def get_javascript_i18n_catalog_url(self, block):
        """No server-side JS catalogue here: blocks add the one they ship."""
        return None
