"""The organiser's side of the Wagtail admin: their home panel, the schedule preview and
the editor's small helpers (registered in ``events/wagtail_hooks.py``)."""
