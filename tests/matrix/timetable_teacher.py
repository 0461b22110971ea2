"""A teacher's own timetable (/emploi-du-temps/mon-service/) and its iCalendar file: teachers
and UE coordinators, each their own (the teacher, UE coordinator and programme head personas
hold a teaching contract); everyone else 403."""

from __future__ import annotations

from . import LOGIN, Row

TEACHERS = frozenset({"teacher", "ue_coordinator", "programme_head"})

MATRIX: dict[str, Row] = {
    "timetable:my_timetable": ("/emploi-du-temps/mon-service/", TEACHERS, LOGIN, "get"),
    "timetable:my_timetable_ics": (
        "/emploi-du-temps/mon-service/agenda.ics",
        TEACHERS,
        LOGIN,
        "get",
    ),
}
