"""The demo weekly templates: semester calendars of the demo catalogue years, rooms on each
campus, and for every published offer its activities, groups and slots.

Derived from each offer's hours and group counts: a two-hour CM every week (two when its
hours call for it), TD groups likewise, TP groups on alternating weeks (two TP groups share a
slot, one on odd weeks, one on even weeks) unless their hours fill every week; some TP groups
are attached to a TD group. Slots sit on a grid of five two-hour periods a day, Monday to
Friday.

Feasible by construction: inside an offer, the activities never share a period, so every
group of every UE can be taken. Across UEs, each slot goes where the programmes of the offer
are least busy (a CM weighs on the whole programme, a group on its share of it), so that the
UEs of a programme semester are spread over the week and a student can put several of them
together. Deterministic for a seed (UUIDs included); rows written with ``bulk_create``."""

from __future__ import annotations

import math
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal

from cartable.catalogue import api as catalogue
from cartable.catalogue.data import TeamMember, TimetableOffer
from cartable.core.calendar import academic_year

from . import rules
from .actions import related
from .data import WeekPattern
from .models import (
    Activity,
    CampusTravel,
    Group,
    Room,
    Semester,
    Slot,
    TeacherUnavailability,
    TeachingCalendar,
)

BATCH = 2000
DAYS = 5
PERIODS = (
    (time(8, 0), time(10, 0)),
    (time(10, 15), time(12, 15)),
    (time(13, 30), time(15, 30)),
    (time(15, 45), time(17, 45)),
    (time(18, 0), time(20, 0)),
)
EVENING = len(PERIODS) - 1
BLOCKS = [(day, period) for day in range(DAYS) for period in range(len(PERIODS))]
#: A semester: 17 calendar weeks, 16 of classes, a holiday week in the middle.
TEACHING_WEEKS = "11111111" + "0" + "11111111"
WEEKS_PER_SEMESTER = TEACHING_WEEKS.count("1")
CAMPUS_PREFIX = {"belfort": "BEL", "sevenans": "SEV", "montbeliard": "MTB"}
#: Lab features, read from an offer's room needs (catalogue demo wording), in this order.
LAB_FEATURES = (
    ("réseau", "reseaux"),
    ("graphique", "info-gpu"),
    ("informatique", "info"),
    ("cao", "cao"),
    ("simulation", "info"),
    ("physique", "tp-physique"),
    ("électronique", "tp-elec"),
    ("énergie", "energie"),
    ("atelier de fabrication", "atelier"),
    ("design", "design"),
    ("langues", "langues"),
)
DEFAULT_LAB = "info"
AMPHI_FEATURES = "videoprojecteur, sonorisation"
#: Weight of a slot on the programmes of its offer: a CM is attended by everyone.
CM_WEIGHT, EVENING_PENALTY, SAME_ACTIVITY_PENALTY = 1.0, 0.35, 0.6


@dataclass(frozen=True)
class Totals:
    calendars: int
    rooms: int
    activities: int
    groups: int
    slots: int


def first_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7)


def semester_start(year: int, semester: str) -> date:
    """Autumn: the first Monday of September; spring: the first Monday of February."""
    return first_monday(date(year, 9, 1) if semester == Semester.AUTUMN else date(year + 1, 2, 1))


def lab_feature(room_needs: str) -> str:
    text = room_needs.lower()
    return next((feature for word, feature in LAB_FEATURES if word in text), DEFAULT_LAB)


def slots_per_week(hours: Decimal) -> int:
    return min(2, max(1, round(float(hours) / (2 * WEEKS_PER_SEMESTER))))


def totals() -> dict[str, int]:
    return {
        "semester calendars": TeachingCalendar.objects.count(),
        "rooms": Room.objects.count(),
        "timetable activities": Activity.objects.count(),
        "timetable groups": Group.objects.count(),
        "timetable slots": Slot.objects.count(),
    }


# --- rooms ---------------------------------------------------------------------------------


