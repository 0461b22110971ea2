"""``manage.py import_referential``: summary, every error, exit status."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cartable.referential.models import Person

from .test_imports_support import DATA, base_referential, persons_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referential() -> None:
    base_referential()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_referential", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_csv_file_and_prints_the_counts() -> None:
    out, _err = run("persons", str(DATA / "persons.csv"))
    assert "created: 4" in out
    assert Person.objects.count() == 4


def test_the_command_takes_the_format_from_the_extension() -> None:
    out, _err = run("all", str(DATA / "referential.ldif"), "--dry-run")
    assert "all (ldif)" in out
    assert not Person.objects.exists()


def test_the_command_fails_and_prints_every_error(tmp_path: Path) -> None:
    bad = tmp_path / "persons.csv"
    bad.write_text(persons_csv("a;;;A;;;;;;;;;;", "b;;B;B;;;2001-13-01;;;;;;;"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 erreur"):
        call_command("import_referential", "persons", str(bad), stdout=StringIO(), stderr=err)
    assert "ligne/line 2 · civil_last_name" in err.getvalue()
    assert "ligne/line 3 · birth_date · « 2001-13-01 »" in err.getvalue()
    assert not Person.objects.exists()


def test_the_command_asks_for_the_format_when_the_extension_tells_nothing(tmp_path: Path) -> None:
    unknown = tmp_path / "export.dat"
    unknown.write_text("x", encoding="utf-8")
    with pytest.raises(CommandError, match="--format"):
        run("persons", str(unknown))
