from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import AuditEvent
from .permissions import CouncilReadOnlyPolicy
from .retention import RETENTION_HOOK, audit_retention
from .viewsets import AuditEventViewSet

register_permission_policy(AuditEvent, CouncilReadOnlyPolicy(AuditEvent))
hooks.register(RETENTION_HOOK, audit_retention)


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet("audit")
