"""Bilingual text: every authored text exists per language, English is the fallback."""
from dataclasses import dataclass
from collections.abc import Mapping

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


def N_(message):
    """Mark a message for extraction; the adapter translates it at display time."""
    return message


def normalize_language(code):
    """Map a Django/LMS language code ("fr", "fr-ca", "FR_fr", None) to one of LANGUAGES."""
    if not code:
        return DEFAULT_LANGUAGE
    base = str(code).replace("_", "-").split("-", maxsplit=1)[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Localized:
    """A text as shown to a learner: its language and whether English stood in for it."""
    text: str
    lang: str
    fallback: bool


def has_text(value):
    """True when a value holds something other than white space."""
    return isinstance(value, str) and value.strip() != ""


def pick(texts, lang):
    """The text in `lang`, or the English one (flagged as a fallback) when it is missing."""
    # the usual case first: a dict and a course language (pick runs for every text of a quiz page)
    texts = texts if isinstance(texts, (dict, Mapping)) else {}
    lang = lang if lang in LANGUAGES else normalize_language(lang)
    if has_text(texts.get(lang)):
        return Localized(texts[lang], lang, False)
    english = texts.get(DEFAULT_LANGUAGE)
    if has_text(english):
        return Localized(english, DEFAULT_LANGUAGE, lang != DEFAULT_LANGUAGE)
    return Localized("", lang, False)


def missing_languages(texts):
    """The languages (in LANGUAGES order) for which a bilingual text is empty."""
    texts = texts if isinstance(texts, Mapping) else {}
    return [lang for lang in LANGUAGES if not has_text(texts.get(lang))]


def bilingual(en="", fr=""):
    """A bilingual text value as stored in the blocks' fields."""
    return {"en": en, "fr": fr}


def clean_bilingual(value):
    """Keep only the known languages, as strings; anything else is dropped."""
    value = value if isinstance(value, Mapping) else {}
    return {lang: value[lang] if isinstance(value.get(lang), str) else "" for lang in LANGUAGES}
