"""The course timetabling problem in the ITC 2019 model, and its solutions.

Everything an instance holds is an immutable value named by string ids, so that an instance
can be read from a competition file or built by the application itself. A solver works with
numbers instead: :attr:`Problem.index` numbers rooms, courses, configurations, subparts,
classes, distributions and students in the order of the instance, and gives each class its
time and room options as tuples, so that a placement is a time option number and a room option
number per class (:func:`solution_from_choices` turns such a placement back into a
:class:`Solution`).

Days and weeks are bit masks read from the ``0``/``1`` strings of the format: bit ``i`` is the
``i``-th character (day 0 is the first day of the week, week 0 the first week of the term).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

__all__ = [
    "ClassAssignment",
    "Config",
    "Course",
    "CourseClass",
    "Distribution",
    "DistributionType",
    "Optimization",
    "Problem",
    "ProblemIndex",
    "Room",
    "RoomOption",
    "Solution",
    "Student",
    "Subpart",
    "Time",
    "TimeOption",
    "Travel",
    "bits_from_string",
    "bits_to_string",
    "first_bit",
    "solution_from_choices",
]


def bits_from_string(text: str) -> int:
    """The mask of a ``0``/``1`` string: bit ``i`` is set when character ``i`` is ``1``."""
    if text.strip("01"):
        raise ValueError(f"not a string of 0 and 1: {text!r}")
    mask = 0
    for position, character in enumerate(text):
        if character == "1":
            mask |= 1 << position
    return mask


def bits_to_string(mask: int, length: int) -> str:
    """The ``0``/``1`` string of ``length`` characters for a mask (inverse of the above)."""
    if mask < 0 or mask >> length:
        raise ValueError(f"mask {mask} does not fit in {length} positions")
    return "".join("1" if mask >> position & 1 else "0" for position in range(length))


def first_bit(mask: int) -> int:
    """Position of the first ``1`` of a mask (its first day or week); -1 for an empty mask."""
    return (mask & -mask).bit_length() - 1


@dataclass(frozen=True, slots=True)
class Time:
    """A meeting pattern: the days of the week and the weeks of the term on which a class
    meets, from slot ``start`` for ``length`` slots (``end`` is exclusive)."""

    days: int
    start: int
    length: int
    weeks: int

    @classmethod
    def parse(cls, days: str, start: int, length: int, weeks: str) -> Time:
        """A time from the strings of the format."""
        return cls(bits_from_string(days), start, length, bits_from_string(weeks))

    @property
    def end(self) -> int:
        return self.start + self.length

    def shares_days_and_weeks(self, other: Time) -> bool:
        """Whether both meet on a common day of a common week."""
        return bool(self.days & other.days) and bool(self.weeks & other.weeks)

    def overlaps(self, other: Time) -> bool:
        """The competition's overlap: a common week, a common day and intersecting slots."""
        return (
            self.start < other.start + other.length
            and other.start < self.start + self.length
            and bool(self.days & other.days)
            and bool(self.weeks & other.weeks)
        )

    def days_string(self, nr_days: int) -> str:
        return bits_to_string(self.days, nr_days)

    def weeks_string(self, nr_weeks: int) -> str:
        return bits_to_string(self.weeks, nr_weeks)


@dataclass(frozen=True, slots=True)
class Optimization:
    """Weights of the four penalty terms of the objective."""

    time: int = 0
    room: int = 0
    distribution: int = 0
    student: int = 0


@dataclass(frozen=True, slots=True)
class Travel:
    """Travel time, in slots, between a room and another one (the same both ways)."""

    room_id: str
    value: int


@dataclass(frozen=True, slots=True)
class Room:
    id: str
    capacity: int
    travel: tuple[Travel, ...] = ()
    unavailable: tuple[Time, ...] = ()


@dataclass(frozen=True, slots=True)
class TimeOption:
    time: Time
    penalty: int = 0


@dataclass(frozen=True, slots=True)
class RoomOption:
    room_id: str
    penalty: int = 0


@dataclass(frozen=True, slots=True)
class CourseClass:
    """A class: at most ``limit`` students, one of ``times``, and one of ``rooms`` unless it
    needs no room (``room_required`` false, and then ``rooms`` is empty)."""

    id: str
    limit: int
    times: tuple[TimeOption, ...]
    rooms: tuple[RoomOption, ...] = ()
    parent: str | None = None
    room_required: bool = True


@dataclass(frozen=True, slots=True)
class Subpart:
    id: str
    classes: tuple[CourseClass, ...]


