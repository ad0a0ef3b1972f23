"""A pseudo-language for finding text nobody marked for translation.

Every message of our catalog, and of Django's and the other installed apps' catalogs, is
"translated" into itself between ⟦ and ⟧. A page rendered in this language shows every
translated text wrapped; text outside the brackets was never translated, so it is either
data someone typed (names, notes, codes) or a string nobody marked.
"""

from __future__ import annotations

import re
from pathlib import Path

import django
import polib
from django.apps import apps
from django.conf import settings

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
OUR_CATALOG = Path(settings.BASE_DIR) / "locale" / "sq" / "LC_MESSAGES" / "django.po"


def wrap(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def _catalogs() -> list[Path]:
    """Our catalog, then one catalog of Django and of each installed app that has any."""
    found = [OUR_CATALOG]
    folders = [Path(django.__file__).parent / "conf" / "locale"]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    for folder in folders:
        if folder == Path(settings.BASE_DIR) / "locale" or not folder.is_dir():
            continue
        for language in ("en", "sq", "id"):
            po = folder / language / "LC_MESSAGES" / "django.po"
            if po.exists():
                found.append(po)
                break
    return found


def build(directory: Path) -> Path:
    """Write the pseudo-language's compiled catalog under `directory` (a LOCALE_PATHS entry)."""
    pseudo = polib.POFile()
    pseudo.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
    }
    seen = set()
    for path in _catalogs():
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if entry.obsolete or not entry.msgid or key in seen:
                continue
            seen.add(key)
            wrapped = polib.POEntry(msgid=entry.msgid, msgctxt=entry.msgctxt)
            if entry.msgid_plural:
                wrapped.msgid_plural = entry.msgid_plural
                wrapped.msgstr_plural = {0: wrap(entry.msgid), 1: wrap(entry.msgid_plural)}
            else:
                wrapped.msgstr = wrap(entry.msgid)
            pseudo.append(wrapped)
    target = directory / PSEUDO / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    pseudo.save_as_mofile(str(target / "django.mo"))
    return directory


_WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")


def untranslated(text: str) -> str:
    """What is left of a text once every translated part is taken out (innermost first, as
    a translated sentence may hold another translated text)."""
    while True:
        shorter = _WRAPPED.sub(" ", text)
        if shorter == text:
            return text
        text = shorter
