"""Exam sessions (/examens/): the scolarité creates a session, adjusts its exams and rules,
plans it in the background, reviews the result and publishes it; after a late change it plans
the published session again, reviews what changed against the published plan and publishes it
again; room sheets as PDF and the session as CSV. Students see their exams and download them as
iCalendar."""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.models import Job
from cartable.core.permissions import Role, login_required, role_required
from cartable.referential import api as referential

from .exams import (
    do_create_session,
    do_plan_session,
    do_publish_session,
    exams_of,
    plan_changes,
)
from .forms_exams import ExamForm, PlanForm, RuleForm, SessionForm
from .models import Enrolment, ExamRule, ExamSession, SessionExam


def _bilingual(error: DomainError) -> str:
    return f"{error.message_fr} / {error.message_en}"


def _session_or_404(session_uuid: uuid.UUID) -> ExamSession:
    session = ExamSession.objects.filter(uuid=session_uuid).first()
    if session is None:
        raise Http404(_("Session inconnue"))
    return session


def _back(session: ExamSession) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("exams:session", args=[session.uuid]))


@role_required(Role.SCOLARITE)
def sessions(request: HttpRequest) -> HttpResponse:
    form = SessionForm(
        request.POST or None, initial={"year": catalogue.current_year(), "semester": "A"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = do_create_session(dict(form.cleaned_data), acting_user=request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, _bilingual(error))
        else:
            messages.success(request, _("Session créée avec une épreuve par UE du semestre."))
            return _back(session)
    return render(
        request,
        "enrolment/exam_sessions.html",
        {"form": form, "sessions": ExamSession.objects.all()[:50]},
        status=400 if form.errors else 200,
    )


def _exam_choices(session: ExamSession) -> list[tuple[str, str]]:
    return [
        (str(e.uuid), e.offer.ue.code)
        for e in session.exams.select_related("offer__ue").order_by("offer__ue__code")
    ]


def _timetable(session: ExamSession) -> list[dict[str, Any]]:
    by_start: dict[Any, list[SessionExam]] = defaultdict(list)
    for exam in session.exams.select_related("offer__ue").exclude(starts_at=None):
        by_start[exam.starts_at].append(exam)
    return [
        {"start": start, "exams": sorted(by_start[start], key=lambda e: e.offer.ue.code)}
        for start in sorted(by_start)
    ]


@role_required(Role.SCOLARITE)
def session_detail(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    job = Job.objects.filter(uuid=session.job_uuid).first() if session.job_uuid else None
    return render(
        request,
        "enrolment/exam_session.html",
        {
            "session": session,
            "job": job,
            "exams": session.exams.select_related("offer__ue").order_by("offer__ue__code"),
            "rules": session.rules.select_related("first__offer__ue", "second__offer__ue"),
            "rule_form": RuleForm(exams=_exam_choices(session)),
            "plan_form": PlanForm(initial={"time_limit": session.time_limit}),
            "timetable": _timetable(session),
            "figures": session.figures,
            "published": bool(session.published_plan),
            "changes": plan_changes(session) if session.published_plan else None,
            "planning": session.status == ExamSession.Status.PLANNING,
            "can_publish": session.status == ExamSession.Status.PLANNED
            and session.figures.get("feasible"),
        },
    )


@require_POST
@role_required(Role.SCOLARITE)
def exam_edit(request: HttpRequest, session_uuid: uuid.UUID, exam_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    exam = session.exams.filter(uuid=exam_uuid).first()
    if exam is None:
        raise Http404(_("Épreuve inconnue"))
    form = ExamForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Durée refusée : de 15 à 480 minutes.") + " / Duration refused: 15 to 480 minutes.",
        )
    else:
        exam.duration = form.cleaned_data["duration"]
        exam.alone_in_room = form.cleaned_data["alone_in_room"]
        exam.save(update_fields=["duration", "alone_in_room"])
        audit.record(
            "enrolment.exams.exam.change",
            actor=request.user,
            object_type="exam",
            object_ref=str(exam.uuid),
            detail={"duration": exam.duration, "alone_in_room": exam.alone_in_room},
        )
        messages.success(request, _("Épreuve enregistrée."))
    return _back(session)


@require_POST
@role_required(Role.SCOLARITE)
def rule_add(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    form = RuleForm(request.POST, exams=_exam_choices(session))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(session)
    exams = {str(e.uuid): e for e in session.exams.all()}
    rule = ExamRule.objects.create(
        session=session,
        first=exams[form.cleaned_data["first"]],
        kind=form.cleaned_data["kind"],
        second=exams[form.cleaned_data["second"]],
    )
    audit.record(
        "enrolment.exams.rule.create",
        actor=request.user,
        object_type="exam_session",
        object_ref=str(session.uuid),
        detail={"rule": rule.pk, "kind": rule.kind},
    )
    messages.success(request, _("Règle ajoutée ; replanifiez la session pour l'appliquer."))
    return _back(session)


@require_POST
@role_required(Role.SCOLARITE)
def rule_delete(request: HttpRequest, session_uuid: uuid.UUID, rule_id: int) -> HttpResponse:
    session = _session_or_404(session_uuid)
    deleted, _rows = session.rules.filter(pk=rule_id).delete()
    if deleted:
        audit.record(
            "enrolment.exams.rule.delete",
            actor=request.user,
            object_type="exam_session",
            object_ref=str(session.uuid),
            detail={"rule": rule_id},
        )
        messages.success(request, _("Règle supprimée."))
    return _back(session)


@require_POST
@role_required(Role.SCOLARITE)
def plan(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Temps de calcul refusé : de 5 à 3600 secondes.")
            + " / Computing time refused: 5 to 3600 seconds.",
        )
        return _back(session)
    try:
        do_plan_session(
            session.uuid, time_limit=form.cleaned_data["time_limit"], acting_user=request.user
        )
    except DomainError as error:
        messages.error(request, _bilingual(error))
    else:
        messages.success(request, _("Planification lancée : suivez son avancement ci-dessous."))
    return _back(session)


@require_POST
@role_required(Role.SCOLARITE)
def stop(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    ExamSession.objects.filter(pk=session.pk, status=ExamSession.Status.PLANNING).update(
        stop_requested=True
    )
    messages.success(request, _("Arrêt demandé : le meilleur planning trouvé est gardé."))
    return _back(session)


@require_POST
@role_required(Role.SCOLARITE)
def publish(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    try:
        told = do_publish_session(session.uuid, acting_user=request.user)
    except DomainError as error:
        messages.error(request, _bilingual(error))
    else:
        messages.success(
            request,
            _("Session publiée ; %(told)s étudiant·es prévenu·es.") % {"told": told},
        )
    return _back(session)


@role_required(Role.SCOLARITE)
def session_csv(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    session = _session_or_404(session_uuid)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="examens-{session.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["ue", "debut", "duree_min", "candidats", "salles"])
    for exam in session.exams.select_related("offer__ue").order_by("starts_at", "offer__ue__code"):
        writer.writerow(
            [
                exam.offer.ue.code,
                exam.starts_at.isoformat() if exam.starts_at else "",
                exam.duration,
                exam.candidates,
                " ".join(f"{room}:{seats}" for room, seats in sorted(exam.seating.items())),
            ]
        )
    return response


@role_required(Role.SCOLARITE)
def room_sheets(request: HttpRequest, session_uuid: uuid.UUID) -> HttpResponse:
    """One page per room and exam: who sits there (alphabetical, split by seats), with a
    column to sign."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    session = _session_or_404(session_uuid)
    exams = list(
        session.exams.select_related("offer__ue").exclude(starts_at=None).order_by("starts_at")
    )
    students: dict[int, list[Any]] = defaultdict(list)
    for exam_offer, student in Enrolment.objects.filter(
        status=Enrolment.Status.ACCEPTED,
        offer_id__in=[e.offer_id for e in exams],
        offer__year=session.year,
        semester=session.semester,
    ).values_list("offer_id", "student__uuid"):
        students[exam_offer].append(student)
    people = {
        p.uuid: p for p in referential.summaries({s for group in students.values() for s in group})
    }
    audit.record_reads("enrolment.exams.room_sheets", actor=request.user, subjects=list(people))
    styles = getSampleStyleSheet()
    story: list[Any] = []
    for exam in exams:
        names = sorted(
            (people[s] for s in students[exam.offer_id] if s in people),
            key=lambda p: (p.last_name.lower(), p.first_name.lower()),
        )
        cursor = 0
        for room, seats in sorted(exam.seating.items()):
            seated, cursor = names[cursor : cursor + seats], cursor + seats
            title = (
                f"{exam.offer.ue.code} — {exam.starts_at:%d/%m/%Y %H:%M} — "
                f"{_('salle')} {room} ({len(seated)})"
            )
            story.append(Paragraph(title, styles["Heading2"]))
            rows = [[_("Nom"), _("Prénom"), _("Numéro"), _("Signature")]] + [
                [p.last_name, p.first_name, p.student_number, ""] for p in seated
            ]
            table = Table(rows, colWidths=[150, 120, 90, 130], repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
            story += [table, PageBreak()]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=session.title).build(
        story or [Paragraph(_("Aucune épreuve planifiée."), styles["Normal"])]
    )
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="salles-{session.pk}.pdf"'
    return response


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    me = referential.person_uuid_for_user(request.user)
    return render(request, "enrolment/my_exams.html", {"exams": exams_of(me) if me else []})


@login_required
def mine_ics(request: HttpRequest) -> HttpResponse:
    from icalendar import Calendar, Event

    me = referential.person_uuid_for_user(request.user)
    calendar = Calendar()
    calendar.add("prodid", "-//Cartable//Examens//FR")
    calendar.add("version", "2.0")
    for exam in exams_of(me) if me else []:
        event = Event()
        event.add("uid", f"{exam.starts_at:%Y%m%dT%H%M}-{exam.ue_code}@cartable")
        event.add("summary", f"{_('Examen')} {exam.ue_code} — {exam.title}")
        event.add("dtstart", exam.starts_at)
        event.add("dtend", exam.ends_at)
        event.add("location", ", ".join(exam.rooms))
        event.add("description", exam.session)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mes-examens.ics"'
    return response
