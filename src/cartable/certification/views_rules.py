"""The rules of certification, for the scolarité: how each framework aggregates assessments
into a level, and how many credits an accepted experience of each kind may bring."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.competencies import api as competencies
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, role_required

from .actions import TESTS, do_create_achievement, do_set_achievement_active
from .forms import AchievementForm, AggregationRuleForm, CreditRuleForm
from .levels import DEFAULT_METHOD
from .models import Achievement, AggregationRule, CreditRule, ExperienceClaim


def _methods() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in AggregationRule.Method.choices]


def _kinds() -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in ExperienceClaim.Kind.choices]


def _achievement_form(data: Any = None) -> AchievementForm:
    return AchievementForm(
        data,
        kinds=[
            (Achievement.Kind.UE.value, str(_("Une UE validée"))),
            (Achievement.Kind.CERTIFICATION.value, str(_("Un score de certification"))),
        ],
        tests=[(code, name) for code, (name, _low, _high) in TESTS.items()],
    )


def _achievements() -> list[dict[str, Any]]:
    rows = Achievement.objects.annotate(issued=Count("badges", filter=Q(badges__revoked_at=None)))
    lines = []
    for row in rows:
        if row.kind == Achievement.Kind.UE:
            rule = _("UE %(code)s validée") % {"code": row.ue_code}
        elif row.kind == Achievement.Kind.CERTIFICATION:
            rule = f"{row.certification.upper()} ≥ {row.min_score}"
        else:
            rule = _("Bloc validé au niveau %(rank)s") % {"rank": row.required_rank}
        lines.append({"achievement": row, "rule": rule, "issued": row.issued})
    return lines


def _page(
    request: HttpRequest,
    *,
    failed: tuple[str, Any] | None = None,
    credit_form: CreditRuleForm | None = None,
    achievement_form: AchievementForm | None = None,
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
            "achievements": _achievements(),
            "achievement_form": achievement_form or _achievement_form(),
        },
        status=400
        if failed
        or (credit_form and credit_form.errors)
        or (achievement_form and achievement_form.errors)
        else 200,
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


@require_POST
@role_required(Role.SCOLARITE)
def achievement_new(request: HttpRequest) -> HttpResponse:
    form = _achievement_form(request.POST)
    if not form.is_valid():
        return _page(request, achievement_form=form)
    data = form.cleaned_data
    try:
        achievement = do_create_achievement(
            kind=data["kind"],
            ue_code=data.get("ue_code") or "",
            test=data.get("test") or "",
            min_score=data.get("min_score"),
            name=data.get("name") or "",
            name_en=data.get("name_en") or "",
            criteria=data.get("criteria") or "",
            acting_user=request.user,
        )
    except DomainError as error:
        form.add_error(
            error.field if error.field in form.fields else None,
            f"{error.message_fr} / {error.message_en}",
        )
        return _page(request, achievement_form=form)
    messages.success(
        request,
        _("Badge « %(name)s » créé ; il est délivré à qui le mérite déjà, en arrière-plan.")
        % {"name": achievement.name},
    )
    return HttpResponseRedirect(reverse("certification:rules") + "#badges-title")


@require_POST
@role_required(Role.SCOLARITE)
def achievement_active(request: HttpRequest, achievement_uuid: uuid.UUID) -> HttpResponse:
    active = request.POST.get("active") == "1"
    try:
        achievement = do_set_achievement_active(achievement_uuid, active, acting_user=request.user)
    except DomainError as error:
        raise Http404(error.message) from error
    messages.success(
        request,
        (
            _("« %(name)s » est délivré automatiquement.")
            if active
            else _("« %(name)s » n'est plus délivré ; les badges déjà délivrés restent valides.")
        )
        % {"name": achievement.name},
    )
    return HttpResponseRedirect(reverse("certification:rules") + "#badges-title")
