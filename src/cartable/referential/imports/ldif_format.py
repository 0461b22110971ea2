"""LDIF exports of a SUPANN directory: ``supannEntite`` entries become structures,
``supannPerson``/``eduPerson`` entries become persons, their registrations
(``supannEtuInscription``) and their staff contract (``eduPersonAffiliation``).

Errors point at the line where the entry starts (its ``dn:`` line).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from ldif import LDIFParser

from . import fields as f
from . import rows as r
from . import supann
from .report import ErrorLog

Attributes = dict[str, list[str]]

PERSON_ATTRIBUTES = {
    "login": "uid",
    "eppn": "eduPersonPrincipalName",
    "civil_first_name": "givenName",
    "student_number": "supannEtuId",
    "staff_number": "supannEmpId",
    "ine": "supannCodeINE",
    "institutional_email": "mail",
    "personal_email": "supannMailPerso",
    "birth_date": "schacDateOfBirth",
    "red_list": "supannListeRouge",
}
STRUCTURE_LABELS = {
    "code": "supannCodeEntite",
    "name": "ou",
    "kind": "supannTypeEntite",
    "parent_code": "supannCodeEntiteParent",
}
YEAR = re.compile(r"\d{4}")
STUDENT_POPULATION = "student"


@dataclass
class _Reader:
    kind: str
    errors: ErrorLog
    today: date
    populations: Sequence[supann.PopulationInfo]
    batch: r.Batch = field(default_factory=r.Batch)

    def __post_init__(self) -> None:
        self.structure_specs = r.structure_specs()
        self.person_specs = r.person_specs(self.today, f.compact_date)
        self.contract_specs = r.contract_specs()

    @property
    def wants_structures(self) -> bool:
        return self.kind in ("structures", "all")

    @property
    def wants_persons(self) -> bool:
        return self.kind in ("persons", "all")

    @property
    def wants_contracts(self) -> bool:
        return self.kind in ("contracts", "all")


def split_entries(text: str) -> Iterator[tuple[int, list[str]]]:
    """Blocks of lines separated by blank lines, with the number of the block's first line
    that is not a comment (the ``dn:`` line)."""
    start: int | None = None
    lines: list[str] = []
    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        if not line:
            if start is not None:
                yield start, lines
            start, lines = None, []
            continue
        lines.append(line)
        if start is None and not line.startswith(("#", " ")):
            start = number
    if start is not None:
        yield start, lines


def read_entry(lines: list[str]) -> tuple[str | None, Attributes]:
    """Parse one block with the ``ldif`` package; attribute names are lower-cased."""
    parser = LDIFParser(io.BytesIO("\n".join(lines).encode("utf-8")))
    for dn, entry in parser.parse():
        attributes: Attributes = {}
        for name, values in entry.items():
            attributes.setdefault(name.lower(), []).extend(
                v if isinstance(v, str) else v.decode("utf-8", "replace") for v in values
            )
        return dn, attributes
    return None, {}


def first(attributes: Attributes, name: str) -> str | None:
    for value in attributes.get(name.lower(), ()):
        if value.strip():
            return value.strip()
    return None


def parse_ldif(
    kind: str,
    text: str,
    errors: ErrorLog,
    today: date,
    populations: Sequence[supann.PopulationInfo],
) -> r.Batch:
    reader = _Reader(kind, errors, today, populations)
    for start, lines in split_entries(text):
        try:
            dn, attributes = read_entry(lines)
        except ValueError as exc:
            reader.batch.rows_read += 1
            errors.add(
                start,
                "dn",
                lines[0],
                f"entrée LDIF illisible ({exc})",
                f"unreadable LDIF entry ({exc})",
            )
            continue
        if dn is None:
            continue
        _dispatch(reader, start, attributes)
    return reader.batch


def _dispatch(reader: _Reader, line: int, attributes: Attributes) -> None:
    classes = {value.lower() for value in attributes.get("objectclass", [])}
    if "supannentite" in classes:
        if reader.wants_structures:
            reader.batch.rows_read += 1
            _structure(reader, line, attributes)
    elif classes & {"supannperson", "eduperson"} and (
        reader.wants_persons or reader.wants_contracts
    ):
        reader.batch.rows_read += 1
        _person_and_contracts(reader, line, attributes)


def _structure(reader: _Reader, line: int, attributes: Attributes) -> None:
    labels = dict(STRUCTURE_LABELS)
    name = first(attributes, "ou")
    if name is None:
        name = first(attributes, "description")
        labels["name"] = "description"
    cells = {
        "code": first(attributes, "supannCodeEntite") or "",
        "name": name or "",
        "parent_code": first(attributes, "supannCodeEntiteParent") or "",
    }
    types = attributes.get("supanntypeentite", [])
    if types:
        cells["kind"] = supann.structure_kind(types) or types[0]
    row = r.structure_row(line, cells, reader.errors, reader.structure_specs, labels)
    if row is not None:
        reader.batch.structures.append(row)


def person_cells(attributes: Attributes) -> tuple[dict[str, str], dict[str, str]]:
    """The person's fields present in the entry, and the attribute each one came from."""
    cells: dict[str, str] = {}
    labels = dict(PERSON_ATTRIBUTES)
    for name, attribute in PERSON_ATTRIBUTES.items():
        value = first(attributes, attribute)
        if value is not None:
            cells[name] = value
    surname, birth_name = first(attributes, "sn"), first(attributes, "supannNomDeNaissance")
    labels["civil_last_name"] = "supannNomDeNaissance" if birth_name else "sn"
    labels["usage_last_name"] = "sn"
    if birth_name:
        cells["civil_last_name"] = birth_name
        cells["usage_last_name"] = surname if surname and surname != birth_name else ""
    elif surname:
        cells["civil_last_name"] = surname
    return cells, labels


