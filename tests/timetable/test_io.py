"""Import and export of weekly templates, one row per slot: a dry run reports every bad row
(line, field, value, reason in French and English), a real run writes everything or nothing,
and a second identical run changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cartable.core.models import AuditEntry
from cartable.timetable.io import export, run_import
from cartable.timetable.models import Activity, Group, Slot
from tests.catalogue.factories import OfferFactory, UEFactory
from tests.timetable.factories import ActivityFactory, GroupFactory, meets, teaching_offer

pytestmark = pytest.mark.django_db

HEADER = "year;semester;ue_code;activity;group;capacity;room;teacher;parent;day;start;end;weeks"


def csv_file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def lo41_rows(year: int) -> list[str]:
    return [
        f"{year};A;LO41;CM;CM1;60;B101;;;lundi;08:00;10:00;every",
        f"{year};A;LO41;TD;TD1;30;;td-lo41;;mardi;10:15;12:15;every",
        f"{year};A;LO41;TD;TD2;30;;;;mardi;13:30;15:30;1-4,10",
        f"{year};A;LO41;TP;TP1;15;;;TD1;jeudi;13:30;15:30;odd",
        f"{year};A;LO41;TP;TP2;15;;;TD1;jeudi;13:30;15:30;even",
        f"{year};A;LO41;TP;TP3;15;;;;;;;",
    ]


def imported(content: bytes, *, dry_run: bool = False, fmt: str = "csv") -> Any:
    return run_import(content, fmt=fmt, dry_run=dry_run, acting_user=None, filename="t.csv")


def test_a_dry_run_tells_what_would_be_created_and_writes_nothing() -> None:
    offer = teaching_offer()
    report = imported(csv_file(*lo41_rows(offer.year)), dry_run=True)
    assert report.ok
    assert not report.committed
    assert {n: c.created for n, c in report.tables} == {"activities": 3, "groups": 6, "slots": 5}
    assert not Activity.objects.exists()


def test_an_import_writes_the_template_with_its_patterns_teachers_and_attachments() -> None:
    offer = teaching_offer()
    report = imported(csv_file(*lo41_rows(offer.year)))
    assert report.committed
    td1 = Group.objects.get(code="TD1")
    assert td1.teacher is not None
    assert td1.teacher.login == "td-lo41"
    tp1, tp2 = Group.objects.filter(code__in=["TP1", "TP2"]).order_by("code")
    assert tp1.parent == td1
    assert Slot.objects.get(group=tp1).weeks == "10101010010101010"
    assert Slot.objects.get(group=tp2).weeks == "01010101001010101"
    assert Slot.objects.get(group__code="TD2").weeks == "11110000010000000"
    assert not Slot.objects.filter(group__code="TP3").exists()
    assert AuditEntry.objects.filter(action="timetable.import").count() == 1


def test_a_second_identical_import_changes_nothing() -> None:
    offer = teaching_offer()
    content = csv_file(*lo41_rows(offer.year))
    imported(content)
    again = imported(content)
    assert again.committed
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.unchanged == 3 + 6 + 5


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_an_export_imported_again_is_unchanged(fmt: str) -> None:
    offer = teaching_offer()
    imported(csv_file(*lo41_rows(offer.year)))
    result = export(fmt, offer.year, "A", acting_user=None)
    report = imported(result.content, fmt=fmt)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.deleted, report.unchanged) == (0, 0, 0, 14)


def test_an_export_writes_patterns_by_name() -> None:
    offer = teaching_offer()
    imported(csv_file(*lo41_rows(offer.year)))
    text = export("csv", offer.year, "A", acting_user=None).content.decode("utf-8-sig")
    assert f"{offer.year};A;LO41;TP;TP1;15;;;TD1;thursday;13:30;15:30;odd;" in text
    assert ";11110000010000000;" in text
    assert AuditEntry.objects.filter(action="timetable.export").count() == 1


def test_one_bad_row_refuses_the_whole_file() -> None:
    offer = teaching_offer()
    rows = [*lo41_rows(offer.year), f"{offer.year};A;LO41;TD;TD3;30;;;;lundi;8h;7h;every"]
    report = imported(csv_file(*rows))
    assert not report.committed
    assert [(e.line, e.field, e.value) for e in report.errors] == [(8, "end", "7h")]
    assert report.errors[0].message_fr == "end : la fin (07:00) doit suivre le début (08:00)"
    assert report.errors[0].message_en == "end: the end (07:00) must come after the start (08:00)"
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("{y};A;LO41;TD;TD1;30;;;;dimanche;08:00;10:00;every", "day", "jour inconnu"),
        ("{y};A;LO41;TD;TD1;30;;;;lundi;8h;10h;9", "weeks", "semaines sans cours"),
        ("{y};A;LO41;TD;TD1;30;;;;lundi;8h;10h;1,30", "weeks", "hors du calendrier"),
        ("{y};A;LO41;TD;TD1;30;Z9;;;lundi;8h;10h;every", "room", "salle inconnue"),
        ("{y};A;LO41;TD;TD1;30;;inconnu;;lundi;8h;10h;every", "teacher", "équipe pédagogique"),
        ("{y};A;XX99;TD;TD1;30;;;;lundi;8h;10h;every", "ue_code", "aucune offre publiée"),
        ("{y};P;LO41;TD;TD1;30;;;;lundi;8h;10h;every", "semester", "pas donnée à ce semestre"),
        ("{y};A;LO41;TD;TD1;-3;;;;lundi;8h;10h;every", "capacity", "nombre de places invalide"),
        ("{y};A;LO41;XX;TD1;30;;;;lundi;8h;10h;every", "activity", "type inconnu"),
        ("{y};A;LO41;TP;TP1;30;;;TD9;lundi;8h;10h;every", "parent", "aucun groupe"),
    ],
)
def test_a_bad_cell_is_reported_with_its_line_and_field(row: str, field: str, reason: str) -> None:
    offer = teaching_offer()
    report = imported(csv_file(row.format(y=offer.year)), dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(2, field)]
    assert reason in report.errors[0].message_fr
    assert report.errors[0].message_en


def test_rows_of_one_group_that_disagree_are_reported() -> None:
    offer = teaching_offer()
    report = imported(
        csv_file(
            f"{offer.year};A;LO41;TD;TD1;30;;;;lundi;08:00;10:00;every",
            f"{offer.year};A;LO41;TD;TD1;32;;;;mardi;08:00;10:00;every",
        )
    )
    assert [(e.line, e.field) for e in report.errors] == [(3, "capacity")]
    assert "diffère de la ligne 2" in report.errors[0].message_fr


def test_a_template_in_the_file_replaces_the_stored_one_and_others_stay() -> None:
    offer = teaching_offer()
    other = OfferFactory(ue=UEFactory(code="MT11"))
    kept = GroupFactory(activity=ActivityFactory(offer=other, kind="CM"), code="CM1")
    old = GroupFactory(activity=ActivityFactory(offer=offer, kind="PRJ"), code="P1")
    meets(old, 4, 8, 10)
    report = imported(csv_file(*lo41_rows(offer.year)))
    assert report.by_table["activities"].deleted == 1
    assert report.by_table["groups"].deleted == 1
    assert report.by_table["slots"].deleted == 1
    assert not Group.objects.filter(pk=old.pk).exists()
    assert Group.objects.filter(pk=kept.pk).exists()


def test_a_changed_slot_and_group_are_updated_in_place() -> None:
    offer = teaching_offer()
    imported(csv_file(*lo41_rows(offer.year)))
    slot = Slot.objects.get(group__code="TD1")
    rows = lo41_rows(offer.year)
    rows[1] = f"{offer.year};A;LO41;TD;TD1;28;B101;td-lo41;;mardi;10:15;12:15;odd"
    report = imported(csv_file(*rows))
    assert (report.created, report.updated, report.deleted) == (0, 2, 0)
    slot.refresh_from_db()
    assert slot.weeks == "10101010010101010"
    assert Group.objects.get(code="TD1").capacity == 28


def test_an_ambiguous_parent_is_named_with_its_kind() -> None:
    offer = teaching_offer()
    y = offer.year
    ambiguous = csv_file(
        f"{y};A;LO41;CM;G1;60;;;;lundi;8h;10h;every",
        f"{y};A;LO41;TD;G1;30;;;;mardi;8h;10h;every",
        f"{y};A;LO41;TP;TP1;15;;;G1;jeudi;8h;10h;every",
    )
    report = imported(ambiguous, dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(4, "parent")]
    named = ambiguous.replace(b";G1;jeudi", b";TD:G1;jeudi")
    assert imported(named).committed
    assert Group.objects.get(code="TP1").parent == Group.objects.get(activity__kind="TD")


def test_a_json_document_is_imported() -> None:
    offer = teaching_offer()
    document = {
        "rows": [
            {
                "year": offer.year,
                "semester": "A",
                "ue_code": "LO41",
                "activity": "CM",
                "group": "CM1",
                "capacity": 60,
                "day": "monday",
                "start": "08:00",
                "end": "10:00",
                "weeks": "every",
            },
            {"year": offer.year, "semester": "A", "ue_code": "LO41", "activity": "TD"},
        ]
    }
    report = imported(json.dumps(document).encode(), fmt="json")
    assert [(e.line, e.field) for e in report.errors] == [(2, "group"), (2, "capacity")]
    document["rows"].pop()
    assert imported(json.dumps(document).encode(), fmt="json").committed


def test_an_unknown_column_is_reported_on_the_header() -> None:
    report = imported(b"year;semester;ue_code;activity;group;capacity;salle\n")
    assert [(e.line, e.field) for e in report.errors] == [(1, "salle")]


def test_the_documented_sample_reads_without_a_format_error() -> None:
    from pathlib import Path

    from cartable.timetable.io.formats import read_csv
    from cartable.timetable.io.report import ErrorLog

    sample = Path(__file__).parents[2] / "docs/samples/timetable/semaine-type.csv"
    errors = ErrorLog()
    rows = read_csv(sample.read_bytes(), errors)
    assert len(errors) == 0
    assert len(rows) == 7