@dataclass(frozen=True, slots=True)
class Config:
    id: str
    subparts: tuple[Subpart, ...]


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    configs: tuple[Config, ...]


class DistributionType(StrEnum):
    """The 19 distribution constraints of the competition, with their parameter count."""

    SAME_START = "SameStart"
    SAME_TIME = "SameTime"
    DIFFERENT_TIME = "DifferentTime"
    SAME_DAYS = "SameDays"
    DIFFERENT_DAYS = "DifferentDays"
    SAME_WEEKS = "SameWeeks"
    DIFFERENT_WEEKS = "DifferentWeeks"
    OVERLAP = "Overlap"
    NOT_OVERLAP = "NotOverlap"
    SAME_ROOM = "SameRoom"
    DIFFERENT_ROOM = "DifferentRoom"
    SAME_ATTENDEES = "SameAttendees"
    PRECEDENCE = "Precedence"
    WORK_DAY = "WorkDay"
    MIN_GAP = "MinGap"
    MAX_DAYS = "MaxDays"
    MAX_DAY_LOAD = "MaxDayLoad"
    MAX_BREAKS = "MaxBreaks"
    MAX_BLOCK = "MaxBlock"

    @property
    def parameter_count(self) -> int:
        return _PARAMETER_COUNTS.get(self, 0)

    @property
    def is_pairwise(self) -> bool:
        """Whether the constraint is a condition on each pair of its classes."""
        return self not in _NOT_PAIRWISE


_PARAMETER_COUNTS = {
    DistributionType.WORK_DAY: 1,
    DistributionType.MIN_GAP: 1,
    DistributionType.MAX_DAYS: 1,
    DistributionType.MAX_DAY_LOAD: 1,
    DistributionType.MAX_BREAKS: 2,
    DistributionType.MAX_BLOCK: 2,
}
_NOT_PAIRWISE = frozenset(
    {
        DistributionType.MAX_DAYS,
        DistributionType.MAX_DAY_LOAD,
        DistributionType.MAX_BREAKS,
        DistributionType.MAX_BLOCK,
    }
)
_TYPE_NAME = re.compile(r"\s*([A-Za-z]+)\s*(?:\(([^)]*)\))?\s*")


@dataclass(frozen=True, slots=True)
class Distribution:
    """A constraint on a list of classes (their order matters for ``Precedence``): required,
    or soft with a penalty per violation."""

    type: DistributionType
    class_ids: tuple[str, ...]
    required: bool
    penalty: int = 0
    parameters: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.parameters) != self.type.parameter_count:
            raise ValueError(
                f"{self.type.value} takes {self.type.parameter_count} parameter(s), "
                f"got {self.parameters}"
            )

    @classmethod
    def parse_type(cls, text: str) -> tuple[DistributionType, tuple[int, ...]]:
        """``MaxBlock(20,9)`` read as the type and its parameters."""
        found = _TYPE_NAME.fullmatch(text)
        if found is None:
            raise ValueError(f"unreadable distribution type {text!r}")
        kind = DistributionType(found.group(1))
        arguments = found.group(2)
        parameters = (
            tuple(int(value) for value in arguments.split(",")) if arguments is not None else ()
        )
        if len(parameters) != kind.parameter_count:
            raise ValueError(f"{text!r}: {kind.value} takes {kind.parameter_count} parameter(s)")
        return kind, parameters

    @property
    def type_name(self) -> str:
        """The type as the format writes it, parameters included."""
        if not self.parameters:
            return self.type.value
        return f"{self.type.value}({','.join(str(value) for value in self.parameters)})"


@dataclass(frozen=True, slots=True)
class Student:
    id: str
    course_ids: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    """A course timetabling instance: ``nr_days`` days a week, ``slots_per_day`` slots a day,
    a term of ``nr_weeks`` weeks."""

    name: str
    nr_days: int
    slots_per_day: int
    nr_weeks: int
    optimization: Optimization
    rooms: tuple[Room, ...]
    courses: tuple[Course, ...]
    distributions: tuple[Distribution, ...] = ()
    students: tuple[Student, ...] = ()

    @cached_property
    def index(self) -> ProblemIndex:
        """The instance numbered for solvers (built once; checks every reference)."""
        return ProblemIndex.build(self)

    @property
    def classes(self) -> tuple[CourseClass, ...]:
        """All classes, in the order of the instance (their numbers in :attr:`index`)."""
        return self.index.classes


def _numbered(ids: Iterable[str], what: str) -> dict[str, int]:
    numbers: dict[str, int] = {}
    for id_ in ids:
        if id_ in numbers:
            raise ValueError(f"{what} {id_!r} appears twice")
        numbers[id_] = len(numbers)
    return numbers


