"""Reading and writing the ITC 2019 XML formats: instances (``<problem>``) and solutions
(``<solution>``), as published on itc2019.org.

Readers take a path or the document's bytes (a leading UTF-8 byte order mark is accepted);
writers return the document as text, which :func:`save` stores in UTF-8. Documents declaring
entities are refused: the format has none, and refusing them keeps entity expansion out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import quoteattr

from .model import (
    ClassAssignment,
    Config,
    Course,
    CourseClass,
    Distribution,
    Optimization,
    Problem,
    Room,
    RoomOption,
    Solution,
    Student,
    Subpart,
    Time,
    TimeOption,
    Travel,
    bits_from_string,
    bits_to_string,
)

__all__ = [
    "parse_problem",
    "parse_solution",
    "problem_to_xml",
    "read_problem",
    "read_solution",
    "save",
    "solution_to_xml",
]

PROBLEM_DOCTYPE = (
    '<!DOCTYPE problem PUBLIC "-//ITC 2019//DTD Problem Format/EN" '
    '"http://www.itc2019.org/competition-format.dtd">'
)
SOLUTION_DOCTYPE = (
    '<!DOCTYPE solution PUBLIC "-//ITC 2019//DTD Solution Format/EN" '
    '"http://www.itc2019.org/competition-format.dtd">'
)


def _root(data: bytes, expected: str) -> ElementTree.Element:
    if b"<!ENTITY" in data:
        raise ValueError("XML entity declarations are not accepted")
    # Entities are refused above and expat does not fetch external resources.
    root = ElementTree.fromstring(data)  # noqa: S314
    if root.tag != expected:
        raise ValueError(f"expected a <{expected}> document, found <{root.tag}>")
    return root


def _bytes(source: str | Path | bytes) -> bytes:
    return source if isinstance(source, bytes) else Path(source).read_bytes()


def _text(element: ElementTree.Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise ValueError(f"<{element.tag}> without {name!r}")
    return value


def _int(element: ElementTree.Element, name: str, default: int | None = None) -> int:
    value = element.get(name)
    if value is None:
        if default is None:
            raise ValueError(f"<{element.tag}> without {name!r}")
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"<{element.tag}> {name}={value!r} is not an integer") from None


def _time(element: ElementTree.Element) -> Time:
    return Time(
        bits_from_string(_text(element, "days")),
        _int(element, "start"),
        _int(element, "length"),
        bits_from_string(_text(element, "weeks")),
    )


def _children(parent: ElementTree.Element, section: str, tag: str) -> Iterator[ElementTree.Element]:
    container = parent.find(section)
    return iter(()) if container is None else container.iterfind(tag)


def _class(element: ElementTree.Element) -> CourseClass:
    return CourseClass(
        id=_text(element, "id"),
        limit=_int(element, "limit"),
        times=tuple(
            TimeOption(_time(option), _int(option, "penalty", 0))
            for option in element.iterfind("time")
        ),
        rooms=tuple(
            RoomOption(_text(option, "id"), _int(option, "penalty", 0))
            for option in element.iterfind("room")
        ),
        parent=element.get("parent"),
        room_required=element.get("room", "true").lower() != "false",
    )


def _distribution(element: ElementTree.Element) -> Distribution:
    kind, parameters = Distribution.parse_type(_text(element, "type"))
    required = element.get("required", "false").lower() == "true"
    return Distribution(
        type=kind,
        class_ids=tuple(_text(member, "id") for member in element.iterfind("class")),
        required=required,
        penalty=0 if required else _int(element, "penalty", 0),
        parameters=parameters,
    )


def parse_problem(data: bytes) -> Problem:
    """An instance from the bytes of its XML document."""
    root = _root(data, "problem")
    weights = root.find("optimization")
    optimization = (
        Optimization()
        if weights is None
        else Optimization(
            time=_int(weights, "time", 0),
            room=_int(weights, "room", 0),
            distribution=_int(weights, "distribution", 0),
            student=_int(weights, "student", 0),
        )
    )
    rooms = tuple(
        Room(
            id=_text(room, "id"),
            capacity=_int(room, "capacity", 0),
            travel=tuple(
                Travel(_text(entry, "room"), _int(entry, "value"))
                for entry in room.iterfind("travel")
            ),
            unavailable=tuple(_time(entry) for entry in room.iterfind("unavailable")),
        )
        for room in _children(root, "rooms", "room")
    )
    courses = tuple(
        Course(
            id=_text(course, "id"),
            configs=tuple(
                Config(
                    id=_text(config, "id"),
                    subparts=tuple(
                        Subpart(
                            id=_text(subpart, "id"),
                            classes=tuple(_class(item) for item in subpart.iterfind("class")),
                        )
                        for subpart in config.iterfind("subpart")
                    ),
                )
                for config in course.iterfind("config")
            ),
        )
        for course in _children(root, "courses", "course")
    )
    return Problem(
        name=root.get("name", ""),
        nr_days=_int(root, "nrDays"),
        slots_per_day=_int(root, "slotsPerDay"),
        nr_weeks=_int(root, "nrWeeks"),
        optimization=optimization,
        rooms=rooms,
        courses=courses,
        distributions=tuple(
            _distribution(item) for item in _children(root, "distributions", "distribution")
        ),
        students=tuple(
            Student(
                id=_text(student, "id"),
                course_ids=tuple(_text(request, "id") for request in student.iterfind("course")),
            )
            for student in _children(root, "students", "student")
        ),
    )


def read_problem(source: str | Path | bytes) -> Problem:
    """An instance from a file (or from the document's bytes)."""
    return parse_problem(_bytes(source))


def parse_solution(data: bytes) -> Solution:
    """A solution from the bytes of its XML document. The numbers of days and weeks are those
    of its bit strings."""
    root = _root(data, "solution")
    nr_days = nr_weeks = 0
    classes: list[ClassAssignment] = []
    for element in root.iterfind("class"):
        days = _text(element, "days")
        weeks = _text(element, "weeks")
        nr_days = max(nr_days, len(days))
        nr_weeks = max(nr_weeks, len(weeks))
        classes.append(
            ClassAssignment(
                class_id=_text(element, "id"),
                days=bits_from_string(days),
                start=_int(element, "start"),
                weeks=bits_from_string(weeks),
                room_id=element.get("room"),
                student_ids=tuple(_text(student, "id") for student in element.iterfind("student")),
            )
        )
    runtime = root.get("runtime")
    cores = root.get("cores")
    try:
        return Solution(
            name=root.get("name", ""),
            nr_days=nr_days,
            nr_weeks=nr_weeks,
            classes=tuple(classes),
            runtime=None if runtime is None else float(runtime),
            cores=None if cores is None else int(cores),
            technique=root.get("technique", ""),
            author=root.get("author", ""),
            institution=root.get("institution", ""),
            country=root.get("country", ""),
        )
    except ValueError:
        raise ValueError(f"unreadable runtime {runtime!r} or cores {cores!r}") from None


def read_solution(source: str | Path | bytes) -> Solution:
    """A solution from a file (or from the document's bytes)."""
    return parse_solution(_bytes(source))


def _attributes(**values: object) -> str:
    return "".join(f" {name}={quoteattr(str(value))}" for name, value in values.items())


def _time_attributes(time: Time, problem: Problem) -> dict[str, object]:
    return {
        "days": bits_to_string(time.days, problem.nr_days),
        "start": time.start,
        "length": time.length,
        "weeks": bits_to_string(time.weeks, problem.nr_weeks),
    }


def problem_to_xml(problem: Problem) -> str:
    """The XML document of an instance."""
    weights = problem.optimization
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        PROBLEM_DOCTYPE,
        "<problem"
        + _attributes(
            name=problem.name,
            nrDays=problem.nr_days,
            slotsPerDay=problem.slots_per_day,
            nrWeeks=problem.nr_weeks,
        )
        + ">",
        "  <optimization"
        + _attributes(
            time=weights.time,
            room=weights.room,
            distribution=weights.distribution,
            student=weights.student,
        )
        + "/>",
        "  <rooms>",
    ]
    for room in problem.rooms:
        opening = "    <room" + _attributes(id=room.id, capacity=room.capacity)
        if not room.travel and not room.unavailable:
            lines.append(opening + "/>")
            continue
        lines.append(opening + ">")
        lines.extend(
            "      <travel" + _attributes(room=entry.room_id, value=entry.value) + "/>"
            for entry in room.travel
        )
        lines.extend(
            "      <unavailable" + _attributes(**_time_attributes(time, problem)) + "/>"
            for time in room.unavailable
        )
        lines.append("    </room>")
    lines += ["  </rooms>", "  <courses>"]
    for course in problem.courses:
        lines.append("    <course" + _attributes(id=course.id) + ">")
        for config in course.configs:
            lines.append("      <config" + _attributes(id=config.id) + ">")
            for subpart in config.subparts:
                lines.append("        <subpart" + _attributes(id=subpart.id) + ">")
                for item in subpart.classes:
                    values: dict[str, object] = {"id": item.id, "limit": item.limit}
                    if item.parent is not None:
                        values["parent"] = item.parent
                    if not item.room_required:
                        values["room"] = "false"
                    lines.append("          <class" + _attributes(**values) + ">")
                    lines.extend(
                        "            <room"
                        + _attributes(id=option.room_id, penalty=option.penalty)
                        + "/>"
                        for option in item.rooms
                    )
                    lines.extend(
                        "            <time"
                        + _attributes(
                            **_time_attributes(option.time, problem), penalty=option.penalty
                        )
                        + "/>"
                        for option in item.times
                    )
                    lines.append("          </class>")
                lines.append("        </subpart>")
            lines.append("      </config>")
        lines.append("    </course>")
    lines += ["  </courses>", "  <distributions>"]
    for distribution in problem.distributions:
        strength: dict[str, object] = (
            {"required": "true"} if distribution.required else {"penalty": distribution.penalty}
        )
        lines.append(
            "    <distribution" + _attributes(type=distribution.type_name, **strength) + ">"
        )
        lines.extend("      <class" + _attributes(id=id_) + "/>" for id_ in distribution.class_ids)
        lines.append("    </distribution>")
    lines += ["  </distributions>", "  <students>"]
    for student in problem.students:
        lines.append("    <student" + _attributes(id=student.id) + ">")
        lines.extend("      <course" + _attributes(id=id_) + "/>" for id_ in student.course_ids)
        lines.append("    </student>")
    lines += ["  </students>", "</problem>", ""]
    return "\n".join(lines)


