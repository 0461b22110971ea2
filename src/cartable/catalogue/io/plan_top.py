"""Planners of the tables offers depend on: categories, software, UEs and their past codes,
diplomas, programmes and their tracks."""

from __future__ import annotations

from typing import Any

from ..models import UE, Category, Diploma, Programme, Software, Track, UEAlias
from .planning import (
    UNKNOWN_IN_FILE,
    Planner,
    plan_children,
    plan_rows,
    set_plain,
    set_relation,
    unknown,
)
from .records import Batch, Record

IN_REFERENTIAL = ("dans le référentiel", "in the referential")
IMPORT_CASE_FIRST = (
    "importez d'abord le référentiel de compétences en CASE JSON",
    "import the competency framework first as CASE JSON",
)


def by_code(record: Record) -> str:
    return str(record.values["code"])


def plan_categories(planner: Planner, batch: Batch) -> None:
    def assign(category: Category, record: Record, changed: set[str]) -> None:
        set_plain(category, record, ("label", "label_en", "description", "position"), changed)

    plan_rows(
        planner,
        "categories",
        batch.table("categories"),
        planner.state.categories,
        lambda record: Category(code=record.values["code"]),
        assign,
        key=by_code,
    )


def plan_software(planner: Planner, batch: Batch) -> None:
    def assign(software: Software, record: Record, changed: set[str]) -> None:
        names = ("name", "publisher", "licence", "description", "url")
        set_plain(software, record, names, changed)

    plan_rows(
        planner,
        "software",
        batch.table("software"),
        planner.state.software,
        lambda record: Software(code=record.values["code"]),
        assign,
        key=by_code,
    )


def plan_ues(planner: Planner, batch: Batch) -> None:
    plan_rows(
        planner,
        "ues",
        batch.table("ues"),
        planner.state.ues,
        lambda record: UE(code=record.values["code"]),
        lambda ue, record, changed: None,
        key=by_code,
    )


def plan_aliases(planner: Planner, batch: Batch) -> None:
    """A past code belongs to one UE: a row may move it to another UE; the file gives the
    complete list of past codes of the UEs it lists (see :mod:`.records`)."""
    state = planner.state
    counts = planner.counts("aliases")
    changes = state.changes_of("aliases")
    stored_by_ue: dict[str, list[UEAlias]] = {}
    for alias in state.aliases.values():
        stored_by_ue.setdefault(alias.ue.code, []).append(alias)
    listed: set[str] = set()
    for record, (code,) in planner.unique(batch.table("aliases"), lambda r: (r.values["code"],)):
        listed.add(code)
        ue = state.ues.get(record.values["ue"])
        if ue is None:
            planner.error(record, "ue", record.values["ue"], unknown(("UE", "UE")))
            continue
        if code in state.ues:
            planner.error(
                record,
                "code",
                code,
                ("c'est le code actuel d'une UE", "this is the current code of a UE"),
            )
            continue
        stored_alias = state.aliases.get(code)
        changed: set[str] = set()
        if stored_alias is not None:
            alias = stored_alias
        else:
            alias = UEAlias(code=code, ue=ue)
            state.aliases[code] = alias
            changes.create.append(alias)
            counts.created += 1
        set_relation(alias, "ue", ue, changed)
        set_plain(alias, record, ("until_year",), changed)
        if alias.pk is None:
            continue
        if changed:
            changes.update.append((alias, frozenset(changed)))
            counts.updated += 1
        else:
            counts.unchanged += 1
    for (ue_code,) in planner.scopes("aliases"):
        for alias in stored_by_ue.get(ue_code, []):
            if alias.code not in listed:
                changes.delete.append(alias.pk)
                counts.deleted += 1
                del state.aliases[alias.code]


def plan_diplomas(planner: Planner, batch: Batch) -> None:
    state = planner.state

    def assign(diploma: Diploma, record: Record, changed: set[str]) -> None:
        set_plain(diploma, record, ("kind", "title", "title_en", "rncp_code"), changed)
        what = ("structure", "structure")
        target = planner.ref(record, "structure", state.structures, what, IN_REFERENTIAL)
        set_relation(diploma, "structure", target, changed)

    plan_rows(
        planner,
        "diplomas",
        batch.table("diplomas"),
        state.diplomas,
        lambda record: Diploma(code=record.values["code"]),
        assign,
        key=by_code,
    )


def plan_programmes(planner: Planner, batch: Batch) -> None:
    state = planner.state
    names = ("cycle", "title", "title_en", "description", "description_en")

    def assign(programme: Programme, record: Record, changed: set[str]) -> None:
        set_plain(programme, record, names, changed)
        refs: list[tuple[str, dict[str, Any], tuple[str, str], tuple[str, str]]] = [
            ("diploma", state.diplomas, ("diplôme", "diploma"), UNKNOWN_IN_FILE),
            ("campus", state.campuses, ("campus", "campus"), IN_REFERENTIAL),
            ("head", state.persons, ("personne (identifiant)", "person (login)"), IN_REFERENTIAL),
            ("framework", state.frameworks, ("référentiel", "framework"), IMPORT_CASE_FIRST),
        ]
        for name, known, what, where in refs:
            set_relation(programme, name, planner.ref(record, name, known, what, where), changed)

    plan_rows(
        planner,
        "programmes",
        batch.table("programmes"),
        state.programmes,
        lambda record: Programme(code=record.values["code"], year=record.values["year"]),
        assign,
    )


def plan_tracks(planner: Planner, batch: Batch) -> None:
    if not batch.present("tracks"):
        return
    state = planner.state
    programme_keys = state.programme_by_pk()
    stored: list[tuple[tuple[Any, ...], tuple[Any, ...] | None, Track]] = [
        (programme_keys[track.programme_id], (track.code,), track)
        for track in Track.objects.all()
        if track.programme_id in programme_keys
    ]

    def assign(track: Track, record: Record, changed: set[str]) -> None:
        set_plain(track, record, ("title", "title_en"), changed)

    plan_children(
        planner,
        "tracks",
        batch.table("tracks"),
        stored,
        state.programmes,
        lambda record: (record.values["code"],),
        lambda record, programme: Track(programme=programme, code=record.values["code"]),
        assign,
    )


def plan_references(planner: Planner, batch: Batch) -> None:
    plan_categories(planner, batch)
    plan_software(planner, batch)
    plan_ues(planner, batch)
    plan_aliases(planner, batch)
    plan_diplomas(planner, batch)
    plan_programmes(planner, batch)
    plan_tracks(planner, batch)
