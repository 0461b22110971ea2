"""Whose dossiers a member of staff sees: the scolarité every student's, a programme head the
students registered in the programmes they head; nobody else any (a teacher reads rosters in
the Tableau de bord UE, not dossiers). Only the scolarité enters equivalences, internships and
international experiences; juries are held by the scolarité and the programme's head."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from cartable.catalogue import api as catalogue
from cartable.core.permissions import Role, roles_of
from cartable.enrolment import api as enrolment
from cartable.referential import api as referential

from .models import JuryDecision

STAFF_ROLES = (Role.SCOLARITE, Role.PROGRAMME_HEAD)


def person_model() -> Any:
    """The referential's person model, reached through a foreign key (no import of it)."""
    return JuryDecision._meta.get_field("student").related_model


def person_pk(person_uuid: uuid.UUID) -> int | None:
    pk: int | None = (
        person_model().objects.filter(uuid=person_uuid).values_list("pk", flat=True).first()
    )
    return pk


def headed_programmes(person_uuid: uuid.UUID) -> frozenset[str]:
    """Codes of the programmes a person heads in the current or a later catalogue year (the
    same years as the programme-head role)."""
    codes = (
        person_model()
        .objects.filter(uuid=person_uuid, headed_programmes__year__gte=catalogue.current_year())
        .values_list("headed_programmes__code", flat=True)
    )
    return frozenset(str(code) for code in codes)


@dataclass(frozen=True)
class Scope:
    """What a member of staff may see and do in the dossiers."""

    everyone: bool = False
    programmes: frozenset[str] = frozenset()

    def covers(self, programme: str) -> bool:
        return self.everyone or (bool(programme) and programme in self.programmes)

    @property
    def may_edit_records(self) -> bool:
        """Equivalences, internships and international experiences: the scolarité."""
        return self.everyone

    @property
    def staff(self) -> bool:
        return self.everyone or bool(self.programmes)


NOBODY = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not user.is_authenticated:
        return NOBODY
    roles = roles_of(user)
    if Role.SCOLARITE in roles:
        return Scope(everyone=True)
    me = referential.person_uuid_for_user(user)
    if me is None:
        return NOBODY
    programmes = headed_programmes(me) if Role.PROGRAMME_HEAD in roles else frozenset()
    if Role.TEACHER in roles or Role.PROGRAMME_HEAD in roles:
        # an advisor by delegation sees the dossiers of the programme they advise
        programmes |= enrolment.delegated_programmes(me)
    return Scope(programmes=programmes) if programmes else NOBODY
