"""Introductions' retention step: notes go soon after the date, the link to the person with
the attendance period; what the introduction led to stays as numbers.

Registered before check-in's own step (wagtail_hooks.py, `order`), so the outcome is read
from the person's attendance before that attendance turns into counts.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from .models import Introduction
from .selectors import with_outcomes


def note_days() -> int:
    return getattr(settings, "INTRODUCTIONS_NOTE_DAYS", 14)


def notes_delete(*, before) -> int:
    """Empty the notes of introductions to dates that ended before `before`; give how many."""
    return Introduction.objects.filter(occurrence__end__lt=before).exclude(note="").update(note="")


@transaction.atomic
def introductions_unlink(*, past: Q) -> int:
    """Keep the outcome of the introductions `past` selects as numbers, and forget the person."""
    old = with_outcomes(Introduction.objects.filter(past, participant__isnull=False))
    unlinked = 0
    for row in old.only("pk", "came_back", "other_groups").iterator():
        Introduction.objects.filter(pk=row.pk).update(
            participant=None,
            chosen_name="",
            note="",
            came_back=row.came_back_now,
            other_groups=row.other_groups_now,
        )
        unlinked += 1
    return unlinked


def introductions_retention(policy) -> dict[str, int]:
    """Apply introductions' periods (a `RetentionPolicy`); give what was done."""
    return {
        "introduction_notes_deleted": notes_delete(before=policy.now - timedelta(days=note_days())),
        "introductions_unlinked": introductions_unlink(
            past=policy.past(
                "attendance_months",
                date_field="occurrence__start",
                page_path="occurrence__event__path",
            )
        ),
    }
