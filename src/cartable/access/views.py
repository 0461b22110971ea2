"""Screens of the resource tool: services, the rules and authorisations that grant them, why a
person holds one, and the provisioning exports."""

from __future__ import annotations

import csv
import json
import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.models import AuditEntry
from cartable.core.permissions import Role, has_any_role, login_required, role_required
from cartable.referential import api as referential

from . import actions, api
from .forms import AuthorisationForm, DelegationForm, ExplainForm, RuleForm
from .models import Delegation, DigitalService, IndividualAuthorisation

READERS = (Role.DSIN_ADMIN, Role.SECURITY_OFFICER)


def _service_or_404(code: str) -> DigitalService:
    service = DigitalService.objects.filter(code=code).first()
    if service is None:
        raise Http404(_("Service inconnu"))
    return service


@role_required(*READERS)
def services(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    found = DigitalService.objects.annotate(
        rule_count=Count("rules", distinct=True),
        authorisation_count=Count(
            "authorisations", filter=Q(authorisations__revoked_at__isnull=True), distinct=True
        ),
    )
    if text:
        found = found.filter(Q(name__icontains=text) | Q(code__icontains=text))
    if category:
        found = found.filter(category=category)
    return render(
        request,
        "access/services.html",
        {
            "services": found.order_by("category", "name"),
            "q": text,
            "category": category,
            "categories": DigitalService.Category.choices,
            "can_manage": has_any_role(request.user, {Role.DSIN_ADMIN}),
        },
    )


@role_required(*READERS)
def service_detail(request: HttpRequest, code: str) -> HttpResponse:
    service = _service_or_404(code)
    rules = service.rules.select_related("population", "group", "structure").order_by("label")
    authorisations = service.authorisations.select_related("person", "approver").order_by(
        "revoked_at", "-start_date"
    )
    holders = api.holders(code)
    audit.record_reads(
        "access.authorisation.list",
        actor=request.user,
        subjects=[a.person.uuid for a in authorisations],
    )
    return render(
        request,
        "access/service_detail.html",
        {
            "service": service,
            "rules": rules,
            "authorisations": authorisations,
            "holder_count": len(holders),
            "explain_form": ExplainForm(),
            "can_manage": has_any_role(request.user, {Role.DSIN_ADMIN}),
        },
    )


@role_required(*READERS)
def explain_search(request: HttpRequest, code: str) -> HttpResponse:
    service = _service_or_404(code)
    form = ExplainForm(request.GET or None)
    candidates = referential.find_persons(form.data.get("person", "")) if form.is_valid() else []
    audit.record_reads(
        "referential.person.search", actor=request.user, subjects=[p.uuid for p in candidates]
    )
    return render(
        request,
        "access/explain_search.html",
        {"service": service, "form": form, "candidates": candidates},
    )


@role_required(*READERS)
def explain(request: HttpRequest, code: str, person_uuid: uuid.UUID) -> HttpResponse:
    _service_or_404(code)
    person = referential.summary(person_uuid)
    if person is None:
        raise Http404(_("Personne inconnue"))
    explanation = api.explain(person_uuid, code)
    facts = referential.facts_of(person_uuid)
    audit.record_reads(
        "access.explain", actor=request.user, subjects=[person_uuid], detail={"service": code}
    )
    return render(
        request,
        "access/explain.html",
        {"explanation": explanation, "person": person, "facts": facts},
    )


def _export_rows(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    _service_or_404(code)
    rows = api.provisioning_rows(code)
    audit.record_reads(
        "access.provisioning.export",
        actor=request.user,
        subjects=[uuid.UUID(r["uuid"]) for r in rows],
        kind=AuditEntry.Kind.EXPORT,
        detail={"service": code, "rows": len(rows)},
    )
    return rows


@role_required(Role.DSIN_ADMIN)
def export_csv(request: HttpRequest, code: str) -> HttpResponse:
    rows = _export_rows(request, code)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{code}-titulaires.csv"'
    writer = csv.DictWriter(response, fieldnames=api.PROVISIONING_FIELDS, delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    return response


@role_required(Role.DSIN_ADMIN)
def export_json(request: HttpRequest, code: str) -> HttpResponse:
    rows = _export_rows(request, code)
    payload = {"service": code, "date": referential.today().isoformat(), "holders": rows}
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, indent=1), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}-titulaires.json"'
    return response


def _may_grant(request: HttpRequest, code: str, person_uuid: uuid.UUID | None) -> bool:
    if has_any_role(request.user, {Role.DSIN_ADMIN}):
        return True
    me = referential.person_uuid_for_user(request.user)
    if me is None:
        return False
    if person_uuid is None:
        return bool(api.delegated_structure_paths(me))
    return api.may_delegate_for(me, person_uuid, code)


@login_required
def grant(request: HttpRequest, code: str) -> HttpResponse:
    """Grant an individual authorisation (DSIN, or a delegate within their structures)."""
    service = _service_or_404(code)
    if not _may_grant(request, code, None):
        raise PermissionDenied
    form = AuthorisationForm(request.POST or None, initial={"start_date": referential.today()})
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["person"]
        approver = referential.person_uuid_for_user(request.user)
        if not _may_grant(request, code, person.uuid) or approver is None:
            form.add_error(
                "person",
                _(
                    "Cette personne est hors de votre périmètre de délégation. / "
                    "This person is outside your delegated scope."
                ),
            )
        else:
            try:
                actions.do_grant_authorisation(
                    code,
                    person.uuid,
                    reason=form.cleaned_data["reason"],
                    approver_uuid=approver,
                    start_date=form.cleaned_data["start_date"],
                    end_date=form.cleaned_data["end_date"],
                    acting_user=request.user,
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Autorisation accordée."))
                return HttpResponseRedirect(
                    reverse("access:explain", args=[code, person.uuid])
                    if has_any_role(request.user, set(READERS))
                    else reverse("portal:home")
                )
    return render(request, "access/grant.html", {"service": service, "form": form})


@require_POST
@role_required(Role.DSIN_ADMIN)
def revoke(request: HttpRequest, code: str, authorisation_uuid: uuid.UUID) -> HttpResponse:
    found = IndividualAuthorisation.objects.filter(
        uuid=authorisation_uuid, service__code=code
    ).exists()
    if not found:
        raise Http404
    try:
        actions.do_revoke_authorisation(
            authorisation_uuid,
            reason=request.POST.get("reason", "").strip() or _("Révocation manuelle"),
            acting_user=request.user,
        )
        messages.success(request, _("Autorisation révoquée."))
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("access:service", args=[code]))


@role_required(Role.DSIN_ADMIN)
def new_rule(request: HttpRequest, code: str) -> HttpResponse:
    service = _service_or_404(code)
    form = RuleForm(request.POST or None, initial={"start_date": referential.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = data["target"]
        try:
            actions.do_create_rule(
                code,
                label=data["label"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                population_code=data["population"] if target == "population" else "",
                group_code=data["group"] if target == "group" else "",
                structure_code=data["structure"] if target == "structure" else "",
                include_substructures=data["include_substructures"],
                acting_user=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Règle créée."))
            return HttpResponseRedirect(reverse("access:service", args=[code]))
    return render(request, "access/rule_form.html", {"service": service, "form": form})


@role_required(Role.DSIN_ADMIN)
def delegations(request: HttpRequest) -> HttpResponse:
    """Delegated administration: who manages access for which structures."""
    choices = [(s.code, s.name) for s in DigitalService.objects.order_by("name")]
    form = DelegationForm(
        request.POST or None, service_choices=choices, initial={"start_date": referential.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.do_delegate(
            data["delegate"].uuid,
            data["structure"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            service_codes=tuple(data["services"]),
            acting_user=request.user,
        )
        messages.success(request, _("Délégation enregistrée."))
        return HttpResponseRedirect(reverse("access:delegations"))
    existing = (
        Delegation.objects.select_related("delegate", "structure")
        .prefetch_related("services")
        .order_by("structure__path", "-start_date")
    )
    audit.record_reads(
        "access.delegation.list", actor=request.user, subjects=[d.delegate.uuid for d in existing]
    )
    return render(request, "access/delegations.html", {"form": form, "delegations": existing})
