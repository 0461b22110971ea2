"""Every interface string has its English translation (French is the source language)."""

from pathlib import Path

import polib
from django.conf import settings


def test_the_english_catalogue_is_complete_and_has_no_fuzzy_entry() -> None:
    catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / "en/LC_MESSAGES/django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and (e.fuzzy or not e.translated())]
    assert missing == []
    assert len(catalogue) > 100
