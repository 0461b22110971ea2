"""What other modules may ask of the records."""

from __future__ import annotations

import json
from typing import Any

from cartable.referential.data import PersonSummary

from . import queries


def dossier_export(student: PersonSummary) -> dict[str, Any]:
    """A person's Dossier étudiant as plain JSON values (for their own data export): the same
    content as the record API, published grades and decisions only."""
    from .api_views import StudentRecordSerializer

    data = StudentRecordSerializer(queries.dossier(student)).data
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded
