"""PRIVACY.md lists every model field that holds personal data, and nothing that is gone."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from wagtail.models import Page

PRIVACY = Path(settings.BASE_DIR, "PRIVACY.md")
OUR_APPS = {"home", "events", "checkin", "stories", "audit", "insights", "introductions"}

# Field names that say "this identifies or describes a person", wherever they appear.
PERSONAL_NAME = re.compile(
    r"(^|_)(nickname|email|phone|teller|username|first_name|last_name|contact|consent|consented|ip|"
    r"address|roles)(_|$)"
)
# Where the field's meaning, not its name, makes it personal.
PERSONAL_BY_MEANING = {
    "events.EventProposal.name",
    "stories.StoryPage.body",
    "stories.StoryPage.summary",
    "stories.StoryMedia.file",
    "stories.StoryMedia.transcript",
    "stories.StorySubmission.photo",
    "audit.AuditEvent.object_id",
    "audit.AuditEvent.detail",
    "introductions.Introduction.chosen_name",
    "introductions.Introduction.note",
}
# Named like personal data, but not about a person.
NOT_PERSONAL = {
    "events.Venue.address_line_1",  # a venue's address
    "events.Venue.address_line_2",
    "home.CitySettings.crisis_line_phone",  # a public helpline's number
}
PEOPLE = ("auth.User", "checkin.Participant")


def is_personal(model, field) -> bool:
    label = f"{model._meta.label}.{field.name}"
    if label in NOT_PERSONAL:
        return False
    if label in PERSONAL_BY_MEANING or isinstance(field, models.EmailField):
        return True
    if field.is_relation and field.related_model and field.related_model._meta.label in PEOPLE:
        return not field.auto_created
    return bool(PERSONAL_NAME.search(field.name)) and not isinstance(field, models.BooleanField)


def personal_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        ours = model._meta.app_label in OUR_APPS or model._meta.label == "auth.User"
        if not ours or model._meta.proxy:
            continue
        for field in model._meta.get_fields():
            if not (field.concrete or field.many_to_many) or field.auto_created:
                continue
            if field.model is Page:
                continue  # Wagtail's own page fields (owner, who locked it): see PRIVACY.md
            if model._meta.label == "auth.User" and field.name in ("groups", "user_permissions"):
                continue
            if is_personal(model, field):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def listed() -> set[str]:
    return set(re.findall(r"^\| `([a-z]+\.[A-Za-z]+\.[a-z_0-9]+)`", PRIVACY.read_text(), re.M))


def test_every_personal_field_is_in_the_inventory():
    missing = sorted(personal_fields() - listed())
    assert not missing, (
        "These fields hold personal data but PRIVACY.md does not list them: add a row to its "
        f"data inventory (what, who sees it, how long): {missing}"
    )


def test_the_inventory_lists_only_fields_that_exist():
    stale = []
    for label in listed():
        app_label, model_name, field_name = label.split(".")
        model = apps.get_model(app_label, model_name)
        try:
            model._meta.get_field(field_name)
        except Exception:  # noqa: BLE001
            stale.append(label)
    assert not stale, f"PRIVACY.md lists fields that no longer exist: {stale}"


def test_no_model_keeps_an_ip_address():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.GenericIPAddressField), model
            assert not re.search(r"(^|_)ip(_|$)|ip_address", field.name), (model, field.name)


def test_the_privacy_notice_page_says_what_the_code_does():
    from home.demo.site import PRIVACY_BODY

    text = " ".join(str(value) for _kind, value in PRIVACY_BODY).lower()
    for promise in ("nickname", "ip address", "download", "delete", "months", "council"):
        assert promise in text, promise
