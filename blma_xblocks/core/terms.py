"""The course's term base: preferred forms of key terms, variants to avoid, duplicate quiz stems.

Pure rules on strings (no Django, XBlock or lxml): `blma validate` reads modules/terms.xml
(formats.parse_terms) and the content files, and reports what these functions return.

How a phrase matches a text (a variant to avoid, or a preferred form):
- on word boundaries: "accord type" does not match inside "raccord types";
- ignoring case; ' ’ ʼ ‘ are the same apostrophe; œ = oe and æ = ae;
- any run of spaces, line breaks, non-breaking spaces and hyphens in the phrase matches any other
  such run: "main-d'œuvre" matches "main d’oeuvre";
- each word of three letters or more also matches its plural (-s, -es, -x; -al -> -aux; -y -> -ies),
  unless the variant is marked exact; other inflections (feminine, verb forms) are written out as
  further variants;
- in HTML, tags are not text (inline tags join, block tags separate words) and entities are decoded.

A variant hit is not reported when it lies inside a match of a preferred form of the same language
(of any term), so "migration de main-d'œuvre" never fires on "migrations de main-d'œuvre", and a
hit inside a longer hit is reported once, as the longer one.
"""
import html as html_lib
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .text import LANGUAGES, N_, has_text
from .validation import Problem

