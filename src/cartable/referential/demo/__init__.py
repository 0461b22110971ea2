"""A deterministic demo campus shaped like UTBM: structures, populations, persons, contracts,
functions and groups.

``CampusBuilder(seed=2026, scale=1).steps()`` gives the named steps of the build; each step
writes its rows with ``bulk_create`` in batches and returns how many it wrote. The same seed,
scale and day give the same campus, names, logins, numbers and UUIDs included. The scale
multiplies students and staff (scale 1: 2,469 students and about 800 staff); the structure
tree stays the same.

Dates follow today's academic year (1 September → 31 August, from :func:`api.today`):
registrations of the year, former students whose registration ended last 31 August,
registrations and fixed-term contracts ending within weeks, staff whose contract ended.

The demo personas (:data:`PERSONAS`) are ordinary persons whose role comes, like everyone's,
from a contract in force and a function; they log in with :data:`DEMO_PASSWORD`, and the
privileged ones have a confirmed TOTP device whose key derives from the seed and the login.
"""

from .builder import CampusBuilder, academic_year, campus_exists, totals, totp_key
from .tables import DEMO_PASSWORD, PERSONAS, PROGRAMMES, STUDY_LEVELS, DemoPersona

__all__ = [
    "DEMO_PASSWORD",
    "PERSONAS",
    "PROGRAMMES",
    "STUDY_LEVELS",
    "CampusBuilder",
    "DemoPersona",
    "academic_year",
    "campus_exists",
    "totals",
    "totp_key",
]
