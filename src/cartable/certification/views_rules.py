"""The rules of certification, for the scolarité: how each framework aggregates assessments
into a level, and how many credits an accepted experience of each kind may bring."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.competencies import api as competencies
from cartable.core import audit
from cartable.core.permissions import Role, role_required

from .forms import AggregationRuleForm, CreditRuleForm
from .levels import DEFAULT_METHOD
from .models import AggregationRule, CreditRule, ExperienceClaim


def _methods() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in AggregationRule.Method.choices]


def _kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ExperienceClaim.Kind.choices]


def _page(
    request: HttpRequest,
    *,
    failed: tuple[str, Any] | None = None,
    credit_form: CreditRuleForm | None = None,
) -> HttpResponse:
    found = {r.framework_uuid: r for r in AggregationRule.objects.all()}
    frameworks = []
    for framework in competencies.frameworks():
        rule = found.get(framework.uuid)
        form = (
            failed[1]
            if failed and failed[0] == str(framework.uuid)
            else AggregationRuleForm(
                methods=_methods(),
                initial={
                    "method": rule.method if rule else DEFAULT_METHOD,
                    "min_concordant": rule.min_concordant if rule else 2,
                },
                prefix=str(framework.uuid),
            )
        )
        frameworks.append({"framework": framework, "rule": rule, "form": form})
    return render(
        request,
        "certification/rules.html",
        {
            "frameworks": frameworks,
            "credit_rules": list(CreditRule.objects.all()),
            "credit_form": credit_form or CreditRuleForm(kinds=_kinds()),
        },
        status=400 if failed or (credit_form and credit_form.errors) else 200,
    )


@role_required(Role.SCOLARITE)
def rules(request: HttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@role_required(Role.SCOLARITE)
def aggregation_rule(request: HttpRequest, framework_uuid: uuid.UUID) -> HttpResponse:
    framework = competencies.framework_by_uuid(framework_uuid)
    if framework is None:
        raise Http404(_("Référentiel inconnu"))
    form = AggregationRuleForm(request.POST, methods=_methods(), prefix=str(framework_uuid))
    if not form.is_valid():
        return _page(request, failed=(str(framework_uuid), form))
    rule, _created = AggregationRule.objects.update_or_create(
        framework_uuid=framework_uuid,
        defaults={
            "method": form.cleaned_data["method"],
            "min_concordant": form.cleaned_data["min_concordant"],
        },
    )
    audit.record(
        "certification.aggregation_rule.set",
        actor=request.user,
        object_type="framework",
        object_ref=framework.code,
        detail={"method": rule.method, "min_concordant": rule.min_concordant},
    )
    messages.success(
        request, _("Règle du référentiel %(code)s enregistrée.") % {"code": framework.code}
    )
    return HttpResponseRedirect(reverse("certification:rules"))


@require_POST
@role_required(Role.SCOLARITE)
def credit_rule(request: HttpRequest) -> HttpResponse:
    form = CreditRuleForm(request.POST, kinds=_kinds())
    if not form.is_valid():
        return _page(request, credit_form=form)
    data = form.cleaned_data
    CreditRule.objects.update_or_create(
        kind=data["kind"],
        defaults={
            "max_credits": data["max_credits"],
            "category": data["category"],
            "note": data["note"],
        },
    )
    audit.record(
        "certification.credit_rule.set",
        actor=request.user,
        object_type="credit_rule",
        object_ref=data["kind"],
        detail={"max_credits": str(data["max_credits"]), "category": data["category"]},
    )
    messages.success(request, _("Règle de crédits enregistrée."))
    return HttpResponseRedirect(reverse("certification:rules"))
