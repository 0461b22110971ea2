"""Delegated advisors: a programme's head (or the scolarité) hands the advising of the
programme's students in a campaign to teachers, who then advise them as the head does."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential

from .models import AdvisorDelegation, Campaign
from .queries import campaign_by_code, person_pk

ADVISORS = frozenset({Role.PROGRAMME_HEAD, Role.SCOLARITE})


@dataclass(frozen=True)
class DelegationLine:
    key: uuid.UUID
    programme: str
    advisor_uuid: uuid.UUID
    advisor_name: str
    advisor_email: str


def delegated_programmes(person_uuid: uuid.UUID, campaign: Campaign) -> frozenset[str]:
    """The programmes whose students this person advises in the campaign by delegation."""
    return frozenset(
        AdvisorDelegation.objects.filter(campaign=campaign, advisor__uuid=person_uuid).values_list(
            "programme", flat=True
        )
    )


def has_delegations(person_uuid: uuid.UUID) -> bool:
    """Whether this person advises some programme of some campaign by delegation."""
    return AdvisorDelegation.objects.filter(advisor__uuid=person_uuid).exists()


def is_advisor(user: Any) -> bool:
    """Heads and the scolarité advise; a teacher advises once a programme is delegated to them."""
    roles = roles_of(user)
    if roles & ADVISORS:
        return True
    me = referential.person_uuid_for_user(user)
    return bool(me and Role.TEACHER in roles and has_delegations(me))


def delegations_of(campaign: Campaign, scope: frozenset[str] | None) -> list[DelegationLine]:
    """The delegations of a campaign for the programmes of ``scope`` (None: all)."""
    rows = AdvisorDelegation.objects.filter(campaign=campaign).values_list(
        "uuid", "programme", "advisor__uuid"
    )
    if scope is not None:
        rows = rows.filter(programme__in=scope)
    found = list(rows)
    people = {p.uuid: p for p in referential.summaries({a for _u, _p, a in found})}
    lines = [
        DelegationLine(
            key=key,
            programme=programme,
            advisor_uuid=advisor,
            advisor_name=people[advisor].display_name if advisor in people else str(advisor),
            advisor_email=people[advisor].institutional_email if advisor in people else "",
        )
        for key, programme, advisor in found
    ]
    return sorted(lines, key=lambda line: (line.programme, line.advisor_name))


def _check_scope(programme: str, scope: frozenset[str] | None) -> None:
    if scope is not None and programme not in scope:
        raise DomainError(
            "programme",
            f"Vous ne conseillez pas la formation {programme} dans cette campagne.",
            f"You do not advise programme {programme} in this campaign.",
        )


@transaction.atomic
def do_delegate_advising(
    campaign_code: str,
    programme: str,
    advisor_login: str,
    *,
    scope: frozenset[str] | None,
    granted_by: uuid.UUID | None,
    acting_user: Any,
) -> AdvisorDelegation:
    """Delegate the advising of ``programme``'s students in the campaign to a teacher.
    ``scope``: the programmes the granting person may delegate (None: all, the scolarité)."""
    campaign = campaign_by_code(campaign_code)
    programme = programme.strip()
    _check_scope(programme, scope)
    if not campaign.rules.filter(programme=programme).exists():
        raise DomainError(
            "programme",
            f"La formation {programme} n'a pas de règles dans cette campagne.",
            f"Programme {programme} has no rules in this campaign.",
        )
    login = advisor_login.strip()
    advisor = referential.person_uuid_for_login(login) if login else None
    if advisor is None:
        raise DomainError(
            "advisor",
            f"Aucune personne n'a l'identifiant « {login} ».",
            f"Nobody has the login “{login}”.",
        )
    if not referential.is_teacher(advisor):
        raise DomainError(
            "advisor",
            f"« {login} » n'a pas de contrat d'enseignant·e en cours.",
            f"“{login}” holds no teaching contract in force.",
        )
    if AdvisorDelegation.objects.filter(
        campaign=campaign, programme=programme, advisor__uuid=advisor
    ).exists():
        raise DomainError(
            "advisor",
            f"« {login} » conseille déjà la formation {programme} dans cette campagne.",
            f"“{login}” already advises programme {programme} in this campaign.",
        )
    delegation = AdvisorDelegation.objects.create(
        campaign=campaign,
        programme=programme,
        advisor_id=person_pk(advisor),
        granted_by_id=person_pk(granted_by) if granted_by else None,
    )
    audit.record(
        "enrolment.advising.delegate",
        actor=acting_user,
        object_type="campaign",
        object_ref=campaign.code,
        subject=advisor,
        detail={"programme": programme},
    )
    return delegation


@transaction.atomic
def do_revoke_delegation(
    campaign_code: str,
    delegation_uuid: uuid.UUID,
    *,
    scope: frozenset[str] | None,
    acting_user: Any,
) -> None:
    """End a delegation: the teacher no longer advises that programme in the campaign."""
    campaign = campaign_by_code(campaign_code)
    delegation = (
        AdvisorDelegation.objects.select_related("advisor")
        .filter(campaign=campaign, uuid=delegation_uuid)
        .first()
    )
    if delegation is None:
        raise DomainError("delegation", "Délégation inconnue.", "Unknown delegation.")
    _check_scope(delegation.programme, scope)
    advisor = delegation.advisor.uuid
    programme = delegation.programme
    delegation.delete()
    audit.record(
        "enrolment.advising.revoke",
        actor=acting_user,
        object_type="campaign",
        object_ref=campaign.code,
        subject=advisor,
        detail={"programme": programme},
    )


def campaign_programmes(campaign: Campaign) -> list[str]:
    """The programmes that have rules in the campaign, by code."""
    return sorted(set(campaign.rules.values_list("programme", flat=True)))
