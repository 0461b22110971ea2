"""Open Badges, public side: the issuer profile, achievements and status lists as JSON-LD;
each credential's verification page, its JSON, its baked PNG and SVG, and a verifier for any
credential one pastes or uploads. No login: a badge is meant to be shown.

The holder's identity is never shown: the credential names them by a salted hash of their
e-mail address, and the page lets a verifier check an address against it."""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cartable.core.permissions import login_required
from cartable.core.text import english
from cartable.referential import api as referential

from . import issuer
from .actions import achievement_data
from .badges import documents, images
from .badges.verification import Verification
from .forms import EmailCheckForm, VerifyForm
from .models import Achievement, IssuedBadge

JSON_LD = "application/ld+json"
MAX_UPLOAD = 512 * 1024


def _json(document: dict[str, Any], *, filename: str = "") -> HttpResponse:
    response = JsonResponse(
        document, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch these from anywhere
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _badge_or_404(key: uuid.UUID) -> IssuedBadge:
    badge = IssuedBadge.objects.select_related("achievement").filter(uuid=key).first()
    if badge is None:
        raise Http404(_("Badge inconnu"))
    return badge


def _lines(verification: Verification) -> list[dict[str, Any]]:
    is_english = english()
    return [{"ok": c.ok, "text": c.en if is_english else c.fr} for c in verification.checks]


@require_GET
def issuer_profile(request: HttpRequest) -> HttpResponse:
    return _json(issuer.profile())


@require_GET
def achievement(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = Achievement.objects.filter(uuid=key).first()
    if found is None:
        raise Http404(_("Réalisation inconnue"))
    return _json(documents.achievement_document(achievement_data(found)))


@require_GET
def status_list(request: HttpRequest, number: int) -> HttpResponse:
    document = issuer.status_list_document(documents.status_list_id(number))
    if document is None:
        raise Http404(_("Liste de statuts inconnue"))
    return _json(document)


@require_http_methods(["GET", "POST"])
def badge(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The verification page of a credential; POST checks an e-mail address against it."""
    found = _badge_or_404(key)
    verification = issuer.verify(found.credential)
    form = EmailCheckForm(request.POST or None)
    matched = None
    if form.is_valid():
        identities = found.credential["credentialSubject"].get("identifier", [])
        matched = any(
            documents.email_matches(identity, form.cleaned_data["email"]) for identity in identities
        )
    subject = found.credential["credentialSubject"]
    return render(
        request,
        "certification/badge.html",
        {
            "badge": found,
            "achievement": subject["achievement"],
            "issuer": found.credential["issuer"],
            "valid": verification.valid,
            "checks": _lines(verification),
            "form": form,
            "matched": matched,
            "credential_url": documents.credential_id(found.uuid),
        },
    )


@require_GET
def badge_json(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = _badge_or_404(key)
    return _json(found.credential, filename=f"badge-{found.uuid}.json")


@require_GET
def badge_png(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = _badge_or_404(key)
    image = images.png(found.achievement.name, found.achievement.kind)
    response = HttpResponse(images.bake_png(image, found.credential), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="badge-{found.uuid}.png"'
    return response


@require_GET
def badge_svg(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    found = _badge_or_404(key)
    drawing = images.svg(found.achievement.name, found.achievement.kind, found.credential)
    response = HttpResponse(drawing, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="badge-{found.uuid}.svg"'
    return response


@require_GET
def badge_verification(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The verification of a credential as JSON, for machines."""
    found = _badge_or_404(key)
    result = issuer.verify(found.credential).as_json()
    response = JsonResponse({"id": documents.credential_id(found.uuid), **result})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _uploaded_document(form: VerifyForm) -> tuple[Any, str]:
    """The credential in the form (pasted JSON, or a JSON/PNG/SVG file) and, when it cannot be
    read, why."""
    upload = form.cleaned_data.get("file")
    text = form.cleaned_data.get("credential") or ""
    if upload is not None:
        if upload.size > MAX_UPLOAD:
            return None, _("Le fichier dépasse 512 Kio.")
        raw = upload.read()
        if raw.startswith(b"\x89PNG"):
            try:
                baked = images.unbake_png(raw)
            except (OSError, ValueError):
                baked = None
            if baked is None:
                return None, _("Cette image PNG ne contient pas de badge lisible.")
            return baked, ""
        text = raw.decode("utf-8", errors="replace")
        if "<openbadges:credential>" in text:
            try:
                start = text.index("<![CDATA[", text.index("<openbadges:credential>")) + 9
                text = text[start : text.index("]]></openbadges:credential>")]
            except ValueError:
                return None, _("Cette image SVG ne contient pas de badge lisible.")
    try:
        return json.loads(text), ""
    except ValueError as error:
        return None, _("Ce n'est pas du JSON valide : %(error)s") % {"error": error}


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Verify a credential pasted or uploaded by anyone."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    checks: list[dict[str, Any]] | None = None
    valid = False
    status = 200
    if form.is_valid():
        document, problem = _uploaded_document(form)
        if problem:
            form.add_error(None, problem)
            status = 400
        else:
            verification = issuer.verify(document)
            checks, valid = _lines(verification), verification.valid
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "certification/verify.html",
        {"form": form, "checks": checks, "valid": valid},
        status=status,
    )


@login_required
def my_badges(request: HttpRequest) -> HttpResponse:
    """The badges issued to me, with their state."""
    me = referential.person_uuid_for_user(request.user)
    badges = (
        IssuedBadge.objects.filter(recipient__uuid=me).select_related("achievement")
        if me
        else IssuedBadge.objects.none()
    )
    return render(request, "certification/my_badges.html", {"badges": list(badges)})
