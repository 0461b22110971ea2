"""Login, strong authentication, logout and display preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import AuditEntry
from .permissions import login_required
from .preferences import TEXT_SIZES, THEMES, Preferences, store_preferences


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record("core.login", actor=form.get_user(), kind=AuditEntry.Kind.AUTH)
        return response


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
    )


def _qr_svg(url: str) -> str:
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or check the TOTP second factor."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed or TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Cartable", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                audit.record("core.mfa.enrol", actor=user, kind=AuditEntry.Kind.AUTH)
            otp_login(request, device)
            audit.record("core.mfa.verify", actor=user, kind=AuditEntry.Kind.AUTH)
            return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("Code incorrect ou expiré. / Wrong or expired code."))
        audit.record("core.mfa.failure", actor=user, kind=AuditEntry.Kind.AUTH)
    context = {
        "form": form,
        "enrolling": not device.confirmed,
        "next": _safe_next(request),
    }
    if not device.confirmed:
        context["qr_svg"] = _qr_svg(device.config_url)
        context["secret"] = _base32_secret(device)
    return render(request, "core/mfa.html", context)


def _base32_secret(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    from django.contrib.auth import logout as django_logout

    if request.user.is_authenticated:
        audit.record("core.logout", actor=request.user, kind=AuditEntry.Kind.AUTH)
    django_logout(request)
    return HttpResponseRedirect("/connexion/")


class PreferencesForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Thème"),
        choices=[("auto", _("Selon le système")), ("light", _("Clair")), ("dark", _("Sombre"))],
    )
    dyslexia_font = forms.BooleanField(label=_("Police adaptée à la dyslexie"), required=False)
    text_size = forms.ChoiceField(
        label=_("Taille du texte"),
        choices=[("normal", _("Normale")), ("large", _("Grande")), ("larger", _("Très grande"))],
    )


@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    """Store display preferences (works for visitors too, no JavaScript needed)."""
    form = PreferencesForm(request.POST)
    response = HttpResponseRedirect(_safe_next(request))
    if form.is_valid():
        data = form.cleaned_data
        store_preferences(
            response,
            Preferences(
                theme=data["theme"] if data["theme"] in THEMES else "auto",
                dyslexia_font=bool(data["dyslexia_font"]),
                text_size=data["text_size"] if data["text_size"] in TEXT_SIZES else "normal",
            ),
        )
    return response


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    return render(request, "core/locked_out.html", status=429)
