"""Screens of the competency frameworks.

Reading is public (list, framework page, CASE JSON and its URIs); editing and importing are
for scolarité, programme heads and DSIN administrators."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cartable.core import pending_uploads as pending
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, has_any_role, role_required

from . import actions, api, case
from .forms import (
    BlockForm,
    CaseImportForm,
    CompetencyForm,
    FrameworkForm,
    LevelForm,
    OutcomeForm,
)
from .models import Block, Competency, Framework, LearningOutcome, Level

EDITORS = (Role.SCOLARITE, Role.PROGRAMME_HEAD, Role.DSIN_ADMIN)
SESSION_KEY = "competencies_case_pending"


def _can_edit(request: HttpRequest) -> bool:
    return has_any_role(request.user, set(EDITORS))


def _framework_or_404(code: str) -> Framework:
    framework = Framework.objects.filter(code=code).first()
    if framework is None:
        raise Http404(_("Référentiel inconnu"))
    return framework


def _part_or_404(model: Any, framework: Framework, object_uuid: uuid.UUID, path: str) -> Any:
    found = model.objects.filter(uuid=object_uuid, **{path: framework}).first()
    if found is None:
        raise Http404(_("Élément inconnu dans ce référentiel"))
    return found


def _detail_url(framework: Framework | str) -> str:
    code = framework if isinstance(framework, str) else framework.code
    return reverse("competencies:framework", args=[code])


# -- reading --------------------------------------------------------------------------------


def frameworks(request: HttpRequest) -> HttpResponse:
    found = Framework.objects.annotate(
        block_count=Count("blocks", distinct=True),
        competency_count=Count("blocks__competencies", distinct=True),
    ).order_by("code")
    return render(
        request,
        "competencies/frameworks.html",
        {"frameworks": found, "can_edit": _can_edit(request)},
    )


def framework_detail(request: HttpRequest, code: str) -> HttpResponse:
    framework = _framework_or_404(code)
    competencies: dict[int, list[Competency]] = defaultdict(list)
    for competency in Competency.objects.filter(block__framework=framework).order_by(
        "position", "code"
    ):
        competencies[competency.block_id].append(competency)
    outcomes: dict[int, list[LearningOutcome]] = defaultdict(list)
    for outcome in (
        LearningOutcome.objects.filter(competency__block__framework=framework)
        .select_related("level")
        .order_by("position", "code")
    ):
        outcomes[outcome.competency_id].append(outcome)
    tree = [
        (block, [(c, outcomes[c.pk]) for c in competencies[block.pk]])
        for block in Block.objects.filter(framework=framework).order_by("position", "code")
    ]
    return render(
        request,
        "competencies/framework_detail.html",
        {
            "framework": framework,
            "levels": Level.objects.filter(framework=framework).order_by("rank"),
            "tree": tree,
            "can_edit": _can_edit(request),
        },
    )


def _package(request: HttpRequest, framework: Framework) -> dict[str, Any]:
    return case.build_package(framework, base_uri=case.base_uri(request))


def case_download(request: HttpRequest, code: str) -> HttpResponse:
    """The framework as a CASE 1.1 CFPackage, to save."""
    package = _package(request, _framework_or_404(code))
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{code}.case.json"'
    return response


def case_document(request: HttpRequest, framework_uuid: uuid.UUID) -> HttpResponse:
    """What a CFDocument URI resolves to: the whole CFPackage."""
    framework = Framework.objects.filter(uuid=framework_uuid).first()
    if framework is None:
        raise Http404(_("Référentiel inconnu"))
    return JsonResponse(
        _package(request, framework), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )


def case_object(
    request: HttpRequest, framework_uuid: uuid.UUID, identifier: uuid.UUID
) -> HttpResponse:
    """What the URI of an item, an association or a level resolves to: its CASE JSON."""
    framework = Framework.objects.filter(uuid=framework_uuid).first()
    if framework is None:
        raise Http404(_("Référentiel inconnu"))
    found = case.find_object(_package(request, framework), str(identifier))
    if found is None:
        raise Http404(_("Objet CASE inconnu"))
    return JsonResponse(found, json_dumps_params={"indent": 2, "ensure_ascii": False})


# -- editing --------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    heading: str,
    framework: Framework | None,
    save: Callable[[Any], Any],
    done: Callable[[Any], str],
) -> HttpResponse:
    """Show ``form``; on a valid POST call ``save(form)`` and go to ``done(result)``."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form)
        except DomainError as exc:
            field = exc.field if exc.field in form.fields else None
            form.add_error(field, f"{exc.message_fr} / {exc.message_en}")
        else:
            messages.success(request, _("Enregistré."))
            return HttpResponseRedirect(done(result))
    cancel = _detail_url(framework) if framework else reverse("competencies:frameworks")
    return render(
        request,
        "competencies/form.html",
        {"form": form, "heading": heading, "framework": framework, "cancel_url": cancel},
    )


