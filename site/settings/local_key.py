"""A secret key made once per installation, for `make run`: never one published in the repo.

Anyone who knows a site's SECRET_KEY can forge its door passes and scanner tickets, so even
the demo must not share one key between installations.
"""

import os
import secrets
import time
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """Give the key kept in `path`, making it the first time (random, readable by its owner only)."""
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process (runserver's reloader) made it first: read theirs
        else:
            with os.fdopen(fd, "w") as file:
                file.write(secrets.token_urlsafe(50) + "\n")
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a copy made with looser rights: only its owner may read a key
    for _attempt in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # the other process is still writing it
    raise RuntimeError(f"{path} is empty: delete it and start again to make a new key.")
