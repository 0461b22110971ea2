"""Named, audited writes of the access module."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from cartable.core import audit
from cartable.core.errors import DomainError

from .models import AccessRule, Delegation, DigitalService, IndividualAuthorisation


def _related(model: Any, field_name: str) -> Any:
    """The model another module's foreign key points to (no import of its models)."""
    return model._meta.get_field(field_name).related_model


def _person_model() -> Any:
    return _related(IndividualAuthorisation, "person")


@transaction.atomic
def do_create_rule(
    service_code: str,
    *,
    label: str,
    start_date: date,
    end_date: date | None = None,
    population_code: str = "",
    group_code: str = "",
    structure_code: str = "",
    include_substructures: bool = True,
    acting_user: Any,
) -> AccessRule:
    """Grant a service to a population, a group or a structure (exactly one of them)."""
    targets = [t for t in (population_code, group_code, structure_code) if t]
    if len(targets) != 1:
        raise DomainError(
            "target",
            "Choisissez exactement une cible : population, groupe ou structure.",
            "Choose exactly one target: population, group or structure.",
        )
    if end_date is not None and end_date < start_date:
        raise DomainError(
            "end_date",
            "La fin doit suivre le début.",
            "The end must come after the start.",
        )
    service = DigitalService.objects.get(code=service_code)
    rule = AccessRule(
        service=service,
        label=label,
        start_date=start_date,
        end_date=end_date,
        include_substructures=include_substructures,
    )
    if population_code:
        rule.population = _related(AccessRule, "population").objects.get(code=population_code)
    if group_code:
        rule.group = _related(AccessRule, "group").objects.get(code=group_code)
    if structure_code:
        rule.structure = _related(AccessRule, "structure").objects.get(code=structure_code)
    rule.save()
    audit.record(
        "access.rule.create",
        actor=acting_user,
        object_type="access_rule",
        object_ref=str(rule.uuid),
        detail={"service": service_code, "label": label, "target": targets[0]},
    )
    return rule


@transaction.atomic
def do_end_rule(rule_uuid: uuid.UUID, end_date: date, *, acting_user: Any) -> AccessRule:
    rule = AccessRule.objects.select_for_update().get(uuid=rule_uuid)
    if end_date < rule.start_date:
        raise DomainError(
            "end_date", "La fin doit suivre le début.", "The end must come after the start."
        )
    rule.end_date = end_date
    rule.save(update_fields=["end_date"])
    audit.record(
        "access.rule.end",
        actor=acting_user,
        object_type="access_rule",
        object_ref=str(rule.uuid),
        detail={"end_date": end_date.isoformat()},
    )
    return rule


@transaction.atomic
def do_grant_authorisation(
    service_code: str,
    person_uuid: uuid.UUID,
    *,
    reason: str,
    approver_uuid: uuid.UUID,
    start_date: date,
    end_date: date,
    acting_user: Any,
) -> IndividualAuthorisation:
    """Grant one person a service, for a stated reason and until an expiry date."""
    if not reason.strip():
        raise DomainError("reason", "Le motif est obligatoire.", "A reason is required.")
    if end_date < start_date:
        raise DomainError(
            "end_date",
            "L'expiration doit suivre le début.",
            "The expiry must come after the start.",
        )
    person_model = _person_model()
    authorisation = IndividualAuthorisation.objects.create(
        service=DigitalService.objects.get(code=service_code),
        person=person_model.objects.get(uuid=person_uuid),
        approver=person_model.objects.get(uuid=approver_uuid),
        reason=reason.strip(),
        start_date=start_date,
        end_date=end_date,
    )
    audit.record(
        "access.authorisation.grant",
        actor=acting_user,
        object_type="authorisation",
        object_ref=str(authorisation.uuid),
        subject=person_uuid,
        detail={"service": service_code, "until": end_date.isoformat()},
    )
    return authorisation


@transaction.atomic
def do_revoke_authorisation(
    authorisation_uuid: uuid.UUID, *, reason: str, acting_user: Any
) -> IndividualAuthorisation:
    authorisation = (
        IndividualAuthorisation.objects.select_for_update()
        .select_related("person", "service")
        .get(uuid=authorisation_uuid)
    )
    if authorisation.revoked_at is not None:
        raise DomainError(
            "authorisation",
            "Cette autorisation est déjà révoquée.",
            "This authorisation is already revoked.",
        )
    authorisation.revoked_at = timezone.now()
    authorisation.revoked_reason = reason
    authorisation.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(
        "access.authorisation.revoke",
        actor=acting_user,
        object_type="authorisation",
        object_ref=str(authorisation.uuid),
        subject=authorisation.person.uuid,
        detail={"service": authorisation.service.code, "reason": reason},
    )
    return authorisation


@transaction.atomic
def do_delegate(
    delegate_uuid: uuid.UUID,
    structure_code: str,
    *,
    start_date: date,
    end_date: date | None = None,
    service_codes: tuple[str, ...] = (),
    acting_user: Any,
) -> Delegation:
    """Let a person administer access for the people of a structure (and below it)."""
    delegation = Delegation.objects.create(
        delegate=_related(Delegation, "delegate").objects.get(uuid=delegate_uuid),
        structure=_related(AccessRule, "structure").objects.get(code=structure_code),
        start_date=start_date,
        end_date=end_date,
    )
    if service_codes:
        delegation.services.set(DigitalService.objects.filter(code__in=service_codes))
    audit.record(
        "access.delegation.create",
        actor=acting_user,
        object_type="delegation",
        object_ref=str(delegation.uuid),
        subject=delegate_uuid,
        detail={"structure": structure_code, "services": list(service_codes)},
    )
    return delegation
