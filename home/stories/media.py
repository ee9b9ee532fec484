"""Which short audio or video files a story may carry: pure checks, no ORM."""

AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "oga", "wav"}
VIDEO_EXTENSIONS = {"mp4", "webm", "ogv"}


def _container(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        return "mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm"
    if head[:4] == b"OggS":
        return "ogg"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


# The containers each extension may hold.
_ALLOWED = {
    "mp3": {"mp3"},
    "m4a": {"mp4"},
    "ogg": {"ogg"},
    "oga": {"ogg"},
    "wav": {"wav"},
    "mp4": {"mp4"},
    "webm": {"webm"},
    "ogv": {"ogg"},
}


def media_kind(filename: str, head: bytes) -> str | None:
    """Give "audio" or "video" when the name and the first bytes agree, else None."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in _ALLOWED or _container(head) not in _ALLOWED[extension]:
        return None
    return "audio" if extension in AUDIO_EXTENSIONS else "video"
