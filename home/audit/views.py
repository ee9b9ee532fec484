"""Admin views that record in the audit log that someone opened personal data."""

from wagtail.snippets.views.snippets import EditView, InspectView

from .models import AuditEvent
from .services import audit_record


class AuditedViewMixin:
    audit_action = AuditEvent.Action.VIEW_CONTACT

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200 and getattr(self, "object", None) is not None:
            audit_record(user=request.user, action=self.audit_action, target=self.object)
        return response


class AuditedInspectView(AuditedViewMixin, InspectView):
    """A snippet's inspect view that logs who opened it (contact details are on it)."""


class AuditedEditView(AuditedViewMixin, EditView):
    """A snippet's edit view that logs who opened it (contact details are shown read-only)."""
