"""Declaring which fields of a model are personal data, and how long they are kept.

Every model of a Cartable app carries a ``personal_data`` class attribute. The RGPD
register and the retention jobs read these declarations; a system check fails when a
model has none.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PersonalData:
    """What a model holds about people.

    ``fields`` are the personal-data fields (empty when the model holds none);
    ``retention`` says how long they are kept and from when; ``purpose`` why.
    """

    fields: tuple[str, ...] = ()
    retention: str = ""
    purpose: str = ""
    subject_field: str = ""
    sensitive: tuple[str, ...] = field(default=())

    @classmethod
    def none(cls) -> PersonalData:
        return cls()

    @property
    def holds_personal_data(self) -> bool:
        return bool(self.fields)
