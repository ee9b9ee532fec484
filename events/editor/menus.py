"""The editor's action menu: "Submit for approval" first for those who cannot publish."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.action_menu import SubmitForModerationMenuItem


class SubmitForApprovalMenuItem(SubmitForModerationMenuItem):
    label = _("Submit for approval")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page and page.pk else None
        if state and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = _("Send back for approval")
        else:
            context["label"] = self.label
        return context


def submit_first(menu_items, request, context):
    """For organisers (no Publish), make submitting the visible, default action."""
    names = [item.name for item in menu_items]
    if "action-publish" in names or "action-submit" not in names:
        return
    index = names.index("action-submit")
    menu_items.pop(index)
    menu_items.insert(0, SubmitForApprovalMenuItem())
