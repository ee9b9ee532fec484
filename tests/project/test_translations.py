"""Every string people read is marked for translation, and translated in Welsh and Dutch.

After adding strings: `make messages`, then translate the new (empty) entries in
site/locale/cy/ and site/locale/nl/. These tests say which are missing.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "site" / "locale"
LANGUAGES = ("cy", "nl")
# Django's own plural rules for these languages (django/conf/locale/*/LC_MESSAGES/django.po):
# Wagtail's and Django's catalogues use the same, so every catalogue agrees.
PLURAL_FORMS = {
    "cy": "nplurals=4; plural=(n==1) ? 0 : (n==2) ? 1 : (n != 8 && n != 11) ? 2 : 3;",
    "nl": "nplurals=2; plural=(n != 1);",
}
SOURCE_DIRS = ("events", "home", "site")
TEMPLATE_DIR = ROOT / "templates"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def catalogue(language: str, domain: str = "django") -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))


def live(po: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in po if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"
    assert po.percent_translated() == 100
    assert not po.metadata_is_fuzzy


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder_and_plural_form(language):
    po = catalogue(language)
    assert po.metadata["Plural-Forms"].replace("\n", "") == PLURAL_FORMS[language]
    forms = int(PLURAL_FORMS[language].split("nplurals=")[1].split(";")[0])
    wrong = []
    for entry in live(po):
        if entry.msgid_plural:
            # A form may leave out the count ("the next day"), never add or lose a name.
            assert sorted(entry.msgstr_plural) == list(range(forms)), entry.msgid
            singular = set(PLACEHOLDER.findall(entry.msgid))
            either = singular | set(PLACEHOLDER.findall(entry.msgid_plural))
            for text in entry.msgstr_plural.values():
                found = set(PLACEHOLDER.findall(text))
                if not (singular - {"%(n)s", "%(counter)s"} <= found <= either):
                    wrong.append((entry.msgid, text))
        elif set(PLACEHOLDER.findall(entry.msgstr)) != set(PLACEHOLDER.findall(entry.msgid)):
            wrong.append((entry.msgid, entry.msgstr))
    assert not wrong, wrong


# --- The catalogues hold every marked string (so `make messages` was run) ---------------

GETTEXT_NAMES = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}


def python_files():
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts and "settings" not in path.parts:
                yield path


def marked_in_python(path: Path) -> set[tuple[str, str]]:
    """Give (context, msgid) for every gettext call with a literal string in a module."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in GETTEXT_NAMES or len(node.args) <= GETTEXT_NAMES[name]:
            continue
        context = ""
        if GETTEXT_NAMES[name]:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            context = first.value
        message = node.args[GETTEXT_NAMES[name]]
        if isinstance(message, ast.Constant) and isinstance(message.value, str):
            found.add((context, message.value))
    return found


def templates():
    return sorted(TEMPLATE_DIR.rglob("*.html")) + sorted(TEMPLATE_DIR.rglob("*.txt"))


# templatize() writes each marked string as a call: gettext(u'...'), ngettext(u'...', u'...', n)
STRING = r"u?'(?:[^'\\]|\\.)*'"
TEMPLATIZED_CALL = re.compile(
    rf"\b(gettext|pgettext|ngettext|npgettext)\(({STRING}(?:\s*,\s*{STRING})*)"
)


def marked_in_template(path: Path) -> set[tuple[str, str]]:
    """Give (context, msgid) of the {% translate %} and {% blocktranslate %} in a template."""
    code = templatize(path.read_text(), origin=str(path))
    found = set()
    for match in TEMPLATIZED_CALL.finditer(code):
        try:
            args = ast.literal_eval(f"({match.group(2)},)")
        except (SyntaxError, ValueError):
            continue
        if match.group(1) in ("pgettext", "npgettext"):
            found.add((args[0], args[1]))
        else:
            found.add(("", args[0]))
    return found


def test_every_marked_string_is_in_the_catalogues():
    """Fails when a new string was marked but `make messages` was not run since."""
    marked = set()
    for path in python_files():
        marked |= marked_in_python(path)
    for path in templates():
        marked |= marked_in_template(path)
    for language in LANGUAGES:
        held = {(e.msgctxt or "", e.msgid) for e in live(catalogue(language))}
        missing = sorted(marked - held)
        assert not missing, (
            f"Not in the {language} catalogue (run `make messages`, then translate them): "
            f"{missing[:20]}"
        )


