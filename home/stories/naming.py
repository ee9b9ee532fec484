"""How a teller is named on their story: pure logic, no ORM."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Naming(models.TextChoices):
    FULL_NAME = "full_name", _("My full name")
    FIRST_NAME = "first_name", _("My first name only")
    PSEUDONYM = "pseudonym", _("A name I choose that is not my real one")
    ANONYMOUS = "anonymous", _("No name at all (anonymous)")


def display_name(naming: str, name: str) -> str:
    """Give the name shown with a story, following the teller's own choice."""
    name = " ".join((name or "").split())
    if naming == Naming.ANONYMOUS or not name:
        return str(_("Anonymous"))
    if naming == Naming.FIRST_NAME:
        return name.split(" ")[0]
    if naming == Naming.PSEUDONYM:
        return str(_("%(name)s (a chosen name)") % {"name": name})
    return name
