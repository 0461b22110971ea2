"""``manage.py case_framework export|import``."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cartable.competencies.models import Framework
from tests.competencies.factories import sample_framework

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("case_framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_export_goes_to_standard_output() -> None:
    framework = sample_framework()
    out, _err = run("export", "ing-info", "--base-uri", "https://cartable.utbm.fr/competences/case")
    package = json.loads(out)
    assert package["CFDocument"]["identifier"] == str(framework.uuid)
    assert package["CFDocument"]["uri"].startswith("https://cartable.utbm.fr/competences/case/")


def test_the_export_goes_to_a_file(tmp_path: Path) -> None:
    sample_framework()
    target = tmp_path / "info.json"
    run("export", "ing-info", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["CFItems"]


def test_exporting_an_unknown_framework_fails() -> None:
    with pytest.raises(CommandError, match="unknown framework"):
        run("export", "nothing")


def test_a_dry_run_import_prints_the_counts_and_writes_nothing(tmp_path: Path) -> None:
    sample_framework()
    source = tmp_path / "info.json"
    run("export", "ing-info", "-o", str(source))
    Framework.objects.all().delete()
    out, _err = run("import", str(source), "--dry-run")
    assert "dry run" in out
    assert "competencies: créés/created 4" in out
    assert not Framework.objects.exists()


def test_the_import_writes_with_the_code_given(tmp_path: Path) -> None:
    sample_framework()
    source = tmp_path / "info.json"
    run("export", "ing-info", "-o", str(source))
    Framework.objects.all().delete()
    run("import", str(source), "--code", "info-2027", "--diploma", "ING-INFO")
    assert Framework.objects.get().code == "info-2027"


def test_a_bad_package_fails_and_prints_every_error(tmp_path: Path) -> None:
    source = tmp_path / "bad.json"
    source.write_text(json.dumps({"CFDocument": {"identifier": "x"}}), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("case_framework", "import", str(source), stdout=StringIO(), stderr=err)
    assert "CFDocument.identifier" in err.getvalue()
    assert "CFDocument · " in err.getvalue()  # the missing required fields
    assert not Framework.objects.exists()
