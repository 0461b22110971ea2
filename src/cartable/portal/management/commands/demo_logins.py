"""Print the demo accounts per role, with the TOTP secret and the code valid right now."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cartable.core.permissions import Role, roles_of
from cartable.referential.demo import DEMO_PASSWORD, PERSONAS


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for ``device``."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


class Command(BaseCommand):
    help = "Affiche les comptes de démonstration / Print the demo accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=[p.login for p in PERSONAS])
        }
        if not users:
            self.stdout.write(
                "Aucun compte de démonstration : lancez `python manage.py build_demo_campus`. "
                "/ No demo account: run `python manage.py build_demo_campus`."
            )
            return
        self.stdout.write(
            "Comptes de démonstration, un par rôle ; chaque rôle découle d'un contrat ou d'une "
            "inscription en cours et d'une fonction.\n"
            "Demo accounts, one per role; each role derives from a contract or registration in "
            "force and a function.\n"
        )
        header = f"  {'identifiant':<15} {'mot de passe':<14} {'rôle(s) aujourd’hui':<40} profil"
        self.stdout.write(header)
        self.stdout.write(f"  {'-' * 15} {'-' * 14} {'-' * 40} {'-' * 40}")
        privileged = []
        for persona in PERSONAS:
            user = users.get(persona.login)
            if user is None:
                shown = "(absent)"
            else:
                roles = sorted(roles_of(user), key=list(Role).index)
                shown = ", ".join(role.label for role in roles) or "aucun : connexion refusée"
                if persona.privileged:
                    privileged.append(persona.login)
            self.stdout.write(
                f"  {persona.login:<15} {DEMO_PASSWORD:<14} {shown:<40} {persona.description}"
            )
        self._totp(users, privileged)

    def _totp(self, users: dict[str, Any], logins: list[str]) -> None:
        devices = {
            d.user.username: d
            for d in TOTPDevice.objects.filter(
                user__username__in=logins, confirmed=True
            ).select_related("user")
        }
        self.stdout.write(
            "\nDouble authentification (TOTP) des comptes privilégiés — ajoutez le secret dans "
            "une application d'authentification, ou saisissez le code ci-dessous.\n"
            "Two-factor authentication (TOTP) of the privileged accounts — add the secret to an "
            "authenticator app, or type the code below.\n"
        )
        self.stdout.write(f"  {'identifiant':<16} {'secret (base32)':<34} code actuel / current")
        self.stdout.write(f"  {'-' * 16} {'-' * 34} {'-' * 21}")
        for login in logins:
            device = devices.get(login)
            if device is None:
                self.stdout.write(f"  {login:<16} {'(aucun appareil TOTP)':<34}")
                continue
            self.stdout.write(f"  {login:<16} {base32_secret(device):<34} {current_code(device)}")
        self.stdout.write(
            "\nUn code vaut 30 secondes et ne sert qu'une fois : `python manage.py demo_logins` "
            "affiche des codes frais à tout moment.\n"
            "A code lasts 30 seconds and works once: `python manage.py demo_logins` prints fresh "
            "codes at any time."
        )
