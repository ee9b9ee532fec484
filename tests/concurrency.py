"""Running requests or service calls at the same moment, each in its own thread."""

import threading

from django.db import connection
from wagtail.models import Site

from home.models import CitySettings


def run_concurrently(jobs) -> list:
    """Run each job in its own thread, all released at once; give their answers in order.

    Each thread closes its own database connection when done. Any exception in a job fails
    the caller's test with that exception.
    """
    # What every request would otherwise make on first use (the city's settings, which every
    # page reads) is made here first, as a live site has it: SQLite's shared in-memory test
    # database refuses concurrent writes at once ("table is locked") rather than waiting.
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        CitySettings.for_site(site)
    barrier = threading.Barrier(len(jobs))
    answers, errors = [None] * len(jobs), []

    def run(index, job):
        try:
            barrier.wait(timeout=20)
            answers[index] = job()
        except Exception as error:  # noqa: BLE001  (raised below, in the caller's thread)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return answers
