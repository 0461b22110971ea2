"""Named, audited writes of the Tableau de bord UE and of the yearly cycle.

Every write is atomic and journaled with the changed fields, before and after. Who may do what,
and in which status, is decided by :mod:`cartable.catalogue.rules`; the journal entries of an
offer (``object_type="offer"``, ``object_ref`` its UUID) are its status history.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q
from django.utils import timezone

from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.core.permissions import Role, roles_of
from cartable.referential import api as referential

from . import rules
from .models import (
    CompetencyContribution,
    ConstituentElement,
    Offer,
    OfferProgramme,
    Prerequisite,
    Programme,
    Software,
    SoftwareNeed,
    TeachingAssignment,
    Track,
)
from .rules import Permission, SoftwareChoice, Standing

OBJECT_TYPE = "offer"


def _person_model() -> Any:
    """The referential's person model, reached through a foreign key (no import of it)."""
    return TeachingAssignment._meta.get_field("person").related_model


def standing(offer: Offer, user: Any) -> Standing:
    """How ``user`` stands towards ``offer`` (``None`` is the system: commands and jobs)."""
    if user is None:
        return rules.SYSTEM
    scolarite = Role.SCOLARITE in roles_of(user)
    person_uuid = referential.person_uuid_for_user(user)
    if person_uuid is None:
        return Standing(scolarite=scolarite)
    responsible = offer.responsible is not None and offer.responsible.uuid == person_uuid
    return Standing(
        responsible=responsible,
        team_member=offer.team.filter(person__uuid=person_uuid).exists(),
        programme_head=offer.programme_links.filter(programme__head__uuid=person_uuid).exists(),
        scolarite=scolarite,
    )


def _unknown_offer() -> DomainError:
    return DomainError("offer", "Offre inconnue.", "Unknown offer.")


def _locked(offer_uuid: uuid.UUID) -> Offer:
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("ue", "responsible")
        .filter(uuid=offer_uuid)
        .first()
    )
    if offer is None:
        raise _unknown_offer()
    return offer


def _checked(offer_uuid: uuid.UUID, permission: Permission, acting_user: Any) -> Offer:
    offer = _locked(offer_uuid)
    rules.check(permission, offer.status, standing(offer, acting_user))
    return offer


def _journal(
    action: str,
    offer: Offer,
    acting_user: Any,
    detail: dict[str, Any],
    *,
    subject: uuid.UUID | None = None,
) -> None:
    audit.record(
        action,
        actor=acting_user,
        object_type=OBJECT_TYPE,
        object_ref=str(offer.uuid),
        subject=subject,
        detail={"ue": offer.ue.code, "year": offer.year, "version": offer.version, **detail},
    )


def _require_scolarite(acting_user: Any) -> None:
    if acting_user is not None and Role.SCOLARITE not in roles_of(acting_user):
        raise DomainError(
            "year",
            "Le cycle annuel du catalogue est réservé à la scolarité.",
            "The catalogue's yearly cycle is reserved to the scolarité.",
        )


# --- editing a draft ---------------------------------------------------------------------


def _update_fields(
    offer: Offer, cleaned: dict[str, Any], action: str, acting_user: Any
) -> dict[str, dict[str, Any]]:
    before = {field: getattr(offer, field) for field in cleaned}
    changed = rules.changes(before, cleaned)
    if changed:
        for field in changed:
            setattr(offer, field, cleaned[field])
        offer.save(update_fields=[*changed, "search_text", "title_folded", "updated_at"])
        _journal(action, offer, acting_user, {"changes": changed})
    return changed


@transaction.atomic
def do_update_syllabus(
    offer_uuid: uuid.UUID, values: Mapping[str, Any], *, acting_user: Any
) -> dict[str, dict[str, Any]]:
    """Change titles, syllabus (French and English) and credits of a draft; returns the changes."""
    offer = _checked(offer_uuid, Permission.EDIT_SYLLABUS, acting_user)
    cleaned = rules.clean_syllabus(values)
    return _update_fields(offer, cleaned, "catalogue.offer.update_syllabus", acting_user)


@transaction.atomic
def do_update_timetable_needs(
    offer_uuid: uuid.UUID, values: Mapping[str, Any], *, acting_user: Any
) -> dict[str, dict[str, Any]]:
    """Change the groups, hours, room needs and capacity that prepare the timetable."""
    offer = _checked(offer_uuid, Permission.EDIT_NEEDS, acting_user)
    cleaned = rules.clean_needs(values)
    return _update_fields(offer, cleaned, "catalogue.offer.update_timetable_needs", acting_user)


def _software_rows(needs: Sequence[SoftwareChoice]) -> list[dict[str, str]]:
    return sorted(
        ({"software": n.software_code, "mode": n.mode, "note": n.note} for n in needs),
        key=lambda row: row["software"],
    )


@transaction.atomic
def do_set_software_needs(
    offer_uuid: uuid.UUID, needs: Sequence[SoftwareChoice], *, acting_user: Any
) -> bool:
    """Replace the software an offer needs; returns whether anything changed."""
    offer = _checked(offer_uuid, Permission.EDIT_NEEDS, acting_user)
    wanted = {n.software_code.strip() for n in needs}
    software = {s.code: s for s in Software.objects.filter(code__in=wanted)}
    cleaned = rules.clean_software_needs(list(needs), set(software), set(SoftwareNeed.Mode.values))
    existing = offer.software_needs.select_related("software")
    before = _software_rows([SoftwareChoice(n.software.code, n.mode, n.note) for n in existing])
    after = _software_rows(cleaned)
    if before == after:
        return False
    offer.software_needs.all().delete()
    SoftwareNeed.objects.bulk_create(
        SoftwareNeed(offer=offer, software=software[n.software_code], mode=n.mode, note=n.note)
        for n in cleaned
    )
    _journal(
        "catalogue.offer.set_software_needs",
        offer,
        acting_user,
        {"changes": {"software_needs": {"before": before, "after": after}}},
    )
    return True


def find_person(identifier: str | uuid.UUID) -> Any:
    """The person whose UUID, login, eduPersonPrincipalName or e-mail is ``identifier``."""
    people = _person_model().objects
    if isinstance(identifier, uuid.UUID):
        found = people.filter(uuid=identifier).first()
    else:
        text = identifier.strip()
        try:
            found = people.filter(uuid=uuid.UUID(text)).first()
        except ValueError:
            # Exactly, not through the name search: it stops at a few people, and many may
            # bear a name that contains the login.
            matches = list(
                people.filter(
                    Q(login__iexact=text)
                    | Q(eppn__iexact=text)
                    | Q(institutional_email__iexact=text)
                )[:2]
            )
            found = matches[0] if text and len(matches) == 1 else None
    if found is None:
        raise rules.field_error(
            "person",
            "aucune personne n'a cet identifiant.",
            "no person has this identifier.",
        )
    return found


def _member_row(assignment: TeachingAssignment) -> dict[str, Any]:
    return {
        "person": str(assignment.person.uuid),
        "login": assignment.person.login or "",
        "activity": assignment.activity,
        "hours": str(assignment.hours),
    }


@transaction.atomic
def do_add_team_member(
    offer_uuid: uuid.UUID,
    person: str | uuid.UUID,
    *,
    activity: str = TeachingAssignment.Activity.ALL,
    hours: Any = 0,
    acting_user: Any,
) -> TeachingAssignment:
    """Add a person (UUID, login, eduPersonPrincipalName or e-mail) to the teaching team."""
    offer = _checked(offer_uuid, Permission.MANAGE_TEAM, acting_user)
    member = find_person(person)
    if activity not in TeachingAssignment.Activity.values:
        raise rules.field_error("activity", "choisissez une activité.", "choose an activity.")
    planned = rules.clean_team_hours(hours)
    if offer.team.filter(person=member, activity=activity).exists():
        raise rules.field_error(
            "person",
            "cette personne fait déjà partie de l'équipe pour cette activité.",
            "this person is already in the team for this activity.",
        )
    assignment = TeachingAssignment.objects.create(
        offer=offer, person=member, activity=activity, hours=planned
    )
    _journal(
        "catalogue.offer.add_team_member",
        offer,
        acting_user,
        {"changes": {"team": {"before": None, "after": _member_row(assignment)}}},
        subject=member.uuid,
    )
    return assignment


@transaction.atomic
def do_remove_team_member(
    offer_uuid: uuid.UUID,
    person_uuid: uuid.UUID,
    *,
    activity: str = "",
    acting_user: Any,
) -> int:
    """Remove a person from the team (for one activity, or for all); returns how many rows."""
    offer = _checked(offer_uuid, Permission.MANAGE_TEAM, acting_user)
    assignments = offer.team.filter(person__uuid=person_uuid).select_related("person")
    if activity:
        assignments = assignments.filter(activity=activity)
    removed = list(assignments)
    if not removed:
        raise rules.field_error(
            "person",
            "cette personne ne fait pas partie de l'équipe.",
            "this person is not in the team.",
        )
    rows = [_member_row(a) for a in removed]
    TeachingAssignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
    _journal(
        "catalogue.offer.remove_team_member",
        offer,
        acting_user,
        {"changes": {"team": {"before": rows, "after": None}}},
        subject=person_uuid,
    )
    return len(removed)


# --- the workflow ------------------------------------------------------------------------


def _set_status(offer: Offer, status: str, **extra: Any) -> dict[str, Any]:
    change = {"status": {"before": offer.status, "after": status}}
    offer.status = status
    for field, value in extra.items():
        setattr(offer, field, value)
    offer.save(update_fields=["status", *extra, "updated_at"])
    return change


@transaction.atomic
def do_submit_for_review(offer_uuid: uuid.UUID, *, acting_user: Any) -> Offer:
    offer = _checked(offer_uuid, Permission.SUBMIT, acting_user)
    rules.check_ready_for_review(
        {"title": offer.title, "objectives": offer.objectives, "content": offer.content}
    )
    change = _set_status(offer, Offer.Status.IN_REVIEW)
    _journal("catalogue.offer.submit", offer, acting_user, {"changes": change})
    return offer


def _submitted_by(offer: Offer, user: Any) -> bool:
    """Whether ``user`` is who last submitted this offer for review (read from the journal)."""
    if user is None:
        return False
    submitter = audit.last_actor(OBJECT_TYPE, str(offer.uuid), "catalogue.offer.submit")
    return submitter is not None and submitter == user.pk


def _archive_published(offer: Offer, acting_user: Any) -> Offer | None:
    previous = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("ue")
        .filter(ue_id=offer.ue_id, year=offer.year, status=Offer.Status.PUBLISHED)
        .exclude(pk=offer.pk)
        .first()
    )
    if previous is not None:
        change = _set_status(previous, Offer.Status.ARCHIVED)
        _journal(
            "catalogue.offer.archive",
            previous,
            acting_user,
            {"changes": change, "replaced_by": str(offer.uuid)},
        )
    return previous


@transaction.atomic
def do_publish_offer(offer_uuid: uuid.UUID, *, acting_user: Any) -> Offer:
    """Publish a reviewed offer; the version it replaces (same UE and year) is archived."""
    offer = _checked(offer_uuid, Permission.PUBLISH, acting_user)
    rules.check_second_reader(
        standing(offer, acting_user), submitted_by_publisher=_submitted_by(offer, acting_user)
    )
    previous = _archive_published(offer, acting_user)
    change = _set_status(offer, Offer.Status.PUBLISHED, published_at=timezone.now())
    detail: dict[str, Any] = {"changes": change}
    if previous is not None:
        detail["replaces"] = str(previous.uuid)
    _journal("catalogue.offer.publish", offer, acting_user, detail)
    return offer


@transaction.atomic
def do_return_to_draft(offer_uuid: uuid.UUID, comment: str, *, acting_user: Any) -> Offer:
    """Send an offer in review back to its authors, saying why."""
    offer = _checked(offer_uuid, Permission.RETURN_TO_DRAFT, acting_user)
    text = rules.clean_comment(comment)
    change = _set_status(offer, Offer.Status.DRAFT)
    _journal(
        "catalogue.offer.return_to_draft",
        offer,
        acting_user,
        {"changes": change, "comment": text},
    )
    return offer


# --- copies: new versions and new years --------------------------------------------------

#: Fields an offer copy does not take from its source.
_NOT_COPIED = {"id", "uuid", "year", "version", "status", "supersedes", "published_at"}
#: Rows that belong to an offer and follow it into a copy.
_RELATED: tuple[tuple[str, type[models.Model]], ...] = (
    ("programme_links", OfferProgramme),
    ("team_members", TeachingAssignment),
    ("elements", ConstituentElement),
    ("prerequisites", Prerequisite),
    ("software_needs", SoftwareNeed),
    ("contributions", CompetencyContribution),
)


def _clone(source: Offer, **values: Any) -> Offer:
    copied = {
        f.attname: getattr(source, f.attname)
        for f in Offer._meta.concrete_fields
        if f.name not in _NOT_COPIED
    }
    return Offer(**{**copied, **values})


def _copy_rows(
    model: type[models.Model], clones: Mapping[int, Offer], programmes: Mapping[int, int] | None
) -> int:
    """Copy ``model``'s rows of each source offer to its clone (mapping programmes if asked)."""
    fields = [
        f.attname for f in model._meta.concrete_fields if f.name not in ("id", "offer", "uuid")
    ]
    copies = []
    source_rows = (
        model._default_manager.filter(offer_id__in=list(clones))
        .order_by("pk")
        .values("offer_id", *fields)
    )
    for row in source_rows.iterator(chunk_size=2000):
        values = {f: row[f] for f in fields}
        if programmes is not None and "programme_id" in values:
            if values["programme_id"] not in programmes:
                continue
            values["programme_id"] = programmes[values["programme_id"]]
        copies.append(model(offer=clones[row["offer_id"]], **values))
    model._default_manager.bulk_create(copies, batch_size=500)
    return len(copies)


def _copy_related(
    clones: Mapping[int, Offer], programmes: Mapping[int, int] | None = None
) -> dict[str, int]:
    return {name: _copy_rows(model, clones, programmes) for name, model in _RELATED}


@transaction.atomic
def do_new_version(offer_uuid: uuid.UUID, *, acting_user: Any) -> Offer:
    """A draft copy of a published offer, with every row that belongs to it (version + 1)."""
    offer = _checked(offer_uuid, Permission.NEW_VERSION, acting_user)
    pending = (
        Offer.objects.filter(ue_id=offer.ue_id, year=offer.year)
        .filter(status__in=[Offer.Status.DRAFT, Offer.Status.IN_REVIEW])
        .first()
    )
    if pending is not None:
        raise DomainError(
            "offer",
            f"La version {pending.version} de cette offre est déjà en préparation.",
            f"Version {pending.version} of this offer is already being prepared.",
        )
    latest = Offer.objects.filter(ue_id=offer.ue_id, year=offer.year).aggregate(v=Max("version"))
    draft = _clone(
        offer,
        year=offer.year,
        version=(latest["v"] or 0) + 1,
        status=Offer.Status.DRAFT,
        supersedes=offer,
    )
    draft.save()
    copied = _copy_related({offer.pk: draft})
    _journal(
        "catalogue.offer.new_version",
        draft,
        acting_user,
        {
            "changes": {"version": {"before": offer.version, "after": draft.version}},
            "from": str(offer.uuid),
            "copied": copied,
        },
    )
    return draft


@dataclass(frozen=True)
class YearCopy:
    """What copying a catalogue year did."""

    source_year: int
    target_year: int
    offers_copied: int = 0
    offers_skipped: int = 0
    programmes_created: int = 0
    programmes_existing: int = 0
    tracks: int = 0
    programme_links: int = 0
    team_members: int = 0
    elements: int = 0
    prerequisites: int = 0
    software_needs: int = 0
    contributions: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def _copy_programmes(source_year: int, target_year: int) -> tuple[dict[int, int], int, int, int]:
    """Target-year programmes for each source-year one: ``(map, created, existing, tracks)``."""
    sources = list(Programme.objects.filter(year=source_year).order_by("code"))
    existing = {p.code: p for p in Programme.objects.filter(year=target_year)}
    fields = [f.attname for f in Programme._meta.concrete_fields if f.name not in ("id", "year")]
    missing = [p for p in sources if p.code not in existing]
    created = Programme.objects.bulk_create(
        Programme(year=target_year, **{f: getattr(p, f) for f in fields}) for p in missing
    )
    targets = {**existing, **{p.code: p for p in created}}
    by_source = {p.pk: targets[p.code].pk for p in sources}
    new_ids = {p.pk: targets[p.code].pk for p in missing}
    tracks = Track.objects.bulk_create(
        Track(programme_id=new_ids[t.programme_id], code=t.code, title=t.title, title_en=t.title_en)
        for t in Track.objects.filter(programme_id__in=list(new_ids)).order_by("pk")
    )
    return by_source, len(created), len(sources) - len(missing), len(tracks)


def current_offers(year: int, exclude_ue_ids: set[int] | None = None) -> list[Offer]:
    """The current offer of each UE in ``year``: the published one, else the latest version."""
    chosen: dict[int, Offer] = {}
    offers = Offer.objects.filter(year=year).select_related("ue").order_by("ue_id", "-version")
    for offer in offers.iterator(chunk_size=2000):
        if exclude_ue_ids and offer.ue_id in exclude_ue_ids:
            continue
        held = chosen.get(offer.ue_id)
        if held is None or (
            offer.status == Offer.Status.PUBLISHED and held.status != Offer.Status.PUBLISHED
        ):
            chosen[offer.ue_id] = offer
    return list(chosen.values())


