"""From rows to the templates a file describes: every cell read by the parsers the screens
use (:mod:`cartable.timetable.values`, :mod:`cartable.timetable.weeks`), offers, teams,
rooms and calendars looked up in batches, and every problem logged with its line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TimetableOffer
from cartable.core.cells import Problem

from .. import values, weeks
from ..models import Room, TeachingCalendar
from .formats import Row
from .report import ErrorLog


@dataclass
class SlotSpec:
    line: int
    day: int
    start: time
    end: time
    weeks: str
    room: Room | None


@dataclass
class GroupSpec:
    line: int
    kind: str
    code: str
    capacity: int
    room: Room | None
    teacher: uuid.UUID | None
    parent_text: str
    parent: tuple[str, str] | None = None
    slots: dict[tuple[int, time], SlotSpec] = field(default_factory=dict)


@dataclass
class TemplateSpec:
    """The whole template of one offer in one semester, as the file gives it."""

    offer: TimetableOffer
    semester: str
    groups: dict[tuple[str, str], GroupSpec] = field(default_factory=dict)

    @property
    def key(self) -> tuple[uuid.UUID, str]:
        return (self.offer.uuid, self.semester)

    @property
    def kinds(self) -> list[str]:
        return sorted({kind for kind, _code in self.groups})


class Reader:
    """Reads the rows of one file into :class:`TemplateSpec` objects."""

    def __init__(self, rows: list[Row], errors: ErrorLog) -> None:
        self.rows, self.errors = rows, errors
        self.offers: dict[tuple[int, str], TimetableOffer | None] = {}
        self.teams: dict[uuid.UUID, dict[str, uuid.UUID]] = {}
        self.rooms: dict[str, Room] = {}
        self.calendars: dict[tuple[int, str], TeachingCalendar] = {}
        self.templates: dict[tuple[uuid.UUID, str], TemplateSpec] = {}

    def _cell(self, line: int, cells: dict[str, str], name: str, parser: Any) -> Any:
        raw = cells.get(name, "")
        try:
            return parser(raw)
        except Problem as problem:
            self.errors.about(line, name, raw, problem.reason)
            return None

    # --- lookups in batches -------------------------------------------------------------

    def _load(self) -> None:
        wanted: dict[int, set[str]] = {}
        rooms: set[str] = set()
        pairs: set[tuple[int, str]] = set()
        for _line, cells in self.rows:
            try:
                year = values.year(cells.get("year", ""))
                semester = values.semester(cells.get("semester", ""))
            except Problem:
                continue
            wanted.setdefault(year, set()).add(cells.get("ue_code", "").strip().upper())
            pairs.add((year, semester))
            rooms |= {cells.get("room", "").strip(), cells.get("slot_room", "").strip()}
        for year, codes in wanted.items():
            found = {o.ue_code: o for o in catalogue.timetable_offers(year, ue_codes=list(codes))}
            for code in codes:
                self.offers[(year, code)] = found.get(code) or (
                    catalogue.timetable_offer(code, year) if code else None
                )
        offers = {o.uuid for o in self.offers.values() if o is not None}
        for offer_uuid, members in catalogue.teaching_teams(list(offers)).items():
            self.teams[offer_uuid] = {m.login.lower(): m.person_uuid for m in members if m.login}
        self.rooms = {r.code: r for r in Room.objects.filter(code__in=rooms - {""})}
        for year, semester in pairs:
            calendar = TeachingCalendar.objects.filter(year=year, semester=semester).first()
            if calendar is not None:
                self.calendars[(year, semester)] = calendar

    # --- one row ------------------------------------------------------------------------

    def _offer(self, line: int, cells: dict[str, str], year: int, semester: str) -> Any:
        code = cells.get("ue_code", "").strip().upper()
        offer = self.offers.get((year, code))
        if not code:
            self.errors.about(line, "ue_code", "", ("valeur obligatoire", "value required"))
        elif offer is None:
            self.errors.about(
                line,
                "ue_code",
                cells.get("ue_code", ""),
                (
                    f"aucune offre publiée de cette UE pour {year}-{year + 1}",
                    f"no published offer of this UE for {year}-{year + 1}",
                ),
            )
        elif semester not in offer.semesters:
            self.errors.about(
                line,
                "semester",
                semester,
                (
                    f"{offer.ue_code} n'est pas donnée à ce semestre ({offer.semesters})",
                    f"{offer.ue_code} is not taught in this semester ({offer.semesters})",
                ),
            )
            return None
        return offer

    def _room(self, line: int, cells: dict[str, str], name: str) -> Room | None:
        code = cells.get(name, "").strip()
        if not code:
            return None
        room = self.rooms.get(code)
        if room is None:
            self.errors.about(line, name, code, ("salle inconnue", "unknown room"))
        return room

    def _teacher(self, line: int, cells: dict[str, str], offer: TimetableOffer) -> Any:
        login = cells.get("teacher", "").strip()
        if not login:
            return None
        found = self.teams.get(offer.uuid, {}).get(login.lower())
        if found is None:
            self.errors.about(
                line,
                "teacher",
                login,
                (
                    f"pas dans l'équipe pédagogique de {offer.ue_code} (identifiant de connexion "
                    "attendu)",
                    f"not in the teaching team of {offer.ue_code} (login expected)",
                ),
            )
        return found

    def _slot(
        self, line: int, cells: dict[str, str], calendar: TeachingCalendar | None
    ) -> SlotSpec | None:
        names = ("day", "start", "end", "weeks")
        if not any(cells.get(n, "").strip() for n in (*names, "slot_room")):
            return None
        day = self._cell(line, cells, "day", values.day)
        start = self._cell(line, cells, "start", values.clock)
        end = self._cell(line, cells, "end", values.clock)
        if start is not None and end is not None:
            try:
                values.after(start, end)
            except Problem as problem:
                self.errors.about(line, "end", cells.get("end", ""), problem.reason)
                end = None
        room = self._room(line, cells, "slot_room")
        if calendar is None:
            self.errors.about(
                line,
                "weeks",
                cells.get("weeks", ""),
                ("le semestre n'a pas de calendrier", "the semester has no calendar"),
            )
            return None
        found = self._cell(line, cells, "weeks", lambda w: weeks.parse(w, calendar.teaching_weeks))
        if None in (day, start, end, found):
            return None
        return SlotSpec(line, day, start, end, found, room)

    def _read(self, line: int, cells: dict[str, str]) -> None:
        count = len(self.errors)
        year = self._cell(line, cells, "year", values.year)
        semester = self._cell(line, cells, "semester", values.semester)
        kind = self._cell(line, cells, "activity", values.kind)
        code = self._cell(line, cells, "group", values.group_code)
        capacity = self._cell(line, cells, "capacity", values.capacity)
        if year is None or semester is None:
            return
        offer = self._offer(line, cells, year, semester)
        if offer is None:
            return
        room = self._room(line, cells, "room")
        teacher = self._teacher(line, cells, offer)
        slot = self._slot(line, cells, self.calendars.get((year, semester)))
        if len(self.errors) > count:
            return
        template = self.templates.setdefault((offer.uuid, semester), TemplateSpec(offer, semester))
        group = GroupSpec(
            line, kind, code, capacity, room, teacher, cells.get("parent", "").strip()
        )
        known = template.groups.setdefault((kind, code), group)
        if known is not group and not self._same_group(known, group, cells):
            return
        if slot is not None:
            self._add_slot(known, slot, cells)

    def _same_group(self, known: GroupSpec, group: GroupSpec, cells: dict[str, str]) -> bool:
        same = True
        for name, attribute in (
            ("capacity", "capacity"),
            ("room", "room"),
            ("teacher", "teacher"),
            ("parent", "parent_text"),
        ):
            if getattr(known, attribute) != getattr(group, attribute):
                self.errors.about(
                    group.line,
                    name,
                    cells.get(name, ""),
                    (
                        f"diffère de la ligne {known.line} pour le même groupe",
                        f"differs from line {known.line} for the same group",
                    ),
                )
                same = False
        return same

    def _add_slot(self, group: GroupSpec, slot: SlotSpec, cells: dict[str, str]) -> None:
        twin = group.slots.get((slot.day, slot.start))
        if twin is not None:
            self.errors.about(
                slot.line,
                "start",
                cells.get("start", ""),
                (
                    f"créneau en double avec la ligne {twin.line} (même groupe, jour et début)",
                    f"duplicate slot of line {twin.line} (same group, day and start)",
                ),
            )
            return
        for other in group.slots.values():
            if (
                other.day == slot.day
                and other.start < slot.end
                and slot.start < other.end
                and any(a == b == "1" for a, b in zip(other.weeks, slot.weeks, strict=False))
            ):
                self.errors.about(
                    slot.line,
                    "start",
                    cells.get("start", ""),
                    (
                        f"chevauche le créneau de la ligne {other.line} du même groupe",
                        f"overlaps the slot of line {other.line} of the same group",
                    ),
                )
                return
        group.slots[(slot.day, slot.start)] = slot

    # --- across rows --------------------------------------------------------------------

    def _parents(self, template: TemplateSpec) -> None:
        for group in template.groups.values():
            if not group.parent_text:
                continue
            text = group.parent_text
            kind, _sep, code = text.rpartition(":")
            candidates = [
                key
                for key in template.groups
                if key[1] == code and (not kind or key[0] == kind.strip().upper())
            ]
            candidates = [key for key in candidates if key[0] != group.kind]
            if len(candidates) != 1:
                reason = (
                    (
                        "plusieurs groupes portent ce code : écrivez TYPE:CODE (TD:TD1)",
                        "several groups have this code: write KIND:CODE (TD:TD1)",
                    )
                    if candidates
                    else (
                        "aucun groupe d'une autre activité de la même UE n'a ce code dans le "
                        "fichier",
                        "no group of another activity of the same UE has this code in the file",
                    )
                )
                self.errors.about(group.line, "parent", text, reason)
                continue
            group.parent = candidates[0]
        for key, group in template.groups.items():
            parent = template.groups.get(group.parent) if group.parent else None
            if parent is not None and parent.parent == key:
                self.errors.about(
                    group.line,
                    "parent",
                    group.parent_text,
                    (
                        "deux groupes rattachés l'un à l'autre",
                        "two groups attached to each other",
                    ),
                )

    def read(self) -> list[TemplateSpec]:
        self._load()
        for line, cells in self.rows:
            self._read(line, cells)
        for template in self.templates.values():
            self._parents(template)
        return list(self.templates.values())