@dataclass
class RoomPool:
    """Rooms of the demo and when each is taken (per calendar, per grid cell, week masks)."""

    rooms: dict[tuple[str, str], list[Room]] = field(default_factory=dict)
    busy: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def take(
        self, campus: str, kind: str, capacity: int, block: tuple[int, int], weeks: int
    ) -> Room | None:
        """The smallest free room holding ``capacity``, else the largest free one."""
        busy = self.busy
        largest: Room | None = None
        for room in self.rooms.get((campus, kind)) or ():  # by increasing capacity
            if busy.get((room.code, *block), 0) & weeks:
                continue
            largest = room
            if room.capacity >= capacity:
                break
        if largest is not None:
            key = (largest.code, *block)
            busy[key] = busy.get(key, 0) | weeks
        return largest

    def clear(self) -> None:
        self.busy.clear()


def _room_needs(semesters: list[list[TimetableOffer]]) -> dict[tuple[str, str], int]:
    """How many grid cells each campus needs per week, by kind of room, in its busiest
    semester."""
    needs: dict[tuple[str, str], int] = {}
    for offers in semesters:
        found: dict[tuple[str, str], float] = defaultdict(float)
        for offer in offers:
            campus = offer.campus_code or "belfort"
            if offer.hours_cm:
                found[(campus, "amphi")] += max(1, offer.groups_cm) * slots_per_week(offer.hours_cm)
            if offer.hours_td:
                found[(campus, "td")] += max(1, offer.groups_td) * slots_per_week(offer.hours_td)
            if offer.hours_tp:
                found[(campus, lab_feature(offer.room_needs))] += max(1, offer.groups_tp) / 2
        for key, value in found.items():
            needs[key] = max(needs.get(key, 0), math.ceil(value))
    return needs


RoomSpec = tuple[str, str, int, str]


def _room_spec(prefix: str, kind: str, number: int, rng: random.Random) -> RoomSpec:
    """Code, name, capacity and features of a demo room."""
    if kind == "amphi":
        capacity = rng.choice((150, 180, 200, 250))
        return f"{prefix}-A{number}", f"Amphithéâtre {prefix} {number}", capacity, AMPHI_FEATURES
    if kind == "td":
        code = f"{prefix}-S{100 + number}"
        return code, f"Salle {code}", rng.choice((36, 40, 40, 48)), "videoprojecteur"
    code = f"{prefix}-{kind.upper()}{number}"
    return code, f"Salle de TP {kind} {code}", rng.choice((16, 20, 24, 30)), kind


def build_rooms(semesters: list[list[TimetableOffer]], rng: random.Random) -> RoomPool:
    """Amphitheatres, TD rooms and labs on each campus, enough for the busiest semester
    (a room is used in about two thirds of the week's cells)."""
    campus_pks = dict(related(Room, "campus").objects.values_list("code", "pk"))
    needs = _room_needs(semesters)
    usable = len(BLOCKS) * 2 // 3
    rows: list[Room] = []
    pool = RoomPool()
    for campus in sorted(campus_pks):
        prefix = CAMPUS_PREFIX.get(campus, campus[:3].upper())
        kinds = {"amphi": 2, "td": 4}
        kinds.update({kind: 1 for place, kind in needs if place == campus and kind not in kinds})
        for kind, minimum in sorted(kinds.items()):
            count = max(minimum, math.ceil(needs.get((campus, kind), 0) / usable))
            for number in range(1, count + 1):
                code, name, capacity, features = _room_spec(prefix, kind, number, rng)
                room = Room(
                    code=code,
                    name=name,
                    campus_id=campus_pks[campus],
                    capacity=capacity,
                    features=features,
                )
                rows.append(room)
                pool.rooms.setdefault((campus, kind), []).append(room)
    Room.objects.bulk_create(rows, batch_size=BATCH)
    for found in pool.rooms.values():
        found.sort(key=lambda r: (r.capacity, r.code))
    return pool


# --- one semester --------------------------------------------------------------------------


@dataclass
class Planned:
    """What a semester's build writes, in order."""

    activities: list[Activity] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    attached: list[Group] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


