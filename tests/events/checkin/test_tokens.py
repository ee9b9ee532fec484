"""Pass and poster tokens: signed, unforgeable, and read from whatever a scanner sends."""

import pytest

from events.checkin.tokens import (
    Kind,
    TokenError,
    claim_code,
    read_scanned,
    sign_pass,
    sign_poster,
    unsign_pass,
    unsign_poster,
)

PASS_ID = "q3Zb8o1x9gJ2tQ0wY4uR5A"
GOOD = sign_pass(PASS_ID)
POSTER = sign_poster(42)


def test_a_pass_token_is_the_id_and_a_signature_and_nothing_else():
    pass_id, signature = GOOD.split(":")
    assert pass_id == PASS_ID
    assert len(signature) >= 40
    assert unsign_pass(GOOD) == (PASS_ID, None)


@pytest.mark.parametrize(
    ("token", "error"),
    [
        (GOOD[:-1], TokenError.FORGED),  # truncated
        (GOOD[:-10], TokenError.FORGED),
        (GOOD[:-1] + ("A" if GOOD[-1] != "A" else "B"), TokenError.FORGED),  # one letter changed
        ("AAAAAAAAAAAAAAAAAAAAAA:" + GOOD.split(":")[1], TokenError.FORGED),  # another id
        (POSTER, TokenError.FORGED),  # a poster's signature is not a pass's
        (PASS_ID, TokenError.MALFORMED),  # no signature at all
        ("", TokenError.MALFORMED),
        ("' OR 1=1 --", TokenError.MALFORMED),
        ("x" * 2000, TokenError.MALFORMED),
        (GOOD + ":extra", TokenError.MALFORMED),
    ],
)
def test_bad_pass_tokens_are_refused_with_the_reason(token, error):
    assert unsign_pass(token) == (None, error)


@pytest.mark.parametrize(
    ("text", "kind", "value", "error"),
    [
        (f"https://city.example/pass/p/{GOOD}/", Kind.PASS, PASS_ID, None),
        (f"http://127.0.0.1:8000/pass/p/{GOOD}", Kind.PASS, PASS_ID, None),
        (f"  {GOOD}\n", Kind.PASS, PASS_ID, None),  # a USB scanner's Enter
        (f"https://city.example/pass/p/{GOOD.replace(':', '%3A')}/", Kind.PASS, PASS_ID, None),
        (f"https://city.example/pass/p/{GOOD[:-3]}/", Kind.PASS, None, TokenError.FORGED),
        (f"https://city.example/checkin/e/{POSTER}/", Kind.POSTER, "42", None),
        (POSTER, Kind.POSTER, "42", None),
        ("https://city.example/groups/lantern/", None, None, TokenError.MALFORMED),
        ("https://evil.example/something", None, None, TokenError.MALFORMED),
        ("", None, None, TokenError.MALFORMED),
        ("\ufffd\ufffd", Kind.PASS, None, TokenError.MALFORMED),
    ],
)
def test_read_scanned_understands_urls_and_bare_tokens(text, kind, value, error):
    scanned = read_scanned(text)
    assert (scanned.kind, scanned.value, scanned.error) == (kind, value, error)


def test_poster_tokens_round_trip_and_refuse_tampering():
    assert unsign_poster(POSTER) == 42
    assert unsign_poster(sign_poster(43)[:-1]) is None
    assert unsign_poster(POSTER.replace("42:", "43:")) is None
    assert unsign_poster(GOOD) is None


def test_claim_code_is_short_stable_and_not_in_the_token():
    code = claim_code(PASS_ID)
    assert len(code) == 8 and code.isalnum() and code == code.upper()
    assert claim_code(PASS_ID) == code
    assert claim_code("another-pass-id-000000") != code
    assert code not in GOOD.upper()
