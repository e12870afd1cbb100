"""Catalogues: complete French, compiled files up to date, no English literal in templates."""
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import i18n as tool  # noqa: E402  pylint: disable=wrong-import-position

TEMPLATES = sorted((ROOT / "blma_xblocks" / "templates").rglob("*.html"))


def test_every_french_message_is_translated_and_not_fuzzy():
    catalog = tool.read("fr")
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not m.string or
                                              (isinstance(m.string, tuple) and not all(m.string)))]
    assert bad == []
    assert catalog.plural_forms.startswith("nplurals=2")


def test_every_string_in_the_sources_is_in_the_catalogues():
    source_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in tool.extracted() if m.id}
    for lang in tool.LOCALES:
        catalog_ids = {m.id if isinstance(m.id, str) else m.id[0] for m in tool.read(lang) if m.id}
        assert source_ids - catalog_ids == set(), f"run `make translations` ({lang})"


@pytest.mark.parametrize("lang", sorted(tool.LOCALES))
def test_compiled_catalogues_match_their_sources(lang):
    mo, js = tool.compiled(lang)
    assert tool.mo_path(lang).read_bytes() == mo, "run `make translations`"
    assert tool.js_path(lang).read_text(encoding="utf-8") == js, "run `make translations`"


def test_placeholders_survive_translation():
    for message in tool.read("fr"):
        if not message.id or isinstance(message.id, tuple):
            continue
        braces = set(re.findall(r"{\w+}", message.id)) | set(re.findall(r"%\(\w+\)s", message.id))
        assert braces == set(re.findall(r"{\w+}", message.string)) | set(re.findall(r"%\(\w+\)s", message.string)), \
            message.id


class Literals(HTMLParser):
    """Visible text and text attributes left after removing template code."""
    TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "value", "aria-valuetext")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.autonym_depth = 0  # language names written in their own language are not UI text

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "hreflang" in attrs:
            self.autonym_depth += 1
        for name in self.TEXT_ATTRIBUTES:
            if tag == "option" and name == "value":
                continue  # an option's value is sent to the server, never shown
            if re.search(r"[A-Za-z]{2,}", attrs.get(name) or ""):
                self.found.append(f"{tag}[{name}]={attrs[name]!r}")

    def handle_endtag(self, tag):
        if tag == "a" and self.autonym_depth:
            self.autonym_depth -= 1

    def handle_data(self, data):
        if self.autonym_depth == 0 and re.search(r"[A-Za-z]{2,}", data):
            self.found.append(data.strip())


def literals(template_text):
    code = re.sub(r"{%\s*blocktrans\b.*?endblocktrans\s*%}", " ", template_text, flags=re.S)
    code = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", " ", code, flags=re.S)
    code = re.sub(r"<script\b.*?</script>", " ", code, flags=re.S)
    parser = Literals()
    parser.feed(code)
    return parser.found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_hold_no_english_outside_translation_tags(template):
    assert literals(template.read_text(encoding="utf-8")) == []


def test_the_literal_check_catches_english():
    assert literals("<p>Hello there</p>") == ["Hello there"]
    assert literals('<button aria-label="Close">{% trans "x" %}</button>') == ["button[aria-label]='Close'"]
    assert literals('<p>{% trans "Hello" %} {{ name }}</p>') == []
    assert literals('<a href="?lang=fr" hreflang="fr">Français</a>') == []


def test_javascript_strings_go_through_gettext():
    assert re.search(r'textContent\s*=.*"[^"]*[A-Za-z]{2,}[^"]*"', 'x.textContent = "Saved";')
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            # a literal with words put on the page must come from gettext
            if re.search(r'textContent\s*=.*"[^"]*[A-Za-z]{2,}[^"]*"', line):
                assert "gettext" in line, (path.name, line)


def test_the_extractor_reads_trans_with_and_without_a_name(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('{% trans "Position…" as position %}<p>{% trans \'Say "hi"\' %}</p>\n'
                    '{% blocktrans with n=x %}{{ n }} of 5{% endblocktrans %}{% trans "Last" as last %}',
                    encoding="utf-8")
    assert list(tool.template_messages(page)) == [("Position…", 1), ('Say "hi"', 1), ("Last", 2),
                                                  ("%(n)s of 5", 2)]