class SemesterPlanner:
    """Places the groups of every offer of one semester of one catalogue year."""

    def __init__(
        self,
        *,
        year: int,
        semester: str,
        rng: random.Random,
        rooms: RoomPool,
        teams: dict[uuid.UUID, list[TeamMember]],
        teacher_pks: dict[uuid.UUID, int],
        offer_pks: dict[uuid.UUID, int],
    ) -> None:
        self.year, self.semester, self.rng = year, semester, rng
        self.rooms, self.teams = rooms, teams
        self.teacher_pks, self.offer_pks = teacher_pks, offer_pks
        self.load: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(BLOCKS))
        self.teacher_busy: dict[tuple[int, int], int] = {}
        self.every = rules.mask(TEACHING_WEEKS)
        self.odd = rules.weeks_of_pattern(TEACHING_WEEKS, WeekPattern.ODD)
        self.even = rules.weeks_of_pattern(TEACHING_WEEKS, WeekPattern.EVEN)
        self.planned = Planned()
        self.base = [EVENING_PENALTY if period == EVENING else 0.0 for _day, period in BLOCKS]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _block(
        self,
        programmes: tuple[str, ...],
        forbidden: set[int],
        avoid: set[int],
        days_used: set[int],
    ) -> int:
        """The least loaded cell for these programmes, outside ``forbidden``."""
        rows = [self.load[p] for p in programmes]
        jitter = self.rng.random
        best, best_score = -1, math.inf
        for index, (day, _period) in enumerate(BLOCKS):
            if index in forbidden:
                continue
            score = self.base[index] + jitter() * 0.01
            for row in rows:
                score += row[index]
            if index in avoid:
                score += SAME_ACTIVITY_PENALTY
            if day in days_used:
                score += 0.5
            if score < best_score:
                best, best_score = index, score
        return best

    def _teacher(self, members: list[TeamMember], kind: str, block: int, weeks: int) -> int | None:
        """A member of the team who teaches this kind of activity and is free then."""
        wanted = {"CM": "cm", "TD": "td", "TP": "tp"}[kind]
        ranked = [m for m in members if m.activity in (wanted, "all")] or members
        for member in ranked:
            pk = self.teacher_pks.get(member.person_uuid)
            busy = self.teacher_busy.get((pk, block), 0) if pk is not None else weeks
            if pk is not None and not busy & weeks:
                self.teacher_busy[(pk, block)] = busy | weeks
                return pk
        return None

    def plan(self, offers: list[TimetableOffer]) -> Planned:
        for offer in offers:
            if offer.uuid in self.offer_pks and (
                offer.hours_cm or offer.hours_td or offer.hours_tp
            ):
                self._offer(offer)
        return self.planned

    def _activity(self, offer: TimetableOffer, kind: str) -> Activity:
        activity = Activity(
            uuid=self._uuid(),
            offer_id=self.offer_pks[offer.uuid],
            semester=self.semester,
            kind=kind,
        )
        self.planned.activities.append(activity)
        return activity

    def _group(
        self,
        offer: TimetableOffer,
        activity: Activity,
        code: str,
        capacity: int,
        room: Room | None,
        teacher: int | None,
    ) -> Group:
        group = Group(
            uuid=self._uuid(),
            activity=activity,
            code=code,
            capacity=capacity,
            room=room,
            teacher_id=teacher,
        )
        self.planned.groups.append(group)
        return group

    def _slot(self, group: Group, block: int, weeks: str) -> None:
        day, period = BLOCKS[block]
        start, end = PERIODS[period]
        self.planned.slots.append(
            Slot(uuid=self._uuid(), group=group, day=day, start=start, end=end, weeks=weeks)
        )

    def _offer(self, offer: TimetableOffer) -> None:
        programmes = offer.programmes or ("",)
        campus = offer.campus_code or "belfort"
        members = self.teams.get(offer.uuid, [])
        counts = {
            "CM": max(1, offer.groups_cm) if offer.hours_cm else 0,
            "TD": max(1, offer.groups_td) if offer.hours_td else 0,
            "TP": max(1, offer.groups_tp) if offer.hours_tp else 0,
        }
        capacity = offer.capacity or 32 * max(counts.values())
        taken: dict[str, set[int]] = {"CM": set(), "TD": set(), "TP": set()}

        def forbidden(kind: str) -> set[int]:
            return set().union(*(blocks for k, blocks in taken.items() if k != kind))

        td_groups: list[tuple[Group, set[int]]] = []
        for kind, hours in (("CM", offer.hours_cm), ("TD", offer.hours_td)):
            if not counts[kind]:
                continue
            activity = self._activity(offer, kind)
            room_kind = "amphi" if kind == "CM" else "td"
            size = math.ceil(capacity / counts[kind])
            weight = (CM_WEIGHT if kind == "CM" else 1.0) / counts[kind]
            for number in range(1, counts[kind] + 1):
                own: set[int] = set()
                days: set[int] = set()
                placed: list[int] = []
                for _ in range(slots_per_week(hours)):
                    block = self._block(programmes, forbidden(kind) | own, taken[kind], days)
                    own.add(block)
                    days.add(BLOCKS[block][0])
                    placed.append(block)
                    for p in programmes:
                        self.load[p][block] += weight
                room = self.rooms.take(campus, room_kind, size, BLOCKS[placed[0]], self.every)
                teacher = self._teacher(members, kind, placed[0], self.every)
                group = self._group(offer, activity, f"{kind}{number}", size, room, teacher)
                for block in sorted(own):
                    self._slot(group, block, TEACHING_WEEKS)
                taken[kind] |= own
                if kind == "TD":
                    td_groups.append((group, own))
        if counts["TP"]:
            self._labs(offer, programmes, campus, members, counts["TP"], capacity, td_groups, taken)

    def _labs(
        self,
        offer: TimetableOffer,
        programmes: tuple[str, ...],
        campus: str,
        members: list[TeamMember],
        count: int,
        capacity: int,
        td_groups: list[tuple[Group, set[int]]],
        taken: dict[str, set[int]],
    ) -> None:
        """TP groups, two to a cell on alternating weeks when the hours allow, some attached to
        a TD group (two TP groups per TD group)."""
        activity = self._activity(offer, "TP")
        size = math.ceil(capacity / count)
        feature = lab_feature(offer.room_needs)
        alternate = float(offer.hours_tp) / 2 <= WEEKS_PER_SEMESTER * 0.6
        attach = bool(td_groups) and count == 2 * len(td_groups) and self.rng.random() < 0.5
        forbidden = taken["CM"] | taken["TD"]
        share = (0.5 if alternate else 1.0) / count
        number = 0
        cell: int | None = None
        for number in range(1, count + 1):
            odd_turn = number % 2 == 1
            if not alternate or odd_turn or cell is None:
                cell = self._block(programmes, forbidden, taken["TP"], set())
                taken["TP"].add(cell)
            weeks = TEACHING_WEEKS if not alternate else (self.odd if odd_turn else self.even)
            for p in programmes:
                self.load[p][cell] += share
            mask = rules.mask(weeks)
            room = self.rooms.take(campus, feature, size, BLOCKS[cell], mask) or self.rooms.take(
                campus, "td", size, BLOCKS[cell], mask
            )
            teacher = self._teacher(members, "TP", cell, mask)
            group = self._group(offer, activity, f"TP{number}", size, room, teacher)
            if attach:
                group.parent = td_groups[(number - 1) // 2][0]
                self.planned.attached.append(group)
            self._slot(group, cell, weeks)


def _save(planned: Planned) -> None:
    Activity.objects.bulk_create(planned.activities, batch_size=BATCH)
    for group in planned.groups:
        group.activity_id = group.activity.pk
    attached = {id(g) for g in planned.attached}
    first = [g for g in planned.groups if id(g) not in attached]
    Group.objects.bulk_create(first, batch_size=BATCH)
    for group in planned.attached:
        group.parent_id = group.parent.pk if group.parent else None
    Group.objects.bulk_create(planned.attached, batch_size=BATCH)
    for slot in planned.slots:
        slot.group_id = slot.group.pk
    Slot.objects.bulk_create(planned.slots, batch_size=BATCH)


def build(*, seed: int, day: date | None = None) -> Totals:
    """Calendars, rooms and weekly templates of the current and previous catalogue years."""
    current = academic_year(day)
    years = (current - 1, current)
    rng = random.Random(f"cartable-demo-timetable:{seed}")
    calendars = [
        TeachingCalendar(
            year=year,
            semester=semester,
            first_monday=semester_start(year, semester),
            teaching_weeks=TEACHING_WEEKS,
        )
        for year in years
        for semester in Semester.values
    ]
    TeachingCalendar.objects.bulk_create(calendars)
    offers = {
        (year, semester): catalogue.timetable_offers(year, semester)
        for year in years
        for semester in Semester.values
    }
    everything = [o for found in offers.values() for o in found]
    rooms = build_rooms(list(offers.values()), rng)
    uuids = list({o.uuid for o in everything})
    teams = catalogue.teaching_teams(uuids)
    members = {m.person_uuid for team in teams.values() for m in team}
    teacher_pks = dict(
        related(Group, "teacher").objects.filter(uuid__in=list(members)).values_list("uuid", "pk")
    )
    offer_pks = dict(
        related(Activity, "offer").objects.filter(uuid__in=uuids).values_list("uuid", "pk")
    )
    written = Planned()
    for (year, semester), found in sorted(offers.items()):
        rooms.clear()
        planner = SemesterPlanner(
            year=year,
            semester=semester,
            rng=random.Random(f"cartable-demo-timetable:{seed}:{year}:{semester}"),
            rooms=rooms,
            teams=teams,
            teacher_pks=teacher_pks,
            offer_pks=offer_pks,
        )
        planned = planner.plan(found)
        _save(planned)
        written.activities += planned.activities
        written.groups += planned.groups
        written.slots += planned.slots
    _travel_times()
    _unavailabilities(current, rng)
    return Totals(
        calendars=len(calendars),
        rooms=sum(len(found) for found in rooms.rooms.values()),
        activities=len(written.activities),
        groups=len(written.groups),
        slots=len(written.slots),
    )


#: Minutes between the campuses, by road (Belfort, Sevenans, Montbéliard).
TRAVEL = {
    ("belfort", "sevenans"): 20,
    ("belfort", "montbeliard"): 25,
    ("montbeliard", "sevenans"): 20,
}


def _travel_times() -> None:
    campuses = {c.code: c for c in related(CampusTravel, "campus").objects.all()}
    for (one, two), minutes in TRAVEL.items():
        if one in campuses and two in campuses:
            first, second = sorted((campuses[one], campuses[two]), key=lambda c: c.pk)
            CampusTravel.objects.create(campus=first, other=second, minutes=minutes)


def _unavailabilities(year: int, rng: random.Random) -> None:
    """A few teachers of the current autumn state a free half-day they cannot teach (another
    duty): the demo template already leaves it free, so it stays valid."""
    taught: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for teacher, day, start in Slot.objects.filter(
        group__activity__offer__year=year,
        group__activity__semester="A",
        group__teacher__isnull=False,
    ).values_list("group__teacher", "day", "start"):
        taught[teacher].add((day, 0 if start.hour < 12 else 1))
    halves = ((time(8), time(12)), (time(13, 30), time(18)))
    rows = []
    for teacher in sorted(taught)[:: max(1, len(taught) // 12)][:12]:
        free = [(d, h) for d in range(5) for h in (0, 1) if (d, h) not in taught[teacher]]
        if free:
            day, half = rng.choice(free)
            rows.append(
                TeacherUnavailability(
                    person_id=teacher,
                    year=year,
                    semester="A",
                    day=day,
                    start=halves[half][0],
                    end=halves[half][1],
                    note="Conseil de laboratoire",
                )
            )
    TeacherUnavailability.objects.bulk_create(rows)
