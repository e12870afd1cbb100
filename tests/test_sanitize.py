"""The one sanitizer against real XSS vectors: nothing executable survives; cleaning is idempotent."""
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from blma_xblocks.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, clean, stripped_parts

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpora" / "xss"
CORPUS = Path(os.environ.get("BLMA_XSS_CORPUS", DEFAULT_CORPUS))


def payloads():
    lines = (HERE / "data" / "xss_own.txt").read_text(encoding="utf-8").splitlines()
    if CORPUS.is_dir():
        for path in sorted(CORPUS.glob("*.txt")):
            lines += path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line for line in dict.fromkeys(lines) if line.strip()]


PAYLOADS = payloads()
SCHEME = re.compile(r"^\s*([a-z][a-z0-9+.\-]*)\s*:", re.I)
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


class Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.bad.append(f"tag {tag}")
        allowed = set(ALLOWED_ATTRIBUTES.get(tag, [])) | set(ALLOWED_ATTRIBUTES["*"])
        for name, value in attrs:
            if name not in allowed or name.startswith("on"):
                self.bad.append(f"attribute {name}")
            if name == "href":
                scheme = SCHEME.match(CONTROL.sub("", value or ""))
                if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
                    self.bad.append(f"href {value}")

    handle_startendtag = handle_starttag


def executable_parts(html):
    audit = Audit()
    audit.feed(html)
    audit.close()
    return audit.bad


def test_the_corpus_is_there_in_ci():
    if os.environ.get("CI"):
        assert CORPUS.is_dir(), f"CI must have the XSS corpus at {CORPUS}"
    assert len(PAYLOADS) > (1400 if CORPUS.is_dir() else 25)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives_and_clean_is_idempotent(payload):
    once = clean(payload)
    assert executable_parts(once) == [], (payload, once)
    assert clean(once) == once
    assert "<script" not in once.lower()  # text such as "javascript:x" shown as text is inert


def test_safe_markup_is_kept_as_written():
    html = ('<h3>Title</h3><p>A <strong>bold</strong> and <em>calm</em> <a href="https://www.ilo.org/">link</a>'
            ' &amp; <abbr title="Memorandum of understanding">MoU</abbr>.</p><ul><li>one</li></ul>'
            '<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>')
    assert clean(html) == html
    assert stripped_parts(html) == []


def test_relative_and_mailto_links_are_kept():
    assert clean('<a href="/courses/x">x</a>') == '<a href="/courses/x">x</a>'
    assert clean('<a href="mailto:migration@itcilo.org">m</a>') == '<a href="mailto:migration@itcilo.org">m</a>'


def test_script_content_is_dropped_not_shown_as_text():
    assert clean("<p>a</p><script>alert(1)</script><p>b</p>") == "<p>a</p><p>b</p>"
    assert clean("<style>p{}</style>ok") == "ok"


def test_stripped_parts_name_what_authors_lose():
    assert stripped_parts('<p onclick="x">a</p><img src=x><a href="javascript:x">y</a>') == [
        "<p onclick>", "<img>", "<a href='javascript:x'>"]
    assert clean(None) == "" and clean("") == ""


def test_parallel_requests_get_the_same_clean_text_as_one():
    """A threaded server cleans in many threads at once: every call gives what a lone call gives."""
    from concurrent.futures import ThreadPoolExecutor
    texts = [f"<p>Réponse {n} <b>gras</b> <a href='https://ilo.org/{n}' onclick='x'>lien</a>"
             f"<script>alert({n})</script><table><tr><td>{'x' * n}</td></tr></table></p>" for n in range(60)]
    expected = [clean(t) for t in texts]
    with ThreadPoolExecutor(max_workers=10) as pool:
        for _round in range(5):
            assert list(pool.map(clean, texts * 10)) == expected * 10