@dataclass(frozen=True, eq=False)
class ProblemIndex:
    """An instance with everything numbered: rooms, courses, configurations, subparts and
    classes in the order of the instance (configurations, subparts and classes numbered across
    courses), distributions and students too. ``-1`` stands for "none".

    Per class ``k``: ``class_times[k]`` and ``class_time_penalties[k]`` list its time options,
    ``class_rooms[k]`` (room numbers) and ``class_room_penalties[k]`` its room options;
    ``travel[r][s]`` is the travel time between rooms ``r`` and ``s``.
    """

    classes: tuple[CourseClass, ...]
    subparts: tuple[Subpart, ...]
    configs: tuple[Config, ...]
    class_number: Mapping[str, int]
    room_number: Mapping[str, int]
    course_number: Mapping[str, int]
    student_number: Mapping[str, int]
    class_parent: tuple[int, ...]
    class_subpart: tuple[int, ...]
    class_config: tuple[int, ...]
    class_course: tuple[int, ...]
    class_limit: tuple[int, ...]
    class_needs_room: tuple[bool, ...]
    class_times: tuple[tuple[Time, ...], ...]
    class_time_penalties: tuple[tuple[int, ...], ...]
    class_rooms: tuple[tuple[int, ...], ...]
    class_room_penalties: tuple[tuple[int, ...], ...]
    subpart_classes: tuple[tuple[int, ...], ...]
    subpart_config: tuple[int, ...]
    config_subparts: tuple[tuple[int, ...], ...]
    config_course: tuple[int, ...]
    course_configs: tuple[tuple[int, ...], ...]
    room_unavailable: tuple[tuple[Time, ...], ...]
    travel: tuple[tuple[int, ...], ...]
    distribution_classes: tuple[tuple[int, ...], ...]
    student_courses: tuple[tuple[int, ...], ...]
    class_distributions: tuple[tuple[int, ...], ...]

    @classmethod
    def build(cls, problem: Problem) -> ProblemIndex:
        room_number = _numbered((room.id for room in problem.rooms), "room")
        course_number = _numbered((course.id for course in problem.courses), "course")
        classes: list[CourseClass] = []
        subparts_found: list[Subpart] = []
        configs_found: list[Config] = []
        class_subpart: list[int] = []
        class_config: list[int] = []
        class_course: list[int] = []
        subpart_classes: list[tuple[int, ...]] = []
        subpart_config: list[int] = []
        config_subparts: list[tuple[int, ...]] = []
        config_course: list[int] = []
        course_configs: list[tuple[int, ...]] = []
        for course_no, course in enumerate(problem.courses):
            configs: list[int] = []
            for config in course.configs:
                config_no = len(config_course)
                config_course.append(course_no)
                configs_found.append(config)
                configs.append(config_no)
                subparts: list[int] = []
                for subpart in config.subparts:
                    subpart_no = len(subpart_config)
                    subpart_config.append(config_no)
                    subparts_found.append(subpart)
                    subparts.append(subpart_no)
                    members: list[int] = []
                    for course_class in subpart.classes:
                        members.append(len(classes))
                        classes.append(course_class)
                        class_subpart.append(subpart_no)
                        class_config.append(config_no)
                        class_course.append(course_no)
                    subpart_classes.append(tuple(members))
                config_subparts.append(tuple(subparts))
            course_configs.append(tuple(configs))
        class_number = _numbered((course_class.id for course_class in classes), "class")

        def class_of(id_: str, where: str) -> int:
            try:
                return class_number[id_]
            except KeyError:
                raise ValueError(f"{where}: unknown class {id_!r}") from None

        def room_of(id_: str, where: str) -> int:
            try:
                return room_number[id_]
            except KeyError:
                raise ValueError(f"{where}: unknown room {id_!r}") from None

        class_parent = tuple(
            -1
            if course_class.parent is None
            else class_of(course_class.parent, f"parent of class {course_class.id}")
            for course_class in classes
        )
        for course_class in classes:
            if not course_class.times:
                raise ValueError(f"class {course_class.id} has no time option")
            if course_class.room_required == (not course_class.rooms):
                raise ValueError(
                    f"class {course_class.id}: room options must be given exactly when a room "
                    "is required"
                )
        travel = [[0] * len(problem.rooms) for _ in problem.rooms]
        for room in problem.rooms:
            here = room_number[room.id]
            for entry in room.travel:
                there = room_of(entry.room_id, f"travel from room {room.id}")
                if here != there:
                    travel[here][there] = travel[there][here] = entry.value
        distribution_classes = tuple(
            tuple(class_of(id_, f"distribution {number + 1}") for id_ in distribution.class_ids)
            for number, distribution in enumerate(problem.distributions)
        )
        class_distributions: list[list[int]] = [[] for _ in classes]
        for number, listed in enumerate(distribution_classes):
            for member in dict.fromkeys(listed):
                class_distributions[member].append(number)
        student_courses: list[tuple[int, ...]] = []
        for student in problem.students:
            try:
                student_courses.append(tuple(course_number[id_] for id_ in student.course_ids))
            except KeyError as error:
                raise ValueError(f"student {student.id}: unknown course {error}") from None
        return cls(
            classes=tuple(classes),
            subparts=tuple(subparts_found),
            configs=tuple(configs_found),
            class_number=class_number,
            room_number=room_number,
            course_number=course_number,
            student_number=_numbered((student.id for student in problem.students), "student"),
            class_parent=class_parent,
            class_subpart=tuple(class_subpart),
            class_config=tuple(class_config),
            class_course=tuple(class_course),
            class_limit=tuple(course_class.limit for course_class in classes),
            class_needs_room=tuple(course_class.room_required for course_class in classes),
            class_times=tuple(
                tuple(option.time for option in course_class.times) for course_class in classes
            ),
            class_time_penalties=tuple(
                tuple(option.penalty for option in course_class.times) for course_class in classes
            ),
            class_rooms=tuple(
                tuple(
                    room_of(option.room_id, f"class {course_class.id}")
                    for option in course_class.rooms
                )
                for course_class in classes
            ),
            class_room_penalties=tuple(
                tuple(option.penalty for option in course_class.rooms) for course_class in classes
            ),
            subpart_classes=tuple(subpart_classes),
            subpart_config=tuple(subpart_config),
            config_subparts=tuple(config_subparts),
            config_course=tuple(config_course),
            course_configs=tuple(course_configs),
            room_unavailable=tuple(room.unavailable for room in problem.rooms),
            travel=tuple(tuple(row) for row in travel),
            distribution_classes=distribution_classes,
            student_courses=tuple(student_courses),
            class_distributions=tuple(tuple(numbers) for numbers in class_distributions),
        )


