import pytest
from django.test import Client, override_settings

from tests.factories import StandardPageFactory


def test_home_page_shows_its_introduction_and_landmarks(client, home_page):
    html = client.get("/").content.decode()
    assert "Recovery is visible here." in html
    for landmark in ('<header class="site-header">', '<main id="main"', "<footer", "<nav"):
        assert landmark in html
    assert 'href="#main"' in html  # the skip link


def test_menu_lists_pages_marked_for_menus(client, home_page):
    StandardPageFactory(parent=home_page, title="About us", slug="about", show_in_menus=True)
    StandardPageFactory(parent=home_page, title="Hidden", slug="hidden", show_in_menus=False)
    html = client.get("/").content.decode()
    assert ">About us</a>" in html
    assert ">Hidden</a>" not in html


def test_unknown_url_gives_the_friendly_404(client, home_page):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Sorry, we can’t find that page" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.home.urls_that_fail")
def test_server_error_gives_the_friendly_500(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "It is not your fault" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/groups/"])
def test_pages_load_nothing_from_other_hosts(client, group_index, path):
    html = client.get(path).content.decode()
    assert "http://" not in html.replace("http://testserver", "")
    assert "https://" not in html