def _person_key(cells: dict[str, str]) -> tuple[str, str] | None:
    for key in r.PERSON_KEYS:
        if cells.get(key):
            return key, cells[key]
    return None


def _person_and_contracts(reader: _Reader, line: int, attributes: Attributes) -> None:
    cells, labels = person_cells(attributes)
    key = _person_key(cells)
    if reader.wants_persons:
        row = r.person_row(line, cells, reader.errors, reader.person_specs, labels)
        if row is None:
            return
        reader.batch.persons.append(row)
        key = row.person_key
    if not reader.wants_contracts:
        return
    if key is None:
        reader.errors.about(
            line, "uid", "", ("identifiant de la personne absent", "person identifier missing")
        )
        return
    person_label = PERSON_ATTRIBUTES[key[0]]
    _registrations(reader, line, attributes, key, person_label)
    _staff_contract(reader, line, attributes, key, person_label)


def _affectation(attributes: Attributes) -> str | None:
    return first(attributes, "supannEntiteAffectationPrincipale") or first(
        attributes, "supannEntiteAffectation"
    )


def _add_contract(
    reader: _Reader,
    line: int,
    cells: dict[str, str],
    labels: dict[str, str],
    key: tuple[str, str],
) -> r.Row | None:
    cells["person_login"] = key[1]
    row = r.contract_row(
        line, cells, reader.errors, reader.contract_specs, labels, person_field=key[0]
    )
    if row is not None:
        reader.batch.contracts.append(row)
    return row


def _registration_cells(
    reader: _Reader, line: int, value: str, attributes: Attributes
) -> dict[str, str] | None:
    """The contract fields of one ``supannEtuInscription`` value (reference left out)."""
    label = "supannEtuInscription"
    parts = supann.parse_composite(value)
    if parts is None:
        reader.errors.about(
            line,
            label,
            value,
            (
                "inscription illisible (attendu [clé=valeur][clé=valeur]…)",
                "unreadable registration (expected [key=value][key=value]…)",
            ),
        )
        return None
    year = supann.without_namespace(parts.get("anneeinsc", ""))
    if not YEAR.fullmatch(year):
        reader.errors.about(
            line,
            label,
            value,
            (
                f"année d'inscription [anneeinsc=…] absente ou invalide {f.fr_quote(year)}",
                f"registration year [anneeinsc=…] missing or invalid {f.en_quote(year)}",
            ),
        )
        return None
    structure = supann.without_namespace(parts.get("affect", "")) or _affectation(attributes)
    if not structure:
        reader.errors.about(
            line,
            label,
            value,
            (
                "affectation absente ([affect=…] ou supannEntiteAffectationPrincipale)",
                "assignment missing ([affect=…] or supannEntiteAffectationPrincipale)",
            ),
        )
        return None
    cells = {
        "population": STUDENT_POPULATION,
        "structure": structure,
        "start_date": f"{year}-09-01",
        "end_date": f"{int(year) + 1}-08-31",
        "_year": year,
    }
    programme = parts.get("etape") or parts.get("diplome")
    if programme:
        cells["programme"] = supann.without_namespace(programme)
    if parts.get("cursusann"):
        cells["study_level"] = supann.without_namespace(parts["cursusann"])
    return cells