@dataclass(frozen=True, slots=True)
class ClassAssignment:
    """One class of a solution as the format gives it: the days, start and weeks of one of its
    times (the length follows from the class's time options), its room (``None`` for a class
    without room) and its students."""

    class_id: str
    days: int
    start: int
    weeks: int
    room_id: str | None = None
    student_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Solution:
    """A solution of the instance ``name``; the other fields describe how it was obtained."""

    name: str
    nr_days: int
    nr_weeks: int
    classes: tuple[ClassAssignment, ...]
    runtime: float | None = None
    cores: int | None = None
    technique: str = ""
    author: str = ""
    institution: str = ""
    country: str = ""


def solution_from_choices(
    problem: Problem,
    time_choices: Sequence[int | None],
    room_choices: Sequence[int | None],
    enrolments: Sequence[Iterable[int]] = (),
    *,
    runtime: float | None = None,
    cores: int | None = None,
    technique: str = "",
    author: str = "",
    institution: str = "",
    country: str = "",
) -> Solution:
    """A solution from numbers: per class (numbered as in :attr:`Problem.index`), the number of
    its time option and of its room option (``None`` for a class without room or left
    unassigned: a class without time is left out), and the numbers of its students."""
    index = problem.index
    count = len(index.classes)
    if len(time_choices) != count or len(room_choices) != count:
        raise ValueError(f"expected one time and one room choice for each of {count} classes")
    students = problem.students
    assignments: list[ClassAssignment] = []
    for number, course_class in enumerate(index.classes):
        time_choice = time_choices[number]
        if time_choice is None:
            continue
        time = index.class_times[number][time_choice]
        room_choice = room_choices[number]
        room_id = None if room_choice is None else course_class.rooms[room_choice].room_id
        members = enrolments[number] if number < len(enrolments) else ()
        assignments.append(
            ClassAssignment(
                class_id=course_class.id,
                days=time.days,
                start=time.start,
                weeks=time.weeks,
                room_id=room_id,
                student_ids=tuple(students[student].id for student in members),
            )
        )
    return Solution(
        name=problem.name,
        nr_days=problem.nr_days,
        nr_weeks=problem.nr_weeks,
        classes=tuple(assignments),
        runtime=runtime,
        cores=cores,
        technique=technique,
        author=author,
        institution=institution,
        country=country,
    )
