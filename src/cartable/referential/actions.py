"""Named, audited writes of the referential."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from cartable.core import audit
from cartable.core.errors import DomainError

from .models import Contract, Group, GroupMembership, Person


@transaction.atomic
def do_end_contract(reference: str, end_date: date, *, acting_user: Any) -> Contract:
    """End a contract or registration: the rights it carried end with it (grace included)."""
    contract = (
        Contract.objects.select_for_update().select_related("person").get(reference=reference)
    )
    if end_date < contract.start_date:
        raise DomainError(
            "end_date",
            "La date de fin précède le début du contrat.",
            "The end date is before the contract's start.",
        )
    previous = contract.end_date
    contract.end_date = end_date
    contract.save(update_fields=["end_date"])
    audit.record(
        "referential.contract.end",
        actor=acting_user,
        object_type="contract",
        object_ref=reference,
        subject=contract.person.uuid,
        detail={
            "end_date": end_date.isoformat(),
            "previous_end_date": previous.isoformat() if previous else None,
        },
    )
    return contract


@transaction.atomic
def do_provision_account(person: Person, *, acting_user: Any) -> Any:
    """Create (or find) the login account of a person; its password stays unusable (SSO)."""
    if person.user_id:
        return person.user
    if not person.login:
        raise DomainError(
            "login",
            "La personne n'a pas d'identifiant de connexion.",
            "The person has no login.",
        )
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(
        username=person.login,
        defaults={"email": person.institutional_email},
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person.user = user
    person.save(update_fields=["user"])
    audit.record(
        "referential.account.provision",
        actor=acting_user,
        object_type="person",
        object_ref=str(person.uuid),
        subject=person.uuid,
    )
    return user


@transaction.atomic
def do_add_to_group(
    group_code: str,
    person: Person,
    *,
    start_date: date,
    end_date: date | None = None,
    acting_user: Any,
) -> GroupMembership:
    group = Group.objects.get(code=group_code)
    if group.kind != Group.Kind.STATIC:
        raise DomainError(
            "group",
            "Les membres d'un groupe calculé ne s'ajoutent pas à la main.",
            "Members of a rule-based group cannot be added by hand.",
        )
    membership, _ = GroupMembership.objects.get_or_create(
        group=group, person=person, start_date=start_date, defaults={"end_date": end_date}
    )
    audit.record(
        "referential.group.add_member",
        actor=acting_user,
        object_type="group",
        object_ref=group_code,
        subject=person.uuid,
    )
    return membership
