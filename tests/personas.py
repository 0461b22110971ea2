"""The personas every view is tested against (CONVENTIONS.md: defined once)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cartable.core.permissions import PRIVILEGED_ROLES, Role
from cartable.referential.models import Function, Person, Population, Structure

from .factories import (
    ContractFactory,
    FunctionFactory,
    PersonFactory,
    PopulationFactory,
    StructureFactory,
)

PERSONA_NAMES = (
    "student",
    "teacher",
    "ue_coordinator",
    "programme_head",
    "scolarite",
    "dsin_admin",
    "dpo",
    "security_officer",
    "direction",
    "outsider",
)

_FUNCTIONS = {
    "ue_coordinator": Function.Code.UE_COORDINATOR,
    "programme_head": Function.Code.PROGRAMME_HEAD,
    "scolarite": Function.Code.SCOLARITE,
    "dsin_admin": Function.Code.DSIN_ADMIN,
    "dpo": Function.Code.DPO,
    "security_officer": Function.Code.SECURITY_OFFICER,
    "direction": Function.Code.DIRECTION,
}


@dataclass
class Persona:
    name: str
    person: Person | None
    privileged: bool

    @property
    def user(self) -> Any:
        return self.person.user if self.person else None


def establishment() -> Structure:
    return StructureFactory(code="utbm", name="UTBM", kind=Structure.Kind.ESTABLISHMENT)


def student_population() -> Population:
    return PopulationFactory(code="student", label="Étudiant", kind=Population.Kind.REGISTRATION)


def staff_population(code: str = "staff") -> Population:
    return PopulationFactory(
        code=code, label=code.replace("_", " ").title(), kind=Population.Kind.CONTRACT
    )


def make_persona(name: str) -> Persona:
    """A person whose roles come, like everyone's, from contracts and functions in force."""
    root = establishment()
    dept = StructureFactory(code="info", name="Informatique", parent=root)
    person = PersonFactory(login=f"{name}-persona")
    if name == "outsider":
        # Known to the referential, but with no contract in force: an account without rights.
        return Persona(name, person, privileged=False)
    if name == "student":
        ContractFactory(person=person, population=student_population(), structure=dept)
    elif name in ("teacher", "ue_coordinator", "programme_head"):
        ContractFactory(
            person=person, population=staff_population("teacher_researcher"), structure=dept
        )
    else:
        ContractFactory(person=person, population=staff_population("staff"), structure=root)
    if name in _FUNCTIONS:
        FunctionFactory(person=person, code=_FUNCTIONS[name], structure=root)
    role = Role(name) if name in Role.__members__.values() else None
    return Persona(name, person, privileged=role in PRIVILEGED_ROLES)


def login(client: Client, persona: Persona, *, verified: bool = True) -> Client:
    """Log in; privileged personas also pass the TOTP step unless ``verified`` is False."""
    client.force_login(persona.user)
    if persona.privileged and verified:
        device = TOTPDevice.objects.create(user=persona.user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