def solution_to_xml(solution: Solution) -> str:
    """The XML document of a solution, in the competition's solution format."""
    header: dict[str, object] = {"name": solution.name}
    if solution.runtime is not None:
        header["runtime"] = repr(solution.runtime)
    if solution.cores is not None:
        header["cores"] = solution.cores
    header.update(
        technique=solution.technique,
        author=solution.author,
        institution=solution.institution,
        country=solution.country,
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        SOLUTION_DOCTYPE,
        "<solution" + _attributes(**header) + ">",
    ]
    for item in solution.classes:
        values: dict[str, object] = {
            "id": item.class_id,
            "days": bits_to_string(item.days, solution.nr_days),
            "start": item.start,
            "weeks": bits_to_string(item.weeks, solution.nr_weeks),
        }
        if item.room_id is not None:
            values["room"] = item.room_id
        opening = "  <class" + _attributes(**values)
        if not item.student_ids:
            lines.append(opening + "/>")
            continue
        lines.append(opening + ">")
        lines.extend("    <student" + _attributes(id=id_) + "/>" for id_ in item.student_ids)
        lines.append("  </class>")
    lines += ["</solution>", ""]
    return "\n".join(lines)


def save(document: str, path: str | Path) -> None:
    """Store a document written by :func:`problem_to_xml` or :func:`solution_to_xml`."""
    Path(path).write_text(document, encoding="utf-8")