def _initial(obj: Any, names: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in names}


@role_required(*EDITORS)
def framework_new(request: HttpRequest) -> HttpResponse:
    form = FrameworkForm(request.POST or None)
    return _form_page(
        request,
        form,
        heading=_("Nouveau référentiel de compétences"),
        framework=None,
        save=lambda f: actions.do_create_framework(f.to_fields(), acting_user=request.user),
        done=_detail_url,
    )


@role_required(*EDITORS)
def framework_edit(request: HttpRequest, code: str) -> HttpResponse:
    framework = _framework_or_404(code)
    form = FrameworkForm(
        request.POST or None, initial=_initial(framework, list(FrameworkForm.base_fields))
    )
    return _form_page(
        request,
        form,
        heading=_("Modifier le référentiel %(title)s") % {"title": framework.title},
        framework=framework,
        save=lambda f: actions.do_update_framework(code, f.to_fields(), acting_user=request.user),
        done=_detail_url,
    )


@role_required(*EDITORS)
def level_new(request: HttpRequest, code: str) -> HttpResponse:
    framework = _framework_or_404(code)
    next_rank = (Level.objects.filter(framework=framework).count() or 0) + 1
    form = LevelForm(request.POST or None, initial={"rank": next_rank, "code": f"N{next_rank}"})
    return _form_page(
        request,
        form,
        heading=_("Nouveau niveau de l'échelle"),
        framework=framework,
        save=lambda f: actions.do_create_level(code, f.to_fields(), acting_user=request.user),
        done=lambda _level: _detail_url(code) + "#echelle",
    )