def _registrations(
    reader: _Reader,
    line: int,
    attributes: Attributes,
    key: tuple[str, str],
    person_label: str,
) -> None:
    """One registration (population ``student``) per ``supannEtuInscription`` value,
    referenced ``INS-<supannEtuId>-<year>`` (``-2``, ``-3``… for more in the same year),
    from 1 September of the year to 31 August of the next."""
    values = attributes.get("supannetuinscription", [])
    if not values:
        return
    student_id = first(attributes, "supannEtuId")
    if student_id is None:
        reader.errors.about(
            line,
            "supannEtuId",
            "",
            (
                "obligatoire pour une inscription (supannEtuInscription)",
                "required for a registration (supannEtuInscription)",
            ),
        )
        return
    per_year: dict[str, int] = {}
    for value in values:
        cells = _registration_cells(reader, line, value, attributes)
        if cells is None:
            continue
        year = cells.pop("_year")
        per_year[year] = per_year.get(year, 0) + 1
        suffix = f"-{per_year[year]}" if per_year[year] > 1 else ""
        cells["reference"] = f"INS-{student_id}-{year}{suffix}"
        labels = dict.fromkeys(r.CONTRACT_FIELDS, "supannEtuInscription")
        labels["person_login"] = person_label
        if "affect" not in (supann.parse_composite(value) or {}):
            labels["structure"] = "supannEntiteAffectationPrincipale"
        _add_contract(reader, line, cells, labels, key)


def _staff_contract(
    reader: _Reader,
    line: int,
    attributes: Attributes,
    key: tuple[str, str],
    person_label: str,
) -> None:
    """One contract for the staff affiliations, in the most specific population, referenced
    ``LDAP-<supannEmpId or uid>-<population>``. LDIF carries no dates: a new contract starts
    on the day of the import, with no end; an existing one keeps its dates."""
    affiliations = attributes.get("edupersonaffiliation", [])
    held = {a.strip().lower() for a in affiliations}
    if not held & supann.STAFF_AFFILIATIONS:
        return
    population = supann.best_population(held, reader.populations)
    if population is None:
        reader.errors.about(
            line,
            "eduPersonAffiliation",
            ", ".join(affiliations),
            (
                "aucune population ne correspond à ces affiliations "
                "(voir Population.eduperson_affiliations)",
                "no population matches these affiliations (see Population.eduperson_affiliations)",
            ),
        )
        return
    ident = first(attributes, "supannEmpId") or first(attributes, "uid")
    structure = _affectation(attributes)
    if ident is None or structure is None:
        missing = "supannEmpId" if ident is None else "supannEntiteAffectation"
        reader.errors.about(
            line,
            missing,
            "",
            ("obligatoire pour un contrat de personnel", "required for a staff contract"),
        )
        return
    cells = {
        "reference": f"LDAP-{ident}-{population.code}",
        "population": population.code,
        "structure": structure,
    }
    title = first(attributes, "title")
    if title:
        cells["job_title"] = title
    labels = {
        "reference": "supannEmpId",
        "person_login": person_label,
        "population": "eduPersonAffiliation",
        "structure": "supannEntiteAffectation",
        "job_title": "title",
    }
    row = _add_contract(reader, line, cells, labels, key)
    if row is not None:
        row.create_defaults = {"start_date": reader.today}
