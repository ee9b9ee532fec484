"""The door scanner's fast lane: a scan with a genuine scanner ticket skips the session layers."""

import time

from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from .permissions import SCANNER_TICKET_AGE, scanner_ticket_read, session_key_of
from .views.scanner import scan_json


class ScannerTicketMiddleware:
    """Answers a scan that carries a genuine scanner ticket straight from `scan_json`.

    The scan endpoint is the busiest URL on an event night, and a scan with the scanner page's
    ticket needs none of the layers after this one. The ticket (signed, short-lived, naming
    one organiser, one date and the session it was issued to) is the credential, so there is
    no session to load and no user to fetch: the session cookie is only compared with the
    ticket, and whether the organiser still may scan (active, tickets not revoked by logging
    out or leaving a group) is checked in the scan's own query. The ticket travels in a
    header that another site cannot make a browser send, so there is no cross-site request
    to forge. Everything else, a scan whose ticket is missing, expired, for another date or
    from another session included, goes through the whole stack. It sits after the security headers and before the session (see MIDDLEWARE
    in settings), and does the little the skipped layers would do for this answer.
    """

    # Tickets this process has found genuine, until they expire: a scanner sends the same
    # ticket with every scan, and checking its two signatures again each time was a tenth of
    # the scan's CPU. What a ticket says cannot change (it is signed); whether its organiser
    # may still scan is checked by every scan's own query, so keeping the answer loses nothing.
    KEEP_TICKETS = 1024

    def __init__(self, get_response):
        self.get_response = get_response
        self.genuine: dict[tuple, tuple] = {}
        # The scan URL's two fixed ends, from the URLconf: matching them is far cheaper than
        # resolving the path through every pattern of the site, on every scan. (A URLconf
        # without the scanner, as some tests use, has no fast lane.)
        try:
            head, _, tail = reverse("checkin:scan_json", args=[0]).rpartition("/0/")
        except NoReverseMatch:
            self.head = self.tail = None
        else:
            self.head, self.tail = head + "/", "/" + tail

    def _scan_date(self, path: str) -> int | None:
        """The date a scan URL names, or None for any other path."""
        if self.head is None:
            return None
        if path.startswith(self.head) and path.endswith(self.tail):
            middle = path[len(self.head) : len(path) - len(self.tail)]
            if middle.isascii() and middle.isdigit():
                return int(middle)
        return None

    def _read_ticket(self, ticket: str, pk: int, session_key):
        """`scanner_ticket_read`, answered from what this process found before while it holds."""
        key = (ticket, pk, session_key)
        found = self.genuine.get(key)
        if found is not None and time.time() <= found[1]:
            return found[0]
        held = scanner_ticket_read(ticket, pk, session_key=session_key)
        if held:
            if len(self.genuine) >= self.KEEP_TICKETS:
                self.genuine.clear()
            # A genuine ticket's middle field is the time it was signed (TimestampSigner).
            signed_at = signing.b62_decode(ticket.rsplit(":", 2)[1])
            self.genuine[key] = (held, signed_at + SCANNER_TICKET_AGE)
        return held

    def __call__(self, request):
        ticket = request.META.get("HTTP_X_SCANNER_TICKET")
        if ticket and request.method == "POST":
            pk = self._scan_date(request.path_info)
            held = pk is not None and self._read_ticket(ticket, pk, session_key_of(request))
            if held:
                # The view needs not read the ticket again.
                request.scanner_ticket = held
                # The organiser's language, as LocaleMiddleware (not reached) would choose it.
                language = translation.get_language_from_request(request)
                with translation.override(language):
                    response = scan_json(request, pk=pk)
                # What the skipped Locale, Common and XFrameOptions middleware would add.
                response.headers.setdefault("Content-Language", language)
                response.headers.setdefault("Content-Length", str(len(response.content)))
                response.headers.setdefault("X-Frame-Options", "DENY")
                return response
        return self.get_response(request)
