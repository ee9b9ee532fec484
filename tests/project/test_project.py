"""The project starts from every entry point and refuses unsafe production settings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_dev_key_is_random_per_installation_and_kept_private(tmp_path):
    from site.settings.local_key import local_secret_key

    first = local_secret_key(tmp_path / ".secret_key")
    again = local_secret_key(tmp_path / ".secret_key")
    other = local_secret_key(tmp_path / "another-installation")
    assert first == again  # kept: sessions and passes survive a restart
    assert first != other
    assert len(first) >= 50
    assert (tmp_path / ".secret_key").stat().st_mode & 0o777 == 0o600


def test_a_key_file_readable_by_others_is_made_private(tmp_path):
    from site.settings.local_key import local_secret_key

    path = tmp_path / ".secret_key"
    path.write_text("k" * 60 + "\n")
    path.chmod(0o644)
    assert local_secret_key(path) == "k" * 60
    assert path.stat().st_mode & 0o777 == 0o600


def test_make_run_uses_its_own_key_so_a_published_one_forges_nothing(tmp_path):
    """A poster token signed with the key the repo once published is refused by `make run`."""
    from django.core import signing

    from events.checkin.tokens import POSTER_SALT

    forged = signing.Signer(key="dev-only-not-secret", salt=POSTER_SALT, algorithm="sha256")
    token = forged.sign("1")
    key_file = tmp_path / ".secret_key"
    code = (
        "import manage, django; django.setup(); from django.conf import settings; "
        "from events.checkin.tokens import unsign_poster; "
        f"print(settings.SECRET_KEY); print(unsign_poster({token!r}))"
    )
    env = {"DJANGO_SETTINGS_MODULE": "site.settings.dev", "SECRET_KEY_FILE": str(key_file)}
    result = run("-c", code, env=env)
    assert result.returncode == 0, result.stderr
    key, unsigned = result.stdout.split()
    assert key == key_file.read_text().strip()
    assert key != "dev-only-not-secret"
    assert unsigned == "None"


def test_the_local_key_file_is_never_committed():
    result = subprocess.run(
        ["git", "check-ignore", "-q", ".secret_key"], cwd=ROOT, capture_output=True
    )
    assert result.returncode == 0, ".secret_key must be in .gitignore"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    assert ".secret_key" not in tracked.stdout.split()


def _locked(name: str) -> dict[str, str]:
    """Give {package: version} of a lock file, checking every pin carries a hash."""
    text = (ROOT / name).read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        requirement, _sep, rest = line.partition(" ")
        package, _eq, version = requirement.partition("==")
        assert version, f"{name}: {requirement} is not pinned"
        assert "--hash=sha256:" in rest, f"{name}: {requirement} has no hash"
        pins[package.split("[")[0].lower()] = version
    return pins


def test_production_installs_only_what_production_runs():
    production = _locked("requirements.txt")
    tooling = {"pytest", "pytest-django", "ruff", "pip-audit", "playwright", "hypothesis"}
    tooling |= {"factory-boy", "wagtail-factories", "time-machine", "pyzbar", "uv"}
    assert not tooling & production.keys()
    direct = (ROOT / "requirements.in").read_text()
    for package in ("python-dateutil", "tzdata", "django", "wagtail"):
        assert f"\n{package}==" in direct.lower(), package
        assert package in production


def test_the_dev_lock_keeps_production_pins_and_adds_the_tools():
    production, dev = _locked("requirements.txt"), _locked("requirements-dev.txt")
    assert {k: dev.get(k) for k in production} == production
    assert {"pytest", "ruff", "pip-audit"} <= dev.keys()
    assert "uv" in _locked("requirements-uv.txt")
