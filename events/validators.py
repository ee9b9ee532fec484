"""Validators for what organisers and the council type into forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The shape of every UK postcode, including GIR 0AA; the space is optional.
UK_POSTCODE_RE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$",
    re.IGNORECASE,
)


def normalise_postcode(value: str) -> str:
    """Give a postcode in capitals with one space before its last three characters."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def validate_uk_postcode(value: str) -> None:
    if not UK_POSTCODE_RE.match(normalise_postcode(value)):
        raise ValidationError(
            _("“%(value)s” is not a UK postcode. Please check it, for example “LS1 4AP”."),
            params={"value": value},
            code="invalid_postcode",
        )
