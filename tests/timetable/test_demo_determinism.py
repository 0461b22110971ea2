"""The same seed builds the same weekly templates and campaigns (UUIDs included); another
seed builds others."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from cartable.enrolment.models import Campaign, Enrolment, MandatoryUE, ProgrammeRule
from cartable.timetable.models import Activity, Group, Room, Slot, TeachingCalendar

TINY = 0.02


def digest() -> str:
    rows = [
        "|".join(map(str, row))
        for model, fields in (
            (TeachingCalendar, ("year", "semester", "first_monday", "teaching_weeks")),
            (Room, ("code", "campus__code", "capacity", "features")),
            (Activity, ("uuid", "offer__uuid", "semester", "kind")),
            (
                Group,
                ("uuid", "activity__uuid", "code", "capacity", "room__code", "teacher__login"),
            ),
            (Group, ("uuid", "parent__uuid")),
            (Slot, ("uuid", "group__uuid", "day", "start", "end", "weeks", "room__code")),
            (Campaign, ("uuid", "code", "population", "opens_at", "closes_at")),
            (ProgrammeRule, ("campaign__code", "programme", "min_credits", "max_ues")),
            (MandatoryUE, ("rule__campaign__code", "rule__programme", "ue_code")),
            (Enrolment, ("student__login", "offer__uuid", "campaign__code", "semester")),
        )
        for row in sorted(model.objects.values_list(*fields))
    ]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def build_in_fresh_database(seed: int) -> str:
    savepoint = transaction.savepoint()
    try:
        call_command("build_demo_campus", seed=seed, scale=TINY, stdout=io.StringIO())
        return digest()
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_timetable_and_campaigns() -> None:
    first = build_in_fresh_database(2026)
    assert build_in_fresh_database(2026) == first
    assert build_in_fresh_database(7) != first
