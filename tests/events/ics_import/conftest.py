"""A real local web server for the fetcher's tests (allowed only when a setting says so)."""

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .sample import SAMPLE


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):  # noqa: N802 - the standard library's name
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body, delay = route
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """A server on 127.0.0.1: `web.route(path, status, headers, body, delay)`; `web.url(path)`."""
    handler = type("Handler", (_Handler,), {"routes": {}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    class Web:
        def route(self, path, status=200, headers=None, body=b"", delay=0.0):
            handler.routes[path] = (status, headers or {}, body, delay)

        def handler_class(self, cls):
            server.RequestHandlerClass = cls

        def url(self, path):
            return f"http://127.0.0.1:{server.server_port}{path}"

    web = Web()
    web.route("/cafe.ics", headers={"Content-Type": "text/calendar"}, body=SAMPLE)
    yield web
    server.shutdown()
    server.server_close()
