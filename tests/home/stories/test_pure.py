"""Pure helpers for stories: text cleaning, naming, media sniffing, tokens (no database)."""

import pytest

from home.stories.media import media_kind
from home.stories.naming import Naming, display_name
from home.stories.text import clean_plain_text, content_fingerprint, paragraph_html, paragraphs
from home.stories.tokens import hash_token, new_token


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Plain words", "Plain words"),
        ("  lots   of\tspace  ", "lots of space"),
        ("<b>bold</b> move", "bold move"),
        ("before<script>alert('x')</script>after", "beforeafter"),
        ("<SCRIPT type='text/javascript'>steal()</SCRIPT>ok", "ok"),
        ("<style>body{display:none}</style>shown", "shown"),
        ("<iframe src='//evil'></iframe>safe", "safe"),
        ("unclosed <script>alert(1)", "unclosed"),
        ("<img src=x onerror=alert(1)>text", "text"),
        ("line one\nline two", "line one line two"),
        ("nul\x00byte", "nulbyte"),
        ("", ""),
    ],
)
def test_clean_plain_text_single_line(raw, clean):
    assert clean_plain_text(raw) == clean


def test_clean_plain_text_keeps_paragraphs_when_multiline():
    raw = "First line\r\nstill first\r\n\r\n\r\n  Second <i>para</i>  \n\n\n"
    assert clean_plain_text(raw, multiline=True) == "First line\nstill first\n\nSecond para"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one", ["one"]),
        ("one\n\ntwo", ["one", "two"]),
        ("one\n  \n\ntwo\nthree", ["one", "two\nthree"]),
        ("", []),
    ],
)
def test_paragraphs_split_on_blank_lines(text, expected):
    assert paragraphs(text) == expected


def test_paragraph_html_escapes_what_is_left():
    assert paragraph_html("a < b & c\nnext") == "<p>a &lt; b &amp; c<br>next</p>"


@pytest.mark.parametrize(
    ("naming", "name", "shown"),
    [
        (Naming.FULL_NAME, "Marcus Bell", "Marcus Bell"),
        (Naming.FULL_NAME, "  Marcus   Bell ", "Marcus Bell"),
        (Naming.FIRST_NAME, "Marcus Bell", "Marcus"),
        (Naming.FIRST_NAME, "Aaron", "Aaron"),
        (Naming.PSEUDONYM, "Wren", "Wren (a chosen name)"),
        (Naming.ANONYMOUS, "Marcus Bell", "Anonymous"),
        (Naming.FULL_NAME, "", "Anonymous"),
    ],
)
def test_display_name_follows_the_tellers_choice(naming, name, shown):
    assert display_name(naming, name) == shown


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00"
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81"
OGG = b"OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
MP3_ID3 = b"ID3\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
MP3_FRAME = b"\xff\xfb\x90\x64\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
WAV = b"RIFF\x24\x08\x00\x00WAVEfmt "
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
HTML = b"<html><script>x"


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("clip.mp4", MP4, "video"),
        ("clip.MP4", MP4, "video"),
        ("voice.m4a", MP4, "audio"),
        ("clip.webm", WEBM, "video"),
        ("voice.ogg", OGG, "audio"),
        ("clip.ogv", OGG, "video"),
        ("voice.mp3", MP3_ID3, "audio"),
        ("voice.mp3", MP3_FRAME, "audio"),
        ("voice.wav", WAV, "audio"),
        ("photo.mp4", PNG, None),  # a picture renamed
        ("page.mp3", HTML, None),  # a web page renamed
        ("clip.webm", MP4, None),  # the wrong container
        ("script.exe", MP4, None),
        ("noextension", MP4, None),
        ("empty.mp4", b"", None),
    ],
)
def test_media_kind_needs_name_and_bytes_to_agree(name, head, kind):
    assert media_kind(name, head) == kind


def test_tokens_are_unguessable_and_stored_only_as_hashes():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    token = tokens.pop()
    assert len(token) >= 43
    assert hash_token(token) == hash_token(token)
    assert token not in hash_token(token)
    assert len(hash_token(token)) == 64


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("Title", "My story."), ("title", "my   story"), True),
        (("Title", "My story."), ("Title", "My story, again."), False),
        (("Title", "Story"), ("TitleStory", ""), False),
    ],
)
def test_content_fingerprint_ignores_case_spacing_and_punctuation(a, b, same):
    assert (content_fingerprint(*a) == content_fingerprint(*b)) is same
