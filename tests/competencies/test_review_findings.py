"""Defects found in review of the competency frameworks: each test failed before its fix."""

from __future__ import annotations

import pytest

from cartable.competencies import case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content",
    [b'{"CFDocument": ' + b"9" * 5000 + b"}", b"[" * 100_000 + b"]" * 100_000],
    ids=["huge-number", "deep-nesting"],
)
def test_a_case_file_python_cannot_read_is_reported_not_crashed_on(content: bytes) -> None:
    report = case.import_package(content, dry_run=True, base_uri="https://cartable.example/")
    assert not report.ok
    assert report.errors[0].field == "file"
