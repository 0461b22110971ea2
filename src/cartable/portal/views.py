"""The front door: each person's services, and their own data (RGPD transparency)."""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cartable.access import api as access
from cartable.catalogue import api as catalogue
from cartable.core import audit, notifications
from cartable.core.models import Notification
from cartable.core.permissions import login_required, roles_of
from cartable.enrolment import api as enrolment
from cartable.records import api as records
from cartable.referential import api as referential


def _json_default(value: Any) -> str:
    return str(value)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The first drawer of the digital schoolbag: the services this person holds today."""
    me = referential.summary_for_user(request.user)
    held = access.effective_services(me.uuid) if me else []
    my_ues = enrolment.ue_codes_of_student(me.uuid, catalogue.current_year()) if me else []
    software = catalogue.software_requirements(my_ues) if my_ues else []
    by_category: OrderedDict[str, list[Any]] = OrderedDict()
    for service, grants in held:
        by_category.setdefault(service.category_label, []).append(
            {"service": service, "grants": grants}
        )
    return render(
        request,
        "portal/home.html",
        {
            "me": me,
            "intro": INTRODUCTIONS.get(audience_of(me.populations if me else ()), ""),
            "categories": by_category,
            "my_ues": my_ues,
            "software": software,
            "roles": sorted(role.label for role in roles_of(request.user)),
            "notifications": _shown(notifications.unread(me.uuid)[:HOME_NOTIFICATIONS])
            if me
            else [],
        },
    )


HOME_NOTIFICATIONS = 10


@dataclass(frozen=True)
class ShownNotification:
    """A notification in the active language."""

    title: str
    body: str
    url: str
    created_at: Any
    read: bool


def _shown(rows: Iterable[Notification]) -> list[ShownNotification]:
    english = (get_language() or "fr").startswith("en")
    return [
        ShownNotification(
            title=(n.title_en if english and n.title_en else n.title),
            body=(n.body_en if english and n.body_en else n.body),
            url=n.url if n.url.startswith("/") else "",
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


@login_required
def my_notifications(request: HttpRequest) -> HttpResponse:
    """My notifications, the most recent first, read or not."""
    me = referential.person_uuid_for_user(request.user)
    rows = Notification.objects.filter(person_uuid=me) if me else Notification.objects.none()
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/notifications.html",
        {
            "page": page,
            "notifications": _shown(page),
            "unread": me is not None and notifications.unread(me).exists(),
        },
    )


@require_POST
@login_required
def mark_notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark all my notifications read, then go back where I was."""
    me = referential.person_uuid_for_user(request.user)
    if me:
        notifications.mark_read(me)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return HttpResponseRedirect(target)


AUDIENCES = (
    ("student", {"student", "apprentice"}),
    ("staff", {"teacher_researcher", "contract_teacher", "staff"}),
    ("hosted", {"hosted", "external"}),
)


INTRODUCTIONS = {
    "student": _(
        "Votre cartable numérique : les services que l'université met à votre disposition "
        "pour vos études."
    ),
    "staff": _(
        "Vos outils de travail : les services auxquels votre contrat et vos fonctions vous "
        "donnent accès."
    ),
    "hosted": _("Les services ouverts pendant votre accueil à l'université."),
}


def audience_of(populations: tuple[str, ...] | list[str]) -> str:
    """Which front door a person gets: the student's schoolbag, staff tools, or a guest's."""
    for audience, codes in AUDIENCES:
        if codes & set(populations):
            return audience
    return "other"


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    """What the referential holds about me, my rights and why, and who looked at my data."""
    me = referential.summary_for_user(request.user)
    if me is None:
        return render(request, "portal/no_person.html", status=404)
    facts = referential.facts_of(me.uuid)
    held = access.effective_services(me.uuid)
    accesses = Paginator(audit.accesses_to(me.uuid), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/my_data.html",
        {"me": me, "facts": facts, "held": held, "accesses": accesses},
    )


@login_required
def my_data_export(request: HttpRequest) -> HttpResponse:
    """Everything held about me, as JSON (right of access and portability, RGPD art. 15/20)."""
    me = referential.summary_for_user(request.user)
    if me is None:
        return JsonResponse({"detail": "no person"}, status=404)
    facts = referential.facts_of(me.uuid)
    payload = {
        "person": asdict(me),
        "contracts_in_force": [asdict(c) for c in facts.contracts],
        "functions": [asdict(f) for f in facts.functions],
        "groups": sorted(facts.groups),
        "services": [
            {"service": asdict(s), "grants": [asdict(g) for g in grants]}
            for s, grants in access.effective_services(me.uuid)
        ],
        "enrolment_results": [asdict(r) for r in enrolment.results_of(me.uuid)],
        "student_record": records.dossier_export(me),
        "accesses_to_my_data": [
            {
                "at": e.at.isoformat(),
                "by": e.actor_label,
                "action": e.action,
                "kind": e.kind,
            }
            for e in audit.accesses_to(me.uuid)[:5000]
        ],
    }
    response = HttpResponse(
        json.dumps(payload, default=_json_default, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-cartable.json"'
    return response


def accessibility(request: HttpRequest) -> HttpResponse:
    """Accessibility statement (public)."""
    return render(request, "portal/accessibility.html")
