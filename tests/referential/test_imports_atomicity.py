"""A real run is one transaction, and its cost in queries does not grow with the file."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from cartable.core.models import AuditEntry
from cartable.referential.imports import run_import, service
from cartable.referential.imports.contracts import ContractPlan
from cartable.referential.models import Contract, Person, Structure

from .test_imports_support import base_referential, persons_csv, sample

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _referential() -> None:
    base_referential()


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(plan: ContractPlan) -> None:
        raise IntegrityError("simulated")

    monkeypatch.setattr(service, "apply_contracts", refuse)
    report = run_import(
        "all", sample("referential.ldif"), fmt="ldif", dry_run=False, acting_user=None
    )
    assert not report.committed
    assert [e.field for e in report.errors] == ["file"]
    assert not Person.objects.exists()
    assert not Structure.objects.filter(code="info").exists()
    assert not Contract.objects.exists()
    assert not AuditEntry.objects.filter(action="referential.import").exists()


def queries_for(rows: int, *, dry_run: bool) -> int:
    lines = [f"u{i};u{i}@utbm.fr;Nom;Prénom;;;;;;;;;;" for i in range(rows)]
    with CaptureQueriesContext(connection) as queries:
        run_import("persons", persons_csv(*lines), fmt="csv", dry_run=dry_run, acting_user=None)
    return len(queries)


@pytest.mark.parametrize("dry_run", [True, False])
def test_an_import_costs_the_same_queries_for_5_or_40_rows(dry_run: bool) -> None:
    small = queries_for(5, dry_run=dry_run)
    Person.objects.all().delete()
    assert queries_for(40, dry_run=dry_run) == small
