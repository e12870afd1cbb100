from hypothesis import HealthCheck, given, settings, strategies as st

from blma_xblocks.core.text import (Localized, bilingual, clean_bilingual, has_text, missing_languages,
                                    normalize_language, pick)


def test_normalize_language_maps_variants_and_unknowns():
    assert normalize_language("fr") == "fr"
    assert normalize_language("fr-ca") == "fr"
    assert normalize_language("FR_fr") == "fr"
    assert normalize_language("en-us") == "en"
    assert normalize_language("de") == "en"
    assert normalize_language(None) == "en"
    assert normalize_language("") == "en"


def test_pick_prefers_the_language_then_flags_english_fallback():
    texts = bilingual("Hello", "Bonjour")
    assert pick(texts, "fr") == Localized("Bonjour", "fr", False)
    assert pick(texts, "en") == Localized("Hello", "en", False)
    assert pick(bilingual("Hello", "  "), "fr") == Localized("Hello", "en", True)
    assert pick(bilingual("Hello", ""), "en") == Localized("Hello", "en", False)
    assert pick(bilingual("", ""), "fr") == Localized("", "fr", False)
    assert pick(None, "fr") == Localized("", "fr", False)
    assert pick({"fr": "Seul"}, "fr").text == "Seul"


def test_missing_languages_and_has_text():
    assert missing_languages(bilingual("a", "b")) == []
    assert missing_languages(bilingual("a", "")) == ["fr"]
    assert missing_languages({}) == ["en", "fr"]
    assert missing_languages("nonsense") == ["en", "fr"]
    assert not has_text("   ")
    assert not has_text(None)
    assert has_text(" x ")


def test_clean_bilingual_drops_unknown_keys_and_non_strings():
    assert clean_bilingual({"en": "a", "fr": 3, "de": "x"}) == {"en": "a", "fr": ""}
    assert clean_bilingual(["en"]) == {"en": "", "fr": ""}


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["en", "fr", "de"]), st.one_of(st.text(), st.none())),
       st.sampled_from(["en", "fr", "de", None]))
def test_pick_always_returns_a_text_from_the_input(texts, lang):
    result = pick(texts, lang)
    assert result.text == "" or result.text in texts.values()
    assert result.lang in ("en", "fr")
    if result.fallback:
        assert result.lang == "en" and normalize_language(lang) == "fr"
