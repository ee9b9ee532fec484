"""The project starts from every entry point and refuses unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env=None):
    unwanted = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in unwanted}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "site.settings.production",
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "recovery.example.org",
    "DATABASE_URL": "sqlite:////tmp/irc-check.sqlite3",
}


def test_site_package_resolves_despite_stdlib_name():
    import site.settings.base  # noqa: F401  (would fail without manage.py's fix)

    result = run(
        "-c",
        "import manage, django; django.setup(); import site.urls, site.wsgi; print(site.__path__[0])",
        env={"DJANGO_SETTINGS_MODULE": "site.settings.dev"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("/site")


def test_production_refuses_to_start_without_its_secrets():
    env = dict(PRODUCTION, SECRET_KEY="")
    result = run("manage.py", "check", env=env)
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_deploy_check_is_clean_under_production_settings():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_gunicorn_config_makes_the_wsgi_app_importable():
    code = "import runpy; runpy.run_path('gunicorn.conf.py'); import site.wsgi; print(site.wsgi.application)"
    result = run("-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WSGIHandler" in result.stdout
