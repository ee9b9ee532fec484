"""Writing the audit log, and the only ways entries ever leave it."""

from django.db import models, transaction

from .models import AuditEvent


def target_label(target) -> tuple[str, str]:
    """Give (object type, object id) for a model instance, or ("", "") for none."""
    if target is None:
        return "", ""
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk)
    return str(target)[:100], ""


def audit_record(*, user, action: str, target=None, detail: str = "") -> AuditEvent:
    """Record that `user` did `action` (an AuditEvent.Action) to `target`; give the entry."""
    object_type, object_id = target_label(target)
    authenticated = bool(user and user.is_authenticated)
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:255],
    )


def _base(queryset) -> models.QuerySet:
    """The plain QuerySet under the append-only one: for retention and erasure only."""
    return models.QuerySet(model=queryset.model, query=queryset.query, using=queryset.db)


@transaction.atomic
def audit_forget_target(*, object_type: str, object_id) -> int:
    """Blank which object entries were about (a participant erased their record)."""
    entries = AuditEvent.objects.about(object_type, object_id)
    return _base(entries).update(object_id="", detail="(about a record since erased)")


@transaction.atomic
def audit_delete_older_than(*, cutoff) -> int:
    """Delete entries older than `cutoff` (the retention period); give how many."""
    deleted, _per_model = _base(AuditEvent.objects.older_than(cutoff)).delete()
    return deleted
