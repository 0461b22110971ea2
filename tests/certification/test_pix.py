"""PIX results: the CSV import (every bad line reported, atomic, idempotent) and the student's
digital competencies laid out on DigComp 2.2."""

from __future__ import annotations

import html as entities
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from cartable.certification import pix
from cartable.certification.models import Certification
from tests.factories import PersonFactory
from tests.personas import login

pytestmark = pytest.mark.django_db

GOOD = "numero_etudiant;date;score;1.1;3.4\n20260001;15/06/2026;512;4;5\n"


@pytest.fixture
def ada() -> Any:
    return PersonFactory(student_number="20260001")


def test_the_crosswalk_covers_the_16_pix_competences_and_the_21_digcomp_ones() -> None:
    assert len(pix.crcn_codes()) == 16
    areas = pix.digcomp_view({})
    assert sum(len(a.competences) for a in areas) == 21


def test_a_good_file_imports_once(ada: Any) -> None:
    report = pix.do_import_pix(GOOD, dry_run=False, acting_user=None)
    assert (report.created, report.errors) == (1, [])
    found = Certification.objects.get()
    assert (found.score, found.detail) == (512, {"1.1": 4, "3.4": 5})
    again = pix.do_import_pix(GOOD, dry_run=False, acting_user=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_dry_run_writes_nothing(ada: Any) -> None:
    assert pix.do_import_pix(GOOD, dry_run=True, acting_user=None).errors == []
    assert not Certification.objects.exists()


def test_every_bad_line_is_reported_and_nothing_is_written(ada: Any) -> None:
    text = (
        "numero_etudiant;date;score;1.1\n"
        "20260001;15/06/2026;512;4\n"
        "99999999;15/06/2026;400;2\n"
        "20260001;31/02/2026;2000;9\n"
    )
    report = pix.do_import_pix(text, dry_run=False, acting_user=None)
    assert {(e.line, e.field) for e in report.errors} == {
        (3, "numero_etudiant"),
        (4, "date"),
        (4, "score"),
        (4, "1.1"),
    }
    assert not Certification.objects.exists()


def test_an_unknown_column_is_refused() -> None:
    report = pix.do_import_pix("numero_etudiant;date;score;6.1\n", dry_run=True, acting_user=None)
    assert "6.1" in report.errors[0].message_fr


def test_the_command_fails_on_a_bad_file(tmp_path: Any) -> None:
    path = tmp_path / "pix.csv"
    path.write_text("numero_etudiant;date\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rien n'a été enregistré"):
        call_command("import_pix", str(path))


def test_the_scolarite_imports_from_the_screen(ada: Any, persona: Any) -> None:
    client = login(Client(), persona("scolarite"))
    upload = SimpleUploadedFile("pix.csv", GOOD.encode())
    response = client.post("/certification/pix/import/", {"file": upload})
    assert response.status_code == 200
    assert Certification.objects.count() == 1


def test_the_student_sees_their_pix_levels_on_digcomp(persona: Any) -> None:
    student = persona("student")
    student.person.student_number = "20260042"
    student.person.save()
    pix.do_import_pix(
        "numero_etudiant;date;score;3.4\n20260042;2026-06-15;512;5\n",
        dry_run=False,
        acting_user=None,
    )
    html = entities.unescape(
        login(Client(), student).get("/certification/mes-competences/").content.decode()
    )
    assert "Score PIX : <strong>512</strong>" in html
    assert "3.4 Programming — PIX 3.4 « Programmer » : niveau 5" in html