APOSTROPHES = "'\u2019\u02bc\u2018"
HYPHENS = "\u2010\u2011-"  # "-" last: it closes a character class
INLINE_TAGS = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "sub", "sup", "u"}
_MARKUP = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w-]*)?[^>]*>|&(?:#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]\w*);", re.S)
_TOKEN = re.compile(rf"(?P<word>[^\W\d_]+)|(?P<sep>[\s{HYPHENS}]+)|(?P<apos>[{APOSTROPHES}])|(?P<other>.)", re.S)
_LIGATURES = {"œ": "oe", "æ": "ae"}

VARIANT_MESSAGES = {
    "en": N_("Terminology: write \"{preferred}\" in English, not \"{found}\" (term \"{term}\")."),
    "fr": N_("Terminology: write \"{preferred}\" in French, not \"{found}\" (term \"{term}\")."),
}
PAIR_MESSAGE = N_("Terminology: the English text says \"{source}\", so the French text should say "
                  "\"{preferred}\" (term \"{term}\").")


@dataclass(frozen=True)
class Variant:
    """A phrase to avoid in one language; exact: no plural tolerance; use: the preferred form to suggest
    (by default the term's first form in that language)."""
    lang: str
    phrase: str
    exact: bool = False
    line: int = None
    use: str = ""


@dataclass(frozen=True)
class Term:
    """A key term: its preferred forms per language (the first is the one to suggest) and variants to avoid.

    paired: when the English text of an element uses an English form, its French text must use a
    French form (for a term a translation tends to drop; the course is written in English first).
    """
    id: str
    forms: dict = field(default_factory=dict)
    avoid: tuple = ()
    paired: bool = False
    line: int = None


@dataclass(frozen=True)
class Hit:
    """Where a term form was found in a text: its span and the words as written."""
    start: int
    end: int
    found: str


# -- matching -------------------------------------------------------------------------------
def plain_text(text, html=False):
    """(plain, offsets): the text as read, and for each of its characters the index in `text`.

    Without html the text is its own plain text. With html, inline tags vanish, other tags become
    a space, comments vanish and entities are decoded.
    """
    text = text or ""
    if not html:
        return text, range(len(text))
    parts, offsets, pos = [], [], 0
    for match in _MARKUP.finditer(text):
        parts.append(text[pos:match.start()])
        offsets.extend(range(pos, match.start()))
        token = match.group(0)
        if token.startswith("<!--"):
            replacement = ""
        elif token.startswith("<"):
            replacement = "" if (match.group(2) or "").lower() in INLINE_TAGS else " "
        else:
            replacement = html_lib.unescape(token)
        parts.append(replacement)
        offsets.extend([match.start()] * len(replacement))
        pos = match.end()
    parts.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(parts), offsets


def _letters(word):
    """A word's letters as a pattern where œ/oe and æ/ae are the same."""
    word = "".join(_LIGATURES.get(c, c) for c in word.lower())
    out, i = [], 0
    while i < len(word):
        pair = word[i:i + 2]
        if pair in ("oe", "ae"):
            out.append(f"(?:{pair}|{'œ' if pair == 'oe' else 'æ'})")
            i += 2
        else:
            out.append(re.escape(word[i]))
            i += 1
    return out


def _word(word, plural):
    letters = _letters(word)
    plain = "".join(_LIGATURES.get(c, c) for c in word.lower())
    if not plural or len(plain) < 3 or plain[-1] in "sxz":
        return "".join(letters)
    if plain.endswith("al"):
        return "".join(letters[:-2]) + "(?:al|aux|als)"
    if plain.endswith(("au", "eu")):
        return "".join(letters) + "[sx]?"
    if plain.endswith("y") and plain[-2] not in "aeiou":
        return "".join(letters[:-1]) + "(?:y|ies)"
    return "".join(letters) + "(?:e?s)?"


@lru_cache(maxsize=4096)
def phrase_pattern(phrase, plural=True):
    """The compiled pattern of a phrase (see the module docstring)."""
    parts = []
    for token in _TOKEN.finditer(phrase.strip()):
        if token.group("word"):
            parts.append(_word(token.group("word"), plural))
        elif token.group("sep"):
            parts.append(rf"[\s{HYPHENS}]+")
        elif token.group("apos"):
            parts.append(f"[{APOSTROPHES}]")
        else:
            parts.append(re.escape(token.group("other")))
    body = "".join(parts)
    if re.match(r"[^\W_]", phrase.strip()[:1]):
        body = r"(?<![^\W_])" + body
    if re.search(r"[^\W_]$", phrase.strip()):
        body += r"(?![^\W_])"
    return re.compile(body, re.IGNORECASE)


def find_phrase(text, phrase, plural=True):
    """Spans (start, end) of a phrase in a plain text."""
    if not phrase.strip():
        return []
    return [m.span() for m in phrase_pattern(phrase, plural).finditer(text)]


def _preferred_spans(plain, lang, terms):
    spans = []
    for term in terms:
        for form in term.forms.get(lang, ()):
            spans += find_phrase(plain, form)
    return spans


def find_variants(plain, lang, terms):
    """[(Hit, Term, Variant)] for the variants of `lang` in a plain text, in text order, without a hit
    inside a preferred form or inside a longer hit."""
    preferred = _preferred_spans(plain, lang, terms)
    hits = []
    for term in terms:
        for variant in term.avoid:
            if variant.lang != lang:
                continue
            for start, end in find_phrase(plain, variant.phrase, not variant.exact):
                if not any(s <= start and end <= e for s, e in preferred):
                    hits.append((start, end, term, variant))
    hits.sort(key=lambda h: (h[0], -h[1]))
    kept = []
    for start, end, term, variant in hits:
        if any(s <= start and end <= e for s, e, _t, _v in kept):
            continue  # the same words, already reported by a longer (or the same) hit
        kept.append((start, end, term, variant))
    return [(Hit(start, end, " ".join(plain[start:end].split())), term, variant) for start, end, term, variant in kept]


def check_text(text, lang, terms, html=False):
    """Problems for each variant to avoid in one text; params carry "offset", the hit's index in `text`."""
    plain, offsets = plain_text(text, html)
    problems = []
    for hit, term, variant in find_variants(plain, lang, terms):
        preferred = variant.use or (term.forms.get(lang) or ("?",))[0]
        problems.append(Problem(lang, VARIANT_MESSAGES[lang], {"term": term.id, "found": hit.found,
                                                               "preferred": preferred,
                                                               "offset": offsets[hit.start]}))
    return problems


def check_pairs(texts, terms, html=False):
    """Problems (field "fr") for each paired term the English text uses and its French text does not."""
    english, french = (plain_text((texts or {}).get(lang) or "", html)[0] for lang in ("en", "fr"))
    problems = []
    for term in terms:
        if not term.paired or not has_text(french) or not term.forms.get("fr"):
            continue
        used = next((span for form in term.forms.get("en", ()) for span in find_phrase(english, form)), None)
        if used and not any(find_phrase(french, form) for form in term.forms["fr"]):
            problems.append(Problem("fr", PAIR_MESSAGE, {"term": term.id, "source": " ".join(
                english[used[0]:used[1]].split()), "preferred": term.forms["fr"][0], "offset": 0}))
    return problems


def newlines_before(text, offset):
    """How many lines a position is below the start of its text (0 on the first line)."""
    return (text or "").count("\n", 0, offset)


# -- the term base itself -------------------------------------------------------------------
def check_term_base(terms):
    """Problems in the term base: ids used twice, a term without both languages, a useless variant.

    params carry "line" (the term's or the variant's, when known).
    """
    problems, seen = [], set()
    for term in terms:
        if term.id in seen:
            problems.append(Problem("term", N_("Term \"{term}\" is defined twice."),
                                    {"term": term.id, "line": term.line}))
        seen.add(term.id)
        if any(not term.forms.get(lang) for lang in LANGUAGES):
            problems.append(Problem("term", N_("Term \"{term}\" needs a preferred form in English and in French."),
                                    {"term": term.id, "line": term.line}))
        for variant in term.avoid:
            phrase = variant.phrase.strip()
            clash = next((form for other in terms for form in other.forms.get(variant.lang, ())
                          if (0, len(phrase)) in find_phrase(phrase, form)), None)
            if clash is not None:
                problems.append(Problem("avoid", N_("Term \"{term}\": the variant \"{variant}\" is a preferred "
                                                    "form (\"{form}\"), so it would never be reported."),
                                        {"term": term.id, "variant": variant.phrase, "form": clash,
                                         "line": variant.line or term.line}))
            elif variant.use and any(hit_variant is variant for _h, _t, hit_variant in find_variants(
                    variant.use, variant.lang, terms)):
                problems.append(Problem("avoid", N_("Term \"{term}\": the suggested form \"{form}\" contains the "
                                                    "variant \"{variant}\"."),
                                        {"term": term.id, "variant": variant.phrase, "form": variant.use,
                                         "line": variant.line or term.line}))
    return problems


# -- quiz stems -------------------------------------------------------------------------------
def stem_key(text, html=True):
    """A stem reduced for comparison: no markup, case, punctuation, apostrophe style or spacing."""
    plain = plain_text(text or "", html)[0].lower()
    plain = "".join(_LIGATURES.get(c, c) for c in plain)
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


SIMILAR_STEMS = 0.6  # share of words two stems have in common (of all their words) to count as one question
SIMILAR_MIN_WORDS = 6  # shorter stems are compared only when identical


def similarity(key_a, key_b):
    """Words in common over all the words of two stem keys (0 to 1)."""
    words_a, words_b = set(key_a.split()), set(key_b.split())
    return len(words_a & words_b) / len(words_a | words_b) if words_a or words_b else 0.0


def duplicate_stems(banks):
    """Problems for a question whose stem (in either language) is already in another bank.

    banks: [(bank, [(question_id, {"en": stem, "fr": stem})])] in reading order. A stem is the same
    as another when their stem_key is; almost the same when, both of SIMILAR_MIN_WORDS words or more,
    they share SIMILAR_STEMS of their words (a reworded copy). Each problem is on the later question;
    params: question, bank, lang (the language that matched), other, other_question.
    """
    earlier = []  # (bank, question_id, lang, key)
    problems = []
    for bank, questions in banks:
        for question_id, stem in questions:
            keys = {lang: stem_key((stem or {}).get(lang)) for lang in LANGUAGES}
            others = [e for e in earlier if e[0] != bank]
            same = next(((lang, e) for lang in LANGUAGES for e in others if keys[lang] and e[2] == lang
                         and e[3] == keys[lang]), None)
            message = N_("Question {question}: the same stem is already in {other}, question {other_question}.")
            if same is None:
                scored = [(similarity(keys[lang], e[3]), lang, e) for lang in LANGUAGES for e in others
                          if e[2] == lang and min(len(keys[lang].split()), len(e[3].split())) >= SIMILAR_MIN_WORDS]
                best = max(scored, key=lambda s: s[0], default=None)
                if best and best[0] >= SIMILAR_STEMS:
                    same = best[1:]
                    message = N_("Question {question}: the stem is almost the same as in {other}, question "
                                 "{other_question}.")
            if same:
                lang, (other, other_question, _lang, _key) = same
                problems.append(Problem("questions", message, {"question": question_id, "bank": bank, "lang": lang,
                                                               "other": other, "other_question": other_question}))
            earlier += [(bank, question_id, lang, key) for lang, key in keys.items() if key]
    return problems
