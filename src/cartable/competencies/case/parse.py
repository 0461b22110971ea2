"""Reading a CFPackage into Cartable's shape, without the database.

:func:`read_package` checks the JSON against the official CASE 1.1 schema, then turns the
isChildOf tree into blocks (depth 1), competencies (depth 2) and learning outcomes (depth 3),
the one CFRubric into the proficiency scale, and hasSkillLevel associations into the level of
an outcome. Everything Cartable cannot hold is reported: as an error when keeping the rest
would misrepresent the framework (a second parent, a fourth depth, several rubrics…), as a
warning when the information is merely not kept (exactMatchOf links, keywords, licences…).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ..models import Block, Competency, Framework, LearningOutcome
from .common import (
    ITEM_TYPES,
    KIND_AT_DEPTH,
    TYPE_TITLES,
    Kind,
    child_association_id,
    criterion_id,
    item_type_id,
    object_uri,
    parse_stamp,
    rubric_id,
    skill_level_association_id,
)
from .parsed import (
    NOT_KEPT,
    Checks,
    ParsedFramework,
    ParsedItem,
    english,
    foreign_extensions,
    is_english,
    limit,
    norm,
    own,
)
from .report import IssueLog
from .scale import ScaleReader
from .validation import check_schema, decode

DOCUMENT_KEPT = {
    "identifier",
    "uri",
    "caseVersion",
    "creator",
    "title",
    "lastChangeDateTime",
    "description",
    "language",
    "version",
    "extensions",
}
ITEM_KEPT = {
    "identifier",
    "uri",
    "fullStatement",
    "humanCodingScheme",
    "listEnumeration",
    "CFItemType",
    "CFItemTypeURI",
    "language",
    "lastChangeDateTime",
    "notes",
    "extensions",
}
ASSOCIATION_KEPT = {
    "identifier",
    "associationType",
    "sequenceNumber",
    "uri",
    "originNodeURI",
    "destinationNodeURI",
    "lastChangeDateTime",
}
__all__ = ["NOT_KEPT", "ParsedFramework", "read_package"]


class _Reader(Checks):
    """One reading of one package's document and tree."""

    def __init__(self, package: dict[str, Any], base_uri: str, log: IssueLog) -> None:
        super().__init__(log)
        self.package = package
        self.base = base_uri
        self.document: dict[str, Any] = package["CFDocument"]
        self.doc_id = norm(self.document["identifier"])
        self.language = str(self.document.get("language", "fr") or "fr")
        self.items: dict[str, tuple[int, dict[str, Any]]] = {}
        self.parent_of: dict[str, tuple[str, Any]] = {}
        self.level_of: dict[str, str] = {}
        self.level_ids: set[str] = set()

    # -- document -------------------------------------------------------------------------

    def framework(self) -> ParsedFramework | None:
        doc, ident = self.document, self.doc_id
        extra = sorted(set(doc) - DOCUMENT_KEPT)
        self.not_kept("CFDocument", ident, extra)
        self.not_kept("CFDocument.extensions", ident, foreign_extensions(doc.get("extensions", {})))
        ours = own(doc.get("extensions", {}))
        title, title_en = str(doc["title"]).strip(), english(doc.get("extensions"), "title")
        if not title:
            self.log.error("CFDocument", ident, "title", "intitulé vide", "empty title")
        if not title_en and is_english(self.language):
            title_en = title
        self._check_language("CFDocument", ident, self.language)
        changed_at = parse_stamp(str(doc["lastChangeDateTime"]))
        if changed_at is None:
            self.log.error(
                "CFDocument",
                ident,
                "lastChangeDateTime",
                "date et heure invalides (RFC 3339 attendu)",
                "invalid date-time (RFC 3339 expected)",
            )
        parsed = ParsedFramework(
            uuid=uuid.UUID(ident),
            uri=str(doc["uri"]),
            title=title,
            title_en=title_en,
            description=str(doc.get("description", "")),
            creator=str(doc["creator"]).strip(),
            version=str(doc.get("version", "")).strip(),
            code=str(ours.get("code", "") or ""),
            diploma_code=str(ours.get("diplomaCode", "") or ""),
            changed_at=changed_at or datetime.now().astimezone(),
        )
        if parsed.uri == object_uri(self.base, parsed.uuid):
            parsed.uri = ""
        for name, value in (
            ("title", parsed.title),
            ("creator", parsed.creator),
            ("version", parsed.version),
            ("uri", parsed.uri),
        ):
            self.too_long("CFDocument", ident, name, value, limit(Framework, name))
        self.too_long(
            "CFDocument.extensions", ident, "title", title_en, limit(Framework, "title_en")
        )
        return parsed

    def _check_language(self, path: str, ident: str, language: str) -> None:
        if language.lower().startswith("fr") or is_english(language):
            return
        self.log.warning(
            path,
            ident,
            "language",
            f"textes en « {language} » enregistrés comme intitulés français : à traduire",
            f"texts in '{language}' stored as the French titles: to be translated",
        )

    # -- items and associations -----------------------------------------------------------

    def index_items(self) -> None:
        taken = {self.doc_id: "CFDocument", **dict.fromkeys(self.level_ids, "CFRubrics")}
        for i, item in enumerate(self.package.get("CFItems", [])):
            ident = norm(item["identifier"])
            if ident in taken or ident in self.items:
                where = taken.get(ident) or f"CFItems[{self.items[ident][0]}]"
                self.log.error(
                    f"CFItems[{i}]",
                    ident,
                    "identifier",
                    f"identifiant déjà utilisé par {where}",
                    f"identifier already used by {where}",
                )
                continue
            self.items[ident] = (i, item)

    def associations(self) -> None:
        for j, row in enumerate(self.package.get("CFAssociations", [])):
            path = f"CFAssociations[{j}]"
            ident = norm(row["identifier"])
            kind = row["associationType"]
            origin = norm(row["originNodeURI"]["identifier"])
            target = norm(row["destinationNodeURI"]["identifier"])
            if kind == "isChildOf":
                self.not_kept(path, ident, sorted(set(row) - ASSOCIATION_KEPT))
                self._child_of(path, ident, origin, target, row.get("sequenceNumber"))
            elif kind == "hasSkillLevel" and origin in self.items and target in self.level_ids:
                self.not_kept(path, ident, sorted(set(row) - ASSOCIATION_KEPT))
                if origin in self.level_of:
                    self.log.error(
                        path,
                        ident,
                        "originNodeURI",
                        "l'élément a déjà un niveau : un acquis d'apprentissage n'en a qu'un",
                        "the item already has a level: a learning outcome has only one",
                    )
                self.level_of[origin] = target
            else:
                self.log.warning(
                    path,
                    ident,
                    "associationType",
                    f"association « {kind} » de {origin} vers {target} non conservée : "
                    "Cartable ne représente que l'arborescence (isChildOf) et le niveau d'un "
                    "acquis (hasSkillLevel)",
                    f"'{kind}' association from {origin} to {target} not kept: Cartable "
                    "represents only the tree (isChildOf) and an outcome's level "
                    "(hasSkillLevel)",
                )

    def _child_of(self, path: str, ident: str, origin: str, target: str, seq: Any) -> None:
        if origin not in self.items:
            self.log.error(
                path,
                ident,
                "originNodeURI",
                f"{origin} n'est pas un élément (CFItem) du paquet",
                f"{origin} is not an item (CFItem) of the package",
            )
        elif target != self.doc_id and target not in self.items:
            self.log.error(
                path,
                ident,
                "destinationNodeURI",
                f"parent {target} hors du paquet : l'arborescence doit y être complète",
                f"parent {target} outside the package: the tree must be complete in it",
            )
        elif origin in self.parent_of:
            self.log.error(
                path,
                ident,
                "originNodeURI",
                f"{origin} a déjà un parent ({self.parent_of[origin][0]}) : un référentiel "
                "Cartable est un arbre, un élément n'a qu'un parent",
                f"{origin} already has a parent ({self.parent_of[origin][0]}): a Cartable "
                "framework is a tree, an item has one parent",
            )
        else:
            self.parent_of[origin] = (target, seq)

    def depths(self) -> dict[str, int]:
        """Depth of each item under the document; items off the tree are reported."""
        depth: dict[str, int] = {}
        for ident in self.items:
            chain: list[str] = []
            current: str | None = ident
            while current is not None and current not in depth:
                if current == self.doc_id:
                    break
                if current in chain:
                    current = None
                    break
                chain.append(current)
                if current not in self.parent_of:
                    current = None
                    break
                current = self.parent_of[current][0]
            base = 0 if current == self.doc_id else depth.get(current or "", -1)
            for offset, node in enumerate(reversed(chain), start=1):
                depth[node] = -1 if base < 0 else base + offset
        for ident, value in depth.items():
            index = self.items[ident][0]
            if value < 0:
                self.log.error(
                    f"CFItems[{index}]",
                    ident,
                    "isChildOf",
                    "élément hors de l'arborescence du document (pas de parent, ou un cycle)",
                    "item outside the document's tree (no parent, or a cycle)",
                )
            elif value > len(KIND_AT_DEPTH):
                self.log.error(
                    f"CFItems[{index}]",
                    ident,
                    "isChildOf",
                    f"profondeur {value} : Cartable tient trois niveaux (blocs, compétences, "
                    "acquis d'apprentissage)",
                    f"depth {value}: Cartable holds three levels (blocks, competencies, "
                    "learning outcomes)",
                )
        return depth

    def item(self, ident: str, kind: Kind, position: int, parent_code: str) -> ParsedItem:
        index, row = self.items[ident]
        path = f"CFItems[{index}]"
        self.not_kept(path, ident, sorted(set(row) - ITEM_KEPT))
        self.not_kept(f"{path}.extensions", ident, foreign_extensions(row.get("extensions", {})))
        declared = row.get("CFItemType", "")
        if declared in TYPE_TITLES and TYPE_TITLES[declared] != kind:
            self.log.error(
                path,
                ident,
                "CFItemType",
                f"« {declared} » à la place d'un(e) « {ITEM_TYPES[kind][0]} » dans l'arborescence",
                f"'{declared}' where the tree has a '{ITEM_TYPES[kind][1]}'",
            )
        language = str(row.get("language", self.language) or self.language)
        self._check_language(path, ident, language)
        title = str(row["fullStatement"]).strip()
        title_en = english(row.get("extensions"), "fullStatement")
        if not title_en and is_english(language):
            title_en = title
        code = str(row.get("humanCodingScheme", "")).strip()
        if not code:
            code = f"{parent_code}.{position}" if parent_code else str(position)
            self.log.warning(
                path,
                ident,
                "humanCodingScheme",
                f"code absent : « {code} » attribué d'après la position",
                f"no code: '{code}' given from the position",
            )
        notes = str(row.get("notes", ""))
        if notes and kind == Kind.OUTCOME:
            self.not_kept(path, ident, ["notes"])
            notes = ""
        parent = self.parent_of[ident][0]
        item = ParsedItem(
            uuid=uuid.UUID(ident),
            kind=kind,
            code=code,
            title=title,
            title_en=title_en,
            description=notes,
            position=position,
            parent=None if parent == self.doc_id else uuid.UUID(parent),
            path=path,
            level=uuid.UUID(self.level_of[ident]) if ident in self.level_of else None,
        )
        self._check_item(item, ident)
        return item

    def _check_item(self, item: ParsedItem, ident: str) -> None:
        model: Any = {Kind.BLOCK: Block, Kind.COMPETENCY: Competency}.get(item.kind)
        if not item.title:
            self.log.error(item.path, ident, "fullStatement", "énoncé vide", "empty statement")
        code_limit = limit(model or LearningOutcome, "code")
        self.too_long(item.path, ident, "humanCodingScheme", item.code, code_limit)
        if model is not None:
            self.too_long(item.path, ident, "fullStatement", item.title, limit(model, "title"))
            self.too_long(item.path, ident, "extensions", item.title_en, limit(model, "title_en"))
        if item.level is not None and item.kind != Kind.OUTCOME:
            self.log.warning(
                item.path,
                ident,
                "hasSkillLevel",
                "niveau d'un élément qui n'est pas un acquis d'apprentissage : non conservé",
                "level of an item that is not a learning outcome: not kept",
            )
            item.level = None

    def _position(self, ident: str, index: int) -> int:
        seq = self.parent_of[ident][1]
        if isinstance(seq, int) and 0 <= seq <= 32767:
            return seq
        listed = str(self.items[ident][1].get("listEnumeration", ""))
        return int(listed) if listed.isdigit() and int(listed) <= 32767 else index

    def tree(self, depth: dict[str, int]) -> list[ParsedItem]:
        """Items parents first, siblings in order; codes unique among siblings."""
        children: dict[str, list[str]] = {}
        for ident, value in depth.items():
            if 1 <= value <= len(KIND_AT_DEPTH):
                children.setdefault(self.parent_of[ident][0], []).append(ident)
        parsed: list[ParsedItem] = []
        codes = {self.doc_id: ""}

        def walk(parent: str, level: int) -> None:
            siblings = sorted(
                children.get(parent, []),
                key=lambda i: (self._position(i, 0), self.items[i][0]),
            )
            taken: list[tuple[Any, str, str]] = []
            for index, ident in enumerate(siblings, start=1):
                item = self.item(
                    ident, KIND_AT_DEPTH[level], self._position(ident, index), codes[parent]
                )
                codes[ident] = item.code
                taken.append((item.code, item.path, ident))
                parsed.append(item)
                walk(ident, level + 1)
            self.unique(taken, "humanCodingScheme")

        walk(self.doc_id, 1)
        return parsed

    def item_uris(self, framework_uuid: uuid.UUID) -> None:
        differing = [
            ident
            for ident, (_i, row) in self.items.items()
            if row.get("uri") != object_uri(self.base, framework_uuid, uuid.UUID(ident))
        ]
        if differing:
            self.log.warning(
                "CFItems[*].uri",
                differing[0],
                "uri",
                f"{len(differing)} URI d'éléments non conservées : Cartable les dérive de "
                f"l'identifiant (« {object_uri(self.base, framework_uuid)}<identifiant>/ »)",
                f"{len(differing)} item URIs not kept: Cartable derives them from the identifier "
                f"('{object_uri(self.base, framework_uuid)}<identifier>/')",
            )

    def regenerated(self, framework_uuid: uuid.UUID) -> None:
        """What Cartable derives instead of storing: one warning per kind when the package
        says otherwise (association and rubric identifiers, items' last changes)."""
        expected = {
            "isChildOf": lambda o: child_association_id(framework_uuid, o),
            "hasSkillLevel": lambda o: skill_level_association_id(framework_uuid, o),
        }
        found: dict[str, list[str]] = {"identifier": [], "lastChangeDateTime": []}
        for row in self.package.get("CFAssociations", []):
            origin = norm(row["originNodeURI"]["identifier"])
            derive = expected.get(row["associationType"])
            if (
                derive
                and origin in self.items
                and norm(row["identifier"]) != str(derive(uuid.UUID(origin)))
            ):
                found["identifier"].append(norm(row["identifier"]))
        for rubric in self.package.get("CFRubrics", [])[:1]:
            if norm(rubric["identifier"]) != str(rubric_id(framework_uuid)):
                found["identifier"].append(norm(rubric["identifier"]))
            for criterion in rubric.get("CFRubricCriteria", [])[:1]:
                if norm(criterion["identifier"]) != str(criterion_id(framework_uuid)):
                    found["identifier"].append(norm(criterion["identifier"]))
        changed = self.document["lastChangeDateTime"]
        for ident, (_index, row) in self.items.items():
            if row.get("lastChangeDateTime") != changed:
                found["lastChangeDateTime"].append(ident)
        messages = {
            "identifier": (
                "identifiants d'associations ou de rubrique non conservés : Cartable les dérive "
                "de celui du référentiel",
                "identifiers of associations or of the rubric not kept: Cartable derives them "
                "from the framework's",
            ),
            "lastChangeDateTime": (
                "dates de dernière modification des éléments non conservées : seule celle du "
                "document l'est",
                "last change dates of items not kept: only the document's is",
            ),
        }
        for name, idents in found.items():
            if idents:
                fr, en = messages[name]
                self.log.warning("*", idents[0], name, f"{len(idents)} {fr}", f"{len(idents)} {en}")

    def definitions(self, framework_uuid: uuid.UUID) -> None:
        ours = {str(item_type_id(framework_uuid, kind)) for kind in Kind}
        definitions = self.package.get("CFDefinitions", {})
        for name, rows in definitions.items():
            if name == "extensions":
                self.not_kept("CFDefinitions", "", ["extensions"])
                continue
            for k, row in enumerate(rows):
                ident = norm(row.get("identifier", ""))
                if name == "CFItemTypes" and ident in ours:
                    continue
                self.log.warning(
                    f"CFDefinitions.{name}[{k}]",
                    ident,
                    name,
                    f"définition « {row.get('title', '')} » non conservée",
                    f"definition '{row.get('title', '')}' not kept",
                )


def read_package(
    content: str | bytes | dict[str, Any], *, base_uri: str, log: IssueLog
) -> ParsedFramework | None:
    """The framework a CFPackage describes, or None when it cannot be read at all.

    Errors and warnings go to ``log``; the caller must not write when it has errors."""
    package = decode(content, log)
    if package is None or not check_schema(package, log):
        return None
    reader = _Reader(package, base_uri, log)
    framework = reader.framework()
    if framework is None:
        return None
    if "extensions" in package:
        reader.not_kept("$", "", ["extensions"])
    framework.levels = ScaleReader(log).levels(package, framework.title)
    reader.level_ids = {str(lv.uuid) for lv in framework.levels}
    reader.index_items()
    reader.associations()
    framework.items = reader.tree(reader.depths())
    reader.item_uris(framework.uuid)
    reader.regenerated(framework.uuid)
    reader.definitions(framework.uuid)
    return framework
