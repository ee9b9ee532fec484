"""A production install warns while its default Site still says localhost (home/checks.py)."""

import pytest
from django.core.checks import run_checks
from wagtail.models import Site


def _warnings(**kwargs):
    return [m for m in run_checks(**kwargs) if m.id == "home.W001"]


def test_deploy_check_warns_while_the_default_site_says_localhost(home_page):
    (warning,) = _warnings(include_deployment_checks=True, databases=["default"])
    assert "localhost" in warning.msg
    assert "Settings > Sites" in warning.hint


@pytest.mark.parametrize("hostname", ["127.0.0.1", "LOCALHOST"])
def test_deploy_check_warns_for_every_local_name(home_page, hostname):
    Site.objects.update(hostname=hostname)
    assert _warnings(include_deployment_checks=True, databases=["default"])


def test_deploy_check_is_quiet_once_the_site_has_its_public_name(home_page):
    Site.objects.update(hostname="recovery.northbridge.example", port=443)
    assert _warnings(include_deployment_checks=True, databases=["default"]) == []


def test_development_checks_do_not_ask(home_page):
    # `make check` (no --deploy) and checks without a database never read the Site.
    assert _warnings(databases=["default"]) == []
    assert _warnings(include_deployment_checks=True) == []
