"""The timetabling engine: pure Python, no Django.

Two problem models, each with a reader and writer for its competition format, an exact
evaluator and a solver:

- ``exam``: examination timetabling in the ITC 2007 model (periods, rooms, students'
  exams, period and room constraints, institutional weightings);
- ``course``: course timetabling with student sectioning in the ITC 2019 model (courses,
  configurations, subparts, classes with parents, times as day/slot/week bit strings,
  rooms with travel times, distribution constraints, students' course requests).

Cartable's own data (teaching needs, enrolment choices, exam sessions) is translated into
these models by the timetable app, solved here, and translated back.
"""