@transaction.atomic
def do_copy_year(source_year: int, target_year: int, *, acting_user: Any) -> YearCopy:
    """Copy a catalogue year into the next: programmes (when missing) and, for each UE without
    an offer in ``target_year``, its current offer as a version 1 draft with all its rows.

    Running it again copies nothing (idempotent)."""
    _require_scolarite(acting_user)
    rules.check_copy_years(source_year, target_year)
    programme_map, created, existing, tracks = _copy_programmes(source_year, target_year)
    taken = set(Offer.objects.filter(year=target_year).values_list("ue_id", flat=True))
    skipped = len(
        set(Offer.objects.filter(year=source_year).values_list("ue_id", flat=True)) & taken
    )
    sources = current_offers(source_year, exclude_ue_ids=taken)
    new_offers = Offer.objects.bulk_create(
        (
            _clone(o, year=target_year, version=1, status=Offer.Status.DRAFT, supersedes=None)
            for o in sources
        ),
        batch_size=500,
    )
    clones = {source.pk: clone for source, clone in zip(sources, new_offers, strict=True)}
    copied = _copy_related(clones, programme_map)
    for source, clone in zip(sources, new_offers, strict=True):
        clone.ue = source.ue
        _journal(
            "catalogue.offer.copy_year",
            clone,
            acting_user,
            {"from": str(source.uuid), "from_year": source_year, "from_version": source.version},
        )
    result = YearCopy(
        source_year=source_year,
        target_year=target_year,
        offers_copied=len(new_offers),
        offers_skipped=skipped,
        programmes_created=created,
        programmes_existing=existing,
        tracks=tracks,
        **copied,
    )
    audit.record(
        "catalogue.year.copy",
        actor=acting_user,
        object_type="catalogue_year",
        object_ref=str(target_year),
        detail=result.as_dict(),
    )
    return result


@dataclass(frozen=True)
class YearPublication:
    year: int
    published: int = 0
    archived: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


@transaction.atomic
def do_publish_year(year: int, *, only_reviewed: bool = True, acting_user: Any) -> YearPublication:
    """Publish every offer in review of a year (and the drafts too unless ``only_reviewed``);
    each replaces, and archives, the version of its UE published before."""
    _require_scolarite(acting_user)
    statuses = (
        [Offer.Status.IN_REVIEW]
        if only_reviewed
        else [
            Offer.Status.IN_REVIEW,
            Offer.Status.DRAFT,
        ]
    )
    chosen: dict[int, Offer] = {}
    candidates = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("ue")
        .filter(year=year, status__in=statuses)
        .order_by("ue_id", "-version")
    )
    for offer in candidates:
        chosen.setdefault(offer.ue_id, offer)
    if not chosen:
        return YearPublication(year=year)
    now = timezone.now()
    previous = list(
        Offer.objects.select_for_update(of=("self",))
        .select_related("ue")
        .filter(year=year, status=Offer.Status.PUBLISHED, ue_id__in=list(chosen))
    )
    Offer.objects.filter(pk__in=[p.pk for p in previous]).update(
        status=Offer.Status.ARCHIVED, updated_at=now
    )
    Offer.objects.filter(pk__in=[o.pk for o in chosen.values()]).update(
        status=Offer.Status.PUBLISHED, published_at=now, updated_at=now
    )
    replaced = {p.ue_id: p for p in previous}
    for old in previous:
        archived: dict[str, Any] = {
            "changes": {"status": {"before": old.status, "after": Offer.Status.ARCHIVED}},
            "replaced_by": str(chosen[old.ue_id].uuid),
        }
        _journal("catalogue.offer.archive", old, acting_user, archived)
    for offer in chosen.values():
        published: dict[str, Any] = {
            "changes": {"status": {"before": offer.status, "after": Offer.Status.PUBLISHED}},
            "year_publication": True,
        }
        if offer.ue_id in replaced:
            published["replaces"] = str(replaced[offer.ue_id].uuid)
        _journal("catalogue.offer.publish", offer, acting_user, published)
    result = YearPublication(year=year, published=len(chosen), archived=len(previous))
    audit.record(
        "catalogue.year.publish",
        actor=acting_user,
        object_type="catalogue_year",
        object_ref=str(year),
        detail={**result.as_dict(), "only_reviewed": only_reviewed},
    )
    return result
