"""Unique, realistic French identities for the demo campus: names (Faker ``fr_FR``, seeded),
logins, e-mails, INE and student or staff numbers, UUIDs and SSO accounts."""

from __future__ import annotations

import random
import re
import unicodedata
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from faker import Faker

from ..models import Person
from .tables import EMAIL_DOMAIN, PERSONAL_DOMAINS


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _slug(text: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z-]", "-", _ascii(text))).strip("-")


class Identities:
    """Unique, realistic identities: names, logins, e-mails, numbers, UUIDs, accounts."""

    def __init__(self, rng: random.Random, fake: Faker, day: date, taken: set[str]) -> None:
        self.rng, self.fake, self.day = rng, fake, day
        self.logins = set(taken)
        self.emails: set[str] = set()
        self.next_suffix: dict[str, int] = defaultdict(lambda: 2)
        self.student_seq = 0
        self.staff_seq = 0
        self.ine_offset = rng.randrange(10**9, 10**10)
        self.passwords = random.Random(rng.random())
        self.eppn_scope = str(settings.CARTABLE_EPPN_SCOPE)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _unique(self, base: str, taken: set[str], sep: str = "") -> str:
        value = base
        while value in taken:
            value = f"{base}{sep}{self.next_suffix[base]}"
            self.next_suffix[base] += 1
        taken.add(value)
        return value

    def person(
        self,
        *,
        age: tuple[int, int],
        female: bool | None = None,
        first: str = "",
        last: str = "",
        login: str = "",
        married_share: float = 0.0,
        personal_share: float = 0.5,
        photo_share: float = 0.5,
    ) -> tuple[Person, bool]:
        rng = self.rng
        female = rng.random() < 0.5 if female is None else female
        if not first:
            first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = last or self.fake.last_name()
        usage_last = self.fake.last_name() if female and rng.random() < married_share else ""
        usage_first = ""
        if rng.random() < 0.01:
            usage_first = self.fake.first_name_male() if female else self.fake.first_name_female()
        shown_first, shown_last = usage_first or first, usage_last or last
        base = (_ascii(shown_first)[:1] + re.sub(r"[^a-z]", "", _ascii(shown_last)))[:16]
        login = login or self._unique(base or "usager", self.logins)
        local = self._unique(f"{_slug(shown_first)}.{_slug(shown_last)}", self.emails)
        years = rng.randint(*age)
        birth = date(self.day.year - years, 1, 1) + timedelta(days=rng.randrange(365))
        personal = ""
        if rng.random() < personal_share:
            domain = rng.choice(PERSONAL_DOMAINS)
            personal = f"{_slug(shown_first)}.{_slug(shown_last)}{rng.randint(1, 99)}@{domain}"
        person = Person(
            uuid=self.uuid(),
            civil_last_name=last,
            civil_first_name=first,
            usage_last_name=usage_last,
            usage_first_name=usage_first,
            birth_date=birth,
            institutional_email=f"{local}@{EMAIL_DOMAIN}",
            personal_email=personal,
            login=login,
            eppn=f"{login}@{self.eppn_scope}",
            photo_consent=rng.random() < photo_share,
            red_list=rng.random() < 0.02,
        )
        suffix = "".join(self.passwords.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))
        person.user = get_user_model()(
            username=login,
            email=person.institutional_email,
            first_name=shown_first[:150],
            last_name=shown_last[:150],
            password=f"!{suffix}",  # unusable: these accounts sign in through SSO
        )
        return person, female

    def student_numbers(self, person: Person, entry_year: int) -> None:
        self.student_seq += 1
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        digits = (self.ine_offset + self.student_seq * 7919) % 10**10
        person.ine = f"{digits:010d}{self.rng.choice(letters)}"
        person.student_number = f"{entry_year % 100:02d}{self.student_seq:06d}"

    def staff_number(self, person: Person) -> str:
        self.staff_seq += 1
        person.staff_number = f"{100000 + self.staff_seq}"
        return person.staff_number
