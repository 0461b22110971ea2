"""The import and export screen and the ``import_timetable`` command."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from cartable.timetable.models import Activity, Slot
from tests.timetable.factories import teaching_offer

pytestmark = pytest.mark.django_db

HEADER = "year;semester;ue_code;activity;group;capacity;day;start;end;weeks"


def content(year: int, end: str = "10:00") -> bytes:
    return f"{HEADER}\n{year};A;LO41;CM;CM1;60;lundi;08:00;{end};odd\n".encode()


def upload(data: bytes, **fields: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("semaine.csv", data, "text/csv"), **fields}


def test_a_dry_run_on_the_screen_then_its_confirmation_imports(client_as: Any) -> None:
    offer = teaching_offer()
    client = client_as("scolarite")
    checked = client.post("/emploi-du-temps/echanges/", upload(content(offer.year), dry_run="on"))
    assert checked.status_code == 200
    assert "Simulation réussie" in checked.content.decode()
    assert not Activity.objects.exists()
    token = checked.context["token"]
    confirmed = client.post("/emploi-du-temps/echanges/", {"token": token})
    assert "Import enregistré." in confirmed.content.decode()
    assert Slot.objects.get().weeks == "10101010010101010"


def test_the_screen_lists_every_bad_row_and_offers_no_confirmation(client_as: Any) -> None:
    offer = teaching_offer()
    response = client_as("scolarite").post(
        "/emploi-du-temps/echanges/", upload(content(offer.year, end="07:00"), dry_run="on")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "1 erreur : rien n'a été enregistré." in text
    assert "end : la fin (07:00) doit suivre le début (08:00)" in text
    assert 'name="token"' not in text


def test_the_dsin_exports_but_may_not_import(client_as: Any) -> None:
    offer = teaching_offer()
    client = client_as("dsin_admin")
    page = client.get("/emploi-du-temps/echanges/").content.decode()
    assert 'enctype="multipart/form-data"' not in page
    exported = client.get(f"/emploi-du-temps/echanges/export/?annee={offer.year}&semestre=A")
    assert exported.status_code == 200
    assert exported["Content-Disposition"].endswith(f'semaine-type-{offer.year}-A.csv"')
    refused = client.post("/emploi-du-temps/echanges/", upload(content(offer.year)))
    assert refused.status_code == 403


def test_the_command_checks_then_imports(tmp_path: Path) -> None:
    offer = teaching_offer()
    path = tmp_path / "semaine.csv"
    path.write_bytes(content(offer.year))
    out = io.StringIO()
    call_command("import_timetable", str(path), "--dry-run", stdout=out)
    assert "simulation" in out.getvalue()
    assert not Slot.objects.exists()
    call_command("import_timetable", str(path), stdout=out)
    assert "created: 3" in out.getvalue()
    assert Slot.objects.count() == 1


def test_the_command_fails_on_a_bad_file_and_writes_nothing(tmp_path: Path) -> None:
    offer = teaching_offer()
    path = tmp_path / "semaine.csv"
    path.write_bytes(content(offer.year, end="07:00"))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_timetable", str(path), stdout=io.StringIO(), stderr=err)
    assert "ligne/line 2 · end" in err.getvalue()
    assert not Activity.objects.exists()
