"""Choosing a language: the switcher, the cookie, the prefixed addresses and lang."""

import pytest

pytestmark = pytest.mark.django_db


def test_every_page_says_its_language_and_offers_the_others(client, home_page):
    for prefix, code in (("", "en-gb"), ("/cy", "cy"), ("/nl", "nl")):
        html = client.get(f"{prefix}/search/?q=run").content.decode()
        assert f'<html lang="{code}">' in html
        assert 'name="language"' in html and 'action="/language/"' in html
        for other in ("en-gb", "cy", "nl"):
            assert f'hreflang="{other}"' in html
    assert 'hreflang="nl" href="http://testserver/nl/search/?q=run"' in html


def test_switching_keeps_the_query_string_and_sets_only_the_language_cookie(client, home_page):
    response = client.post("/language/", {"language": "nl", "next": "/search/?q=run&page=2"})
    assert response.status_code == 302
    assert response["Location"] == "/nl/search/?q=run&page=2"
    assert set(response.cookies) == {"django_language"}
    assert response.cookies["django_language"].value == "nl"
    back = client.post("/language/", {"language": "en-gb", "next": "/nl/search/?q=run"})
    assert back["Location"] == "/search/?q=run"


def test_a_pass_answers_in_the_chosen_language(client, home_page):
    assert 'lang="en-gb"' in client.get("/pass/").content.decode()
    client.post("/language/", {"language": "cy", "next": "/pass/"})
    html = client.get("/pass/").content.decode()
    assert 'lang="cy"' in html and "Cael tocyn cofrestru" in html


def test_an_unknown_language_or_another_site_changes_nothing(client, home_page):
    response = client.post("/language/", {"language": "xx", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "django_language" not in response.cookies
    assert client.get("/language/").status_code == 405


def test_a_page_with_one_address_for_every_language_is_not_repeated_in_the_switcher(
    client, home_page
):
    html = client.get("/pass/").content.decode()
    assert 'name="language"' in html  # the switcher is there
    assert 'name="next"' not in html and "hreflang=" not in html  # the address is not
    back = client.post("/language/", {"language": "cy"}, HTTP_REFERER="http://testserver/pass/")
    assert back["Location"] == "/pass/"
    away = client.post("/language/", {"language": "cy"}, HTTP_REFERER="https://evil.example/x")
    assert away["Location"] == "/cy/"  # the home page, in the language chosen
