"""Production settings with the door scan's floor (bench/checkin_floor.py) mounted first.

Only bench/bench_checkin.py uses this, so ours and the floor run in the same gunicorn: the
site's own requests pass the floor's middleware with one string comparison.
"""

from site.settings.production import *  # noqa: F403

MIDDLEWARE = ["checkin_floor.FloorMiddleware", *MIDDLEWARE]  # noqa: F405
