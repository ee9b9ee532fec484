"""Image files as this site keeps them: no metadata, random names, private ones apart.

Phone photos carry the place they were taken (GPS), the owner's name and the camera in
their metadata, and Wagtail would keep each original under the uploader's own file name.
Every image is therefore re-encoded on upload, with nothing but its pixels, under a
random name. Pure functions: no ORM, no request.
"""

import io
import os
import re
import secrets

from PIL import Image as PillowImage
from PIL import ImageOps

# Files whose names start with this live outside the public media directory (see
# home/storage.py). Renditions keep the start of their original's name, so they follow.
PRIVATE_PREFIX = "private-"

_SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def is_private_name(name: str) -> bool:
    """Tell whether a stored file's name marks it private."""
    return os.path.basename(name).startswith(PRIVATE_PREFIX)


_RANDOM_NAME = re.compile(rf"^({PRIVATE_PREFIX})?[0-9a-f]{{24}}\.[a-z0-9]+$")


def is_random_name(name: str) -> bool:
    """Tell whether a stored original has a name this site gave it (so it was cleaned)."""
    return bool(_RANDOM_NAME.match(os.path.basename(name)))


def random_name(extension: str, *, private: bool = False) -> str:
    """Give a file name that says nothing about the file or who sent it."""
    stem = secrets.token_hex(12)
    return f"{PRIVATE_PREFIX if private else ''}{stem}.{extension.lower()}"


def image_without_metadata(data: bytes) -> tuple[bytes, str]:
    """Give the image's pixels re-encoded with no metadata, and the file extension to use.

    The camera's orientation is applied to the pixels first, so the photo still stands
    the right way up once its EXIF is gone. EXIF (GPS, names, camera), XMP, IPTC,
    comments, text chunks and colour profiles are all dropped.
    """
    with PillowImage.open(io.BytesIO(data)) as original:
        kind = original.format if original.format in _SAVE_OPTIONS else "PNG"
        upright = ImageOps.exif_transpose(original)
        # A fresh image holds the pixels only: nothing of `info` comes across.
        clean = PillowImage.frombytes(upright.mode, upright.size, upright.tobytes())
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
            if "transparency" in upright.info:
                clean.info["transparency"] = upright.info["transparency"]
        if kind == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
    out = io.BytesIO()
    options = dict(_SAVE_OPTIONS[kind])
    if kind == "PNG" and "transparency" in clean.info:
        options["transparency"] = clean.info["transparency"]
    clean.save(out, format=kind, **options)
    return out.getvalue(), _EXTENSIONS[kind]
