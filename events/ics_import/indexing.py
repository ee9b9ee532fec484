"""Search-index the drafts of one import once, together, rather than on each of their saves.

Wagtail's search index is kept up to date by a post_save handler, which for a new draft runs
twice (the page, then its revision) and on SQLite also re-weighs every title in the index
each time: most of an import's time. ``deferred_search_index()`` holds that handler back for
EventPages saved in this thread only (other requests index as before), and the import then
adds its pages in one ``add_bulk`` per search backend, which gives the same index.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models.signals import post_save
from modelsearch.backends import get_search_backends
from modelsearch.signal_handlers import post_save_signal_handler

from events.models import EventPage

_state = threading.local()
_install_lock = threading.Lock()
_installed = False


def _index_unless_deferred(sender, instance, **kwargs):
    if getattr(_state, "deferred", False):
        return
    post_save_signal_handler(instance=instance, **kwargs)


def _install() -> None:
    """Put our gate in front of the search handler for EventPage (once per process)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        if post_save.disconnect(post_save_signal_handler, sender=EventPage):
            post_save.connect(
                _index_unless_deferred,
                sender=EventPage,
                weak=False,
                dispatch_uid="ics_import_deferred_search_index",
            )
        _installed = True


@contextmanager
def deferred_search_index():
    """Within it, EventPages saved in this thread are not indexed; call `index_pages` after."""
    _install()
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = False


def index_pages(pages: list) -> None:
    """Add or update the pages in every search backend that updates on its own."""
    if pages:
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(EventPage, pages)
