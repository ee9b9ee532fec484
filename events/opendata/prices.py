"""The amount in an organiser's cost text ("£3, or pay what you can"): pure, table-tested."""

from __future__ import annotations

import re
from decimal import Decimal

# The first amount written: "£3", "3.50", "£2,50" (a comma before two digits is decimal).
AMOUNT = re.compile(r"(\d+)(?:[.,](\d{2}))?(?!\d)")


def price_amount(cost: str) -> Decimal | None:
    """Give the first amount in `cost` as a Decimal with two places, or None if it has none."""
    found = AMOUNT.search(cost or "")
    if found is None:
        return None
    whole, pence = found.group(1), found.group(2) or "00"
    return Decimal(f"{whole}.{pence}")