# --- Nothing shown to people is left unmarked ---------------------------------------------

# Attributes people read (or hear, with a screen reader).
READ_ATTRIBUTES = re.compile(
    r"""\b(?:alt|title|placeholder|aria-label|aria-description|aria-roledescription)\s*=\s*"([^"]*)\"""",
    re.I,
)
TAG = re.compile(r"<[^>]*>", re.S)
HIDDEN_BLOCKS = re.compile(r"<(script|style)\b.*?</\1>|<!--.*?-->", re.S | re.I)
WORD = re.compile(r"[^\W\d_]{2,}")
MARK = "\x00"  # where a template variable or tag stood

# Text that is the same in every language, by template (a name, a unit, a symbol).
ALLOWED = {
    # Each language's word for "language" in that language, so anyone finds the switcher.
    "includes/language_switcher.html": {"Language", "Iaith", "Taal"},
    # Meeting-finder apps look for exactly this title (code4recovery Meeting Guide).
    "base.html": {"Meetings", "Feed"},
    # The addresses themselves, shown as code.
    "opendata/api_docs.html": {"api", "occurrences", "meetings", "json", "openreferral"},
    # File formats and the like.
    "*": {"CSV", "RSS", "Atom", "iCal", "QR", "BSL", "URL", "JSON", "PNG", "ics"},
}


def unmarked_text(path: Path) -> list[str]:
    """Give the words in a template that reach people without being marked for translation."""
    text_parts, skip, in_skipped_block = [], 0, False
    for token in Lexer(path.read_text()).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                skip += 1
            elif token.contents in ("block body_class", "block extra_head"):
                skip += 1  # CSS class names and <link>s, not words
                in_skipped_block = True
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                skip -= 1
            elif name == "endblock" and in_skipped_block:
                skip -= 1
                in_skipped_block = False
            text_parts.append(MARK)
        elif token.token_type == TokenType.TEXT and not skip:
            text_parts.append(token.contents)
        else:
            text_parts.append(MARK)
    html = HIDDEN_BLOCKS.sub(" ", "".join(text_parts))
    read = READ_ATTRIBUTES.findall(html) + TAG.sub(" ", html).split("\n")
    rel = str(path.relative_to(TEMPLATE_DIR))
    allowed = ALLOWED.get(rel, set()) | ALLOWED["*"]
    words = []
    for chunk in read:
        chunk = re.sub(r"&\w+;|&#\d+;", " ", chunk.replace(MARK, " "))
        words += [w for w in WORD.findall(chunk) if w not in allowed]
    return words


@pytest.mark.parametrize(
    "path", [p for p in templates() if "wagtailadmin" not in p.parts], ids=lambda p: p.name
)
def test_no_template_shows_unmarked_words(path):
    assert not unmarked_text(path), (
        f"{path.relative_to(ROOT)} shows words not marked for translation: wrap them in "
        f"{{% translate %}} or {{% blocktranslate %}}: {unmarked_text(path)[:10]}"
    )


# Python: the arguments that always reach people (form labels and help, model names,
# validation errors, messages) must be marked, never plain strings.
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
SHOWN_CALLS = {"ValidationError", "ScheduleError", "success", "error", "info", "warning"}


def unmarked_in_python(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        for keyword in node.keywords:
            value = keyword.value
            shown = keyword.arg in SHOWN_KEYWORDS and isinstance(value, ast.Constant)
            if shown and isinstance(value.value, str) and WORD.search(value.value):
                found.append(f"{path.name}:{node.lineno} {keyword.arg}={value.value!r}")
        if name in SHOWN_CALLS and node.args:
            first = node.args[0 if name in ("ValidationError", "ScheduleError") else -1]
            if isinstance(first, ast.Constant | ast.JoinedStr) and (
                not isinstance(first, ast.Constant) or isinstance(first.value, str)
            ):
                found.append(f"{path.name}:{node.lineno} {name}(...)")
    return found


def test_no_python_string_shown_to_people_is_unmarked():
    found = [line for path in python_files() for line in unmarked_in_python(path)]
    assert not found, "Mark these with gettext (or gettext_lazy):\n" + "\n".join(found)
