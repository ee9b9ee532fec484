"""Security headers every response carries."""

from django.conf import settings


def build_csp(policy: dict[str, list[str]]) -> str:
    """Give a Content-Security-Policy header value from {directive: [sources]}."""
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy (never 'unsafe-inline') and Permissions-Policy.

    Wagtail 8's own admin still runs a few inline scripts and styles, so the
    staff-only /admin/ gets a policy that allows those, and still nothing from
    any other host; our own admin screens (STRICT_CSP_ADMIN_PATHS) keep the strict one.
    A view that needs a different policy (the embeddable widget may be framed)
    sets its own header; it is then left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = build_csp(settings.CONTENT_SECURITY_POLICY)
        self.admin_csp = build_csp(settings.ADMIN_CONTENT_SECURITY_POLICY)
        self.strict_admin_paths = tuple(settings.STRICT_CSP_ADMIN_PATHS)
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        admin = request.path.startswith("/admin/") and not request.path.startswith(
            self.strict_admin_paths
        )
        response.headers.setdefault(
            "Content-Security-Policy", self.admin_csp if admin else self.csp
        )
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
