"""1EdTech CASE 1.1 (Competencies and Academic Standards Exchange): a framework as a CFPackage,
and back.

Mapping (export; the import reads the same shape and accepts any CFPackage whose isChildOf
tree is at most three deep):

========================== =========================================================
Cartable                   CASE 1.1
========================== =========================================================
Framework                  CFDocument: identifier = uuid, title, creator (the
                           establishment when empty), description, version,
                           language "fr", lastChangeDateTime = last change, uri
                           (the stored one for an imported framework, else derived)
Block / Competency /       CFItem: identifier = uuid, humanCodingScheme = code,
LearningOutcome            fullStatement = title (an outcome's text), notes =
                           description, CFItemType "Bloc de compétences" /
                           "Compétence" / "Acquis d'apprentissage" (defined in
                           CFDefinitions.CFItemTypes), language "fr"
tree and order             CFAssociation isChildOf outcome → competency → block →
                           document, sequenceNumber = position (listEnumeration too)
proficiency scale          one CFRubric with one CFRubricCriterion whose
                           CFRubricCriterionLevels are the levels: identifier = uuid,
                           quality = label, description = descriptor, position =
                           score = rank
level of an outcome        CFAssociation hasSkillLevel outcome → criterion level
========================== =========================================================

English texts and codes CASE has no field for travel in CASE's own extension mechanism:
``extensions: {"cartable": {"code": …, "diplomaCode": …, "translations": {"en": {"title":
…}}}}`` on the document, ``{"translations": {"en": {"fullStatement": …}}}`` on items and
``[{"cartable": {"code": "N1", "translations": {"en": {"quality": …}}}}]`` on levels (the
schema makes a level's extensions a list). CASE 1.1 has no multilingual string; a second
document linked by isTranslationOf would double every item for consumers that ignore the
link, and ``alternativeLabel`` means "the institution's word for competency", not a
translation. Keys are CASE field names, so a consumer can map them back.

Identifiers of what Cartable does not store (associations, rubric, criterion, item types)
are UUID v5 derived from the framework's uuid: exporting twice gives the same package, and
importing one's own export changes nothing. URIs are ``<base><framework uuid>/`` for the
document and ``<base><framework uuid>/<identifier>/`` for the rest; both resolve to the CASE
JSON (``competencies:case_document`` and ``competencies:case_object``). ``<base>`` is
``settings.CARTABLE_CASE_BASE_URI`` when set, else ``https://<request host>/competences/case/``
(:func:`base_uri`).

The official JSON Schema (1EdTech, from 1EdTech/OpenCASE, Apache-2.0) is kept next to this
module; every package read is validated against it (Draft 2019-09, with format checks).
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from .common import base_uri, object_uri
from .export import build_package, export_package
from .parse import ParsedFramework, read_package
from .report import CaseImportReport, Counts, Issue, IssueLog
from .sync import apply, count, make_plan
from .validation import schema

__all__ = [
    "CaseImportReport",
    "Counts",
    "Issue",
    "IssueLog",
    "ParsedFramework",
    "base_uri",
    "build_package",
    "export_package",
    "find_object",
    "import_package",
    "object_uri",
    "schema",
]


def import_package(
    content: str | bytes | dict[str, Any],
    *,
    dry_run: bool,
    base_uri: str,
    code: str = "",
    diploma_code: str = "",
) -> CaseImportReport:
    """Check a CFPackage and, unless ``dry_run`` or an error was found, write it at once.

    ``code`` and ``diploma_code`` override what the package says (a package from elsewhere
    carries no Cartable code: one is made from its title). Every problem is reported; the
    write is all or nothing. Not audited: call :func:`cartable.competencies.actions.
    do_import_case`."""
    report = CaseImportReport(dry_run=dry_run)
    log = IssueLog()
    parsed = read_package(content, base_uri=base_uri, log=log)
    if parsed is not None:
        try:
            with transaction.atomic():
                plan = make_plan(parsed, code=code, diploma_code=diploma_code, log=log)
                count(plan, report)
                if not log.has_errors and not dry_run:
                    apply(plan)
                    report.committed = True
        except IntegrityError as exc:  # a concurrent write took a code or an identifier
            report.committed = False
            log.error(
                "$",
                str(parsed.uuid),
                "file",
                f"écriture refusée par la base, rien n'a été importé ({exc})",
                f"the database refused the write, nothing was imported ({exc})",
            )
    report.issues = log.items
    return report


def find_object(package: dict[str, Any], identifier: str) -> dict[str, Any] | None:
    """The object of a package whose identifier is ``identifier`` (for URI resolution)."""
    if package["CFDocument"]["identifier"] == identifier:
        return package["CFDocument"]
    candidates: list[dict[str, Any]] = [
        *package.get("CFItems", []),
        *package.get("CFAssociations", []),
        *package.get("CFDefinitions", {}).get("CFItemTypes", []),
    ]
    for rubric in package.get("CFRubrics", []):
        candidates.append(rubric)
        for criterion in rubric.get("CFRubricCriteria", []):
            candidates.append(criterion)
            candidates.extend(criterion.get("CFRubricCriterionLevels", []))
    return next((c for c in candidates if c.get("identifier") == identifier), None)
