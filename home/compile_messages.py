"""Compile the translation catalogues (.po) into the files Django reads (.mo), with polib.

`make install` (and so `make run` and `make test`) runs this; the .mo files are made here,
never committed. polib writes them itself, so no system gettext tools are needed:
    python home/compile_messages.py            every catalogue under site/locale/
    python home/compile_messages.py FILE.po    that one
Only catalogues newer than their .mo are compiled again. It imports nothing from Django,
so it runs before the settings can be read.
"""

import sys
from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "site" / "locale"


def compile_catalogue(po_path: Path, *, force: bool = False) -> bool:
    """Write po_path's .mo beside it; give whether it was (re)written."""
    mo_path = po_path.with_suffix(".mo")
    if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return False
    # Fuzzy and untranslated entries are left out (polib writes translated ones only), as
    # gettext's msgfmt does: a guess is never shown.
    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
    return True


def compile_all(locale_dir: Path = LOCALE_DIR, *, force: bool = False) -> list[Path]:
    """Compile every catalogue under locale_dir; give those (re)written."""
    return [
        po
        for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))
        if compile_catalogue(po, force=force)
    ]


if __name__ == "__main__":
    paths = [Path(arg) for arg in sys.argv[1:]]
    done = [p for p in paths if compile_catalogue(p, force=True)] if paths else compile_all()
    for path in done:
        print(f"compiled {path.with_suffix('.mo')}")
