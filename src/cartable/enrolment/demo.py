"""Demo enrolments: students of the demo campus enrolled in UEs of their programme.

Deterministic for a seed. Consenting students enrolled in the demo personas' UEs get a
generated portrait (initials on a coloured disc) so that the photo roster has photos."""

from __future__ import annotations

import io
import random
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile

from cartable.catalogue import api as catalogue
from cartable.referential import api as referential

from .models import Enrolment

UES_PER_STUDENT = 5
PHOTO_PERSONAS = ("resp-ue", "enseignant")
BATCH = 2000


@dataclass(frozen=True)
class Totals:
    enrolments: int
    students: int
    photos: int


def _related(field: str) -> Any:
    return Enrolment._meta.get_field(field).related_model


def _programme_of(contract: Any) -> str:
    if contract.population_code == "apprentice" and contract.programme:
        return f"FISA-{contract.programme}"
    return str(contract.programme)


def build_enrolments(*, seed: int) -> Totals:
    rng = random.Random(f"enrolment-{seed}")
    offers_by_programme = catalogue.published_offers_by_programme()
    seats: dict[uuid.UUID, int | None] = {
        o: capacity for offers in offers_by_programme.values() for o, capacity in offers
    }
    person_pk = dict(_related("student").objects.values_list("uuid", "pk"))
    offer_pk = dict(_related("offer").objects.values_list("uuid", "pk"))
    rows: list[Enrolment] = []
    students = 0
    for person_uuid, facts in sorted(
        referential.facts_for(None).items(), key=lambda kv: str(kv[0])
    ):
        registration = next((c for c in facts.contracts if c.kind == "registration"), None)
        if registration is None:
            continue
        candidates = offers_by_programme.get(_programme_of(registration), [])
        chosen = 0
        for offer_uuid, _capacity in rng.sample(candidates, len(candidates)):
            left = seats[offer_uuid]
            if left is not None and left <= 0:
                continue
            if left is not None:
                seats[offer_uuid] = left - 1
            rows.append(
                Enrolment(
                    student_id=person_pk[person_uuid],
                    offer_id=offer_pk[offer_uuid],
                    source=Enrolment.Source.DEMO,
                )
            )
            chosen += 1
            if chosen == UES_PER_STUDENT:
                break
        students += 1 if chosen else 0
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return Totals(enrolments=len(rows), students=students, photos=_portraits(rng))


def _portraits(rng: random.Random) -> int:
    """Portraits for consenting students enrolled in the demo personas' UEs."""
    person_model = _related("student")
    offers = [
        o.uuid
        for login in PHOTO_PERSONAS
        for uuid_ in [referential.person_uuid_for_login(login)]
        if uuid_ is not None
        for o in catalogue.offers_in_charge(uuid_)
    ]
    people = person_model.objects.filter(
        enrolments__offer__uuid__in=offers, photo_consent=True, photo=""
    ).distinct()
    count = 0
    for person in people.order_by("pk"):
        person.photo.save(f"{person.uuid}.png", ContentFile(_portrait(person, rng)), save=True)
        count += 1
    return count


def _portrait(person: Any, rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    colour = tuple(rng.randint(60, 170) for _ in range(3))
    image = Image.new("RGB", (96, 96), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, 95, 95), fill=colour)
    initials = f"{person.display_first_name[:1]}{person.display_last_name[:1]}".upper()
    draw.text((48, 48), initials, fill=(255, 255, 255), anchor="mm", font_size=36)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
