"""The transcript of records (relevé de notes) as a PDF."""

from __future__ import annotations

import base64
import re
import zlib
from typing import Any

import pytest
from django.test import Client

from cartable.core.models import AuditEntry
from cartable.records.models import Jury
from tests.personas import login
from tests.records.factories import JuryFactory, decide, graded, now_semester, registered_student

pytestmark = pytest.mark.django_db

_STRING = re.compile(rb"\((.*?)(?<!\\)\)\s*Tj", re.S)
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def pdf_text(pdf: bytes) -> str:
    """The text drawn on the pages (ReportLab: ASCII85 + Flate streams, WinAnsi strings)."""
    drawn = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        content = zlib.decompress(base64.a85decode(b"<~" + stream.strip(), adobe=True))
        for raw in _STRING.findall(content):
            unescaped = _ESCAPE.sub(
                lambda m: bytes([int(m.group(1), 8)]) if m.group(1)[:1].isdigit() else m.group(1),
                raw,
            )
            drawn.append(unescaped.decode("cp1252"))
    return "\n".join(drawn)


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", pdf))


@pytest.fixture
def student() -> Any:
    return registered_student(
        civil_first_name="Zoé", civil_last_name="Lefèvre", student_number="21004567"
    )


def my_pdf(student: Any) -> bytes:
    client = Client()
    client.force_login(student.user)
    response = client.get("/dossier/releve.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return bytes(response.content)


def test_the_transcript_is_a_pdf_with_the_students_name_and_number(student: Any) -> None:
    pdf = my_pdf(student)
    assert pdf.startswith(b"%PDF")
    assert pages(pdf) == 1
    text = pdf_text(pdf)
    assert "Zoé" in text
    assert "LEFÈVRE" in text
    assert "21004567" in text
    assert "Relevé de notes" in text


def test_the_transcript_writes_french_letters_such_as_oe(student: Any) -> None:
    year, _semester = now_semester()
    graded(student, "HE03", title="Histoire de l'œuvre d'art", year=year - 1, semester="A")
    assert "Histoire de l'œuvre d'art" in pdf_text(my_pdf(student))


def test_the_transcript_lists_semesters_with_grades_totals_and_published_decisions(
    student: Any,
) -> None:
    year, _semester = now_semester()
    graded(student, "LO41", grade="A", credits="6", year=year - 1, semester="A")
    graded(student, "MT44", grade="F", credits="6", year=year - 1, semester="A")
    jury = JuryFactory(year=year - 1, semester="A", status=Jury.Status.PUBLISHED)
    decide(jury, student, "warning")
    text = pdf_text(my_pdf(student))
    assert f"{year - 1}-{year} · Automne" in text
    assert "LO41" in text
    assert "MT44" in text
    assert "Total du semestre" in text
    assert "Poursuite avec avertissement" in text


def test_unpublished_grades_and_decisions_stay_out_of_the_transcript(student: Any) -> None:
    graded(student, "LO41", grade="A", published=False)
    jury = JuryFactory()
    decide(jury, student, "reorientation")
    text = pdf_text(my_pdf(student))
    assert "en attente" in text
    assert "Réorientation" not in text


def test_a_long_cursus_spreads_over_several_pages(student: Any) -> None:
    year, _semester = now_semester()
    for back in range(1, 5):
        for semester in ("A", "P"):
            for n in range(7):
                graded(student, f"U{back}{semester}{n}", year=year - back, semester=semester)
    assert pages(my_pdf(student)) > 1


def test_the_scolarite_downloads_a_students_transcript_and_it_is_journaled(
    student: Any, persona: Any
) -> None:
    client = login(Client(), persona("scolarite"))
    response = client.get(f"/dossier/etudiants/{student.uuid}/releve.pdf")
    assert "LEFÈVRE" in pdf_text(response.content)
    entry = AuditEntry.objects.get(action="records.transcript.download")
    assert (entry.subject_uuid, entry.kind) == (student.uuid, AuditEntry.Kind.EXPORT)


def test_a_teacher_cannot_download_a_students_transcript(student: Any, persona: Any) -> None:
    client = login(Client(), persona("teacher"))
    assert client.get(f"/dossier/etudiants/{student.uuid}/releve.pdf").status_code == 404
