"""Screens of the weekly template (``/emploi-du-temps/``): the scolarité edits, the DSIN
administrators read. Calendars and rooms (:mod:`.calendars`, :mod:`.rooms`), the offers of a
semester (:mod:`.offers`), one offer's template (:mod:`.template`), import and export
(:mod:`.exchange`)."""