@role_required(*EDITORS)
def level_edit(request: HttpRequest, code: str, object_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    level = _part_or_404(Level, framework, object_uuid, "framework")
    form = LevelForm(request.POST or None, initial=_initial(level, list(LevelForm.base_fields)))
    return _form_page(
        request,
        form,
        heading=_("Modifier le niveau %(label)s") % {"label": level.label},
        framework=framework,
        save=lambda f: actions.do_update_level(
            object_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda _level: _detail_url(code) + "#echelle",
    )


@role_required(*EDITORS)
def block_new(request: HttpRequest, code: str) -> HttpResponse:
    framework = _framework_or_404(code)
    form = BlockForm(request.POST or None)
    return _form_page(
        request,
        form,
        heading=_("Nouveau bloc de compétences"),
        framework=framework,
        save=lambda f: actions.do_create_block(code, f.to_fields(), acting_user=request.user),
        done=lambda block: f"{_detail_url(code)}#bloc-{block.uuid}",
    )


@role_required(*EDITORS)
def block_edit(request: HttpRequest, code: str, object_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    block = _part_or_404(Block, framework, object_uuid, "framework")
    form = BlockForm(request.POST or None, initial=_initial(block, list(BlockForm.base_fields)))
    return _form_page(
        request,
        form,
        heading=_("Modifier le bloc %(code)s") % {"code": block.code},
        framework=framework,
        save=lambda f: actions.do_update_block(
            object_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda block: f"{_detail_url(code)}#bloc-{block.uuid}",
    )


@role_required(*EDITORS)
def competency_new(request: HttpRequest, code: str, block_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    block = _part_or_404(Block, framework, block_uuid, "framework")
    form = CompetencyForm(request.POST or None)
    return _form_page(
        request,
        form,
        heading=_("Nouvelle compétence du bloc %(code)s") % {"code": block.code},
        framework=framework,
        save=lambda f: actions.do_create_competency(
            block_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda c: f"{_detail_url(code)}#competence-{c.uuid}",
    )


@role_required(*EDITORS)
def competency_edit(request: HttpRequest, code: str, object_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    competency = _part_or_404(Competency, framework, object_uuid, "block__framework")
    initial = _initial(competency, list(CompetencyForm.base_fields))
    form = CompetencyForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        heading=_("Modifier la compétence %(code)s") % {"code": competency.code},
        framework=framework,
        save=lambda f: actions.do_update_competency(
            object_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda c: f"{_detail_url(code)}#competence-{c.uuid}",
    )


@role_required(*EDITORS)
def outcome_new(request: HttpRequest, code: str, competency_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    competency = _part_or_404(Competency, framework, competency_uuid, "block__framework")
    form = OutcomeForm(request.POST or None, levels=api.scale(framework.uuid))
    return _form_page(
        request,
        form,
        heading=_("Nouvel acquis d'apprentissage de %(code)s") % {"code": competency.code},
        framework=framework,
        save=lambda f: actions.do_create_outcome(
            competency_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda o: f"{_detail_url(code)}#competence-{competency.uuid}",
    )


@role_required(*EDITORS)
def outcome_edit(request: HttpRequest, code: str, object_uuid: uuid.UUID) -> HttpResponse:
    framework = _framework_or_404(code)
    outcome = _part_or_404(LearningOutcome, framework, object_uuid, "competency__block__framework")
    initial = {
        **_initial(outcome, ["code", "text", "text_en", "position"]),
        "level_rank": outcome.level.rank if outcome.level else "",
    }
    form = OutcomeForm(request.POST or None, initial=initial, levels=api.scale(framework.uuid))
    return _form_page(
        request,
        form,
        heading=_("Modifier l'acquis d'apprentissage %(code)s") % {"code": outcome.code},
        framework=framework,
        save=lambda f: actions.do_update_outcome(
            object_uuid, f.to_fields(), acting_user=request.user
        ),
        done=lambda o: f"{_detail_url(code)}#competence-{o.competency.uuid}",
    )


#: URL segment → (kind of :func:`actions.do_delete`, model, path to the framework)
DELETE_KINDS: dict[str, tuple[str, Any, str]] = {
    "niveaux": ("level", Level, "framework"),
    "blocs": ("block", Block, "framework"),
    "competences": ("competency", Competency, "block__framework"),
    "acquis": ("outcome", LearningOutcome, "competency__block__framework"),
}


@require_POST
@role_required(*EDITORS)
def delete(request: HttpRequest, code: str, kind: str, object_uuid: uuid.UUID) -> HttpResponse:
    if kind not in DELETE_KINDS:
        raise Http404
    framework = _framework_or_404(code)
    action_kind, model, path = DELETE_KINDS[kind]
    _part_or_404(model, framework, object_uuid, path)
    try:
        actions.do_delete(action_kind, object_uuid, acting_user=request.user)
    except DomainError as exc:
        messages.error(request, f"{exc.message_fr} / {exc.message_en}")
    else:
        messages.success(request, _("Supprimé."))
    return HttpResponseRedirect(_detail_url(framework))


# -- CASE import ----------------------------------------------------------------------------


def _import_page(
    request: HttpRequest,
    form: CaseImportForm,
    report: case.CaseImportReport | None = None,
    token: str = "",
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "report": report, "token": token, "problem": problem}
    return render(request, "competencies/import.html", context, status=status)


def _upload(request: HttpRequest) -> HttpResponse:
    form = CaseImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, form, status=400)
    data = form.cleaned_data
    content = b"".join(data["file"].chunks())
    options = {"code": data["code"] or "", "diploma_code": data["diploma_code"] or ""}
    report = actions.do_import_case(
        content,
        dry_run=data["dry_run"],
        base_uri=case.base_uri(request),
        acting_user=request.user,
        **options,
    )
    if report.committed:
        messages.success(request, _("Référentiel importé."))
        return _import_page(request, CaseImportForm(initial={"dry_run": True}), report)
    token = ""
    if report.dry_run and report.ok:
        token = pending.store(content)
        waiting = request.session.get(SESSION_KEY, {})
        waiting[token] = options
        request.session[SESSION_KEY] = waiting
    return _import_page(
        request, CaseImportForm(initial={"dry_run": True, **options}), report, token
    )


def _confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    waiting = request.session.get(SESSION_KEY, {})
    options = waiting.get(token)
    content = pending.load(token) if options is not None else None
    form = CaseImportForm(initial={"dry_run": True})
    if options is None or content is None:
        problem = _("Cette simulation a expiré : déposez le fichier à nouveau.")
        return _import_page(request, form, problem=problem, status=400)
    del waiting[token]
    request.session[SESSION_KEY] = waiting
    report = actions.do_import_case(
        content,
        dry_run=False,
        base_uri=case.base_uri(request),
        acting_user=request.user,
        **options,
    )
    pending.discard(token)
    if report.committed:
        messages.success(request, _("Référentiel importé."))
        return HttpResponseRedirect(_detail_url(report.framework_code))
    return _import_page(request, form, report, status=400)


@role_required(*EDITORS)
def case_import(request: HttpRequest) -> HttpResponse:
    """Upload a CFPackage: a dry run shows every problem, then a confirmation imports it."""
    if request.method == "POST":
        return _confirm(request) if "token" in request.POST else _upload(request)
    return _import_page(request, CaseImportForm(initial={"dry_run": True}))
