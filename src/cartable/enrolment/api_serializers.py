"""Shapes of the enrolment API (documented in the OpenAPI schema) and the dicts that fill them."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.urls import reverse
from rest_framework import serializers

from cartable.catalogue.data import EnrolmentOffer, OfferSummary
from cartable.timetable import api as timetable
from cartable.timetable.data import TimetableLine

from .data import EnrolledStudent
from .models import Campaign
from .queries import CampaignLine, SemesterView
from .rules import Refusal

# --- requests --------------------------------------------------------------------------------


class UERequestSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField(
        max_length=20, help_text="Code de l'UE, par exemple LO41 / UE code, e.g. LO41"
    )


# --- errors ----------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer[Any]):
    """Bad input, or an operation a rule forbids: the field concerned and why, in French and
    English."""

    field = serializers.CharField()
    message_fr = serializers.CharField()
    message_en = serializers.CharField()


class RefusalSerializer(serializers.Serializer[Any]):
    cause = serializers.CharField(
        help_text="outside_dates, not_offered, already_chosen, already_passed, prerequisite, "
        "full, timetable, credits, max_ues, category, waiting"
    )
    message_fr = serializers.CharField()
    message_en = serializers.CharField()
    ue_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="UE en cause : prérequis manquants, UE en conflit… / UEs concerned",
    )


class OutcomeSerializer(serializers.Serializer[Any]):
    """What became of a choice: accepted (201), or every refusal (409)."""

    ue = serializers.CharField()
    accepted = serializers.BooleanField()
    refusals = RefusalSerializer(many=True)
    can_join_waitlist = serializers.BooleanField(
        help_text="La seule raison est que l'UE est complète / the UE being full is the only reason"
    )


class WaitlistPlaceSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField()
    position = serializers.IntegerField(help_text="1 : premier·e / 1: first in line")


# --- campaigns and the semester --------------------------------------------------------------


class CampaignSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    year = serializers.IntegerField(help_text="Année du catalogue / catalogue year")
    semester = serializers.CharField(help_text="A (automne) ou P (printemps)")
    phase = serializers.ChoiceField(choices=Campaign.Phase.choices)
    opens_at = serializers.DateTimeField()
    advising_from = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    claim_hours = serializers.IntegerField(
        help_text="0 : une place libérée va aussitôt au premier de la liste d'attente ; "
        "sinon elle lui est réservée ce nombre d'heures / 0: a freed place goes at once to "
        "the first in line; otherwise it is kept for them that many hours"
    )
    semester_url = serializers.CharField()


class CampaignLineSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    year = serializers.IntegerField(help_text="Année du catalogue / catalogue year")
    semester = serializers.CharField(help_text="A (automne) ou P (printemps)")
    phase = serializers.ChoiceField(choices=Campaign.Phase.choices)
    opens_at = serializers.DateTimeField()
    advising_from = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    status = serializers.CharField(
        help_text="Mon semestre : open, validated, ou vide s'il n'est pas commencé / my "
        "semester: open, validated, or empty when not started"
    )
    chosen = serializers.IntegerField(help_text="UE choisies / UEs chosen")
    semester_url = serializers.CharField()


class UESerializer(serializers.Serializer[Any]):
    ue = serializers.CharField()
    title = serializers.CharField()
    title_en = serializers.CharField()
    credits = serializers.DecimalField(max_digits=4, decimal_places=1)
    category = serializers.CharField(help_text="Catégorie dans ma formation / category")
    campus = serializers.CharField()


class OpenUESerializer(UESerializer):
    chosen = serializers.BooleanField()
    free_seats = serializers.IntegerField(allow_null=True, help_text="null : sans limite")


class FindingSerializer(serializers.Serializer[Any]):
    ok = serializers.BooleanField()
    message_fr = serializers.CharField()
    message_en = serializers.CharField()


class WaitlistSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField()
    position = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["waiting", "offered"])
    offered_until = serializers.DateTimeField(
        allow_null=True, help_text="Place réservée jusqu'à / place kept until"
    )


class TimetableSlotSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField()
    activity_kind = serializers.CharField(help_text="CM, TD, TP…")
    group = serializers.CharField()
    day = serializers.IntegerField(help_text="0 : lundi / 0: Monday")
    start = serializers.TimeField()
    end = serializers.TimeField()
    weeks = serializers.CharField()
    room = serializers.CharField()
    dates = serializers.ListField(child=serializers.DateField())


class TimetableSerializer(serializers.Serializer[Any]):
    compatible = serializers.BooleanField()
    clashing = serializers.ListField(
        child=serializers.CharField(), help_text="UE qui ne peuvent aller ensemble"
    )
    slots = TimetableSlotSerializer(many=True, help_text="Un emploi du temps valide")


class SemesterSerializer(serializers.Serializer[Any]):
    campaign = CampaignSerializer()
    programme = serializers.CharField()
    status = serializers.CharField(help_text="open, validated")
    validated_at = serializers.DateTimeField(allow_null=True)
    credits = serializers.DecimalField(max_digits=5, decimal_places=1)
    chosen = UESerializer(many=True)
    findings = FindingSerializer(many=True)
    waitlists = WaitlistSerializer(many=True)
    open_ues = OpenUESerializer(many=True)
    timetable = TimetableSerializer()


# --- staff: enrolment lists ------------------------------------------------------------------


class OfferSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    ue = serializers.CharField()
    year = serializers.IntegerField()
    title = serializers.CharField()
    title_en = serializers.CharField()


class EnrolledStudentSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    student_number = serializers.CharField()
    institutional_email = serializers.CharField()
    programme = serializers.CharField()
    study_level = serializers.CharField()
    group = serializers.CharField(
        help_text="Groupe de l'étudiant·e (vide tant que la répartition en groupes "
        "n'existe pas) / group (empty until students are divided into groups)"
    )


class EnrolmentListSerializer(serializers.Serializer[Any]):
    offer = OfferSerializer()
    count = serializers.IntegerField()
    students = EnrolledStudentSerializer(many=True)


# --- dicts -----------------------------------------------------------------------------------


def campaign_dict(campaign: Campaign, phase: str) -> dict[str, Any]:
    return {
        "code": campaign.code,
        "title": campaign.title,
        "title_en": campaign.title_en,
        "year": campaign.year,
        "semester": campaign.semester,
        "phase": phase,
        "opens_at": campaign.opens_at,
        "advising_from": campaign.advising_from,
        "closes_at": campaign.closes_at,
        "claim_hours": campaign.claim_hours,
        "semester_url": reverse("api-enrolment-semester", args=[campaign.code]),
    }


def campaign_line_dict(line: CampaignLine) -> dict[str, Any]:
    return {
        **{f.name: getattr(line, f.name) for f in fields(line)},
        "semester_url": reverse("api-enrolment-semester", args=[line.code]),
    }


def refusal_dict(refusal: Refusal) -> dict[str, Any]:
    return refusal.as_dict()


def ue_dict(offer: EnrolmentOffer) -> dict[str, Any]:
    return {
        "ue": offer.ue_code,
        "title": offer.title,
        "title_en": offer.title_en,
        "credits": offer.credits,
        "category": offer.category,
        "campus": offer.campus_code,
    }


def _slot_dict(line: TimetableLine) -> dict[str, Any]:
    return {
        "ue": line.ue_code,
        "activity_kind": line.activity_kind,
        "group": line.group_code,
        "day": line.day,
        "start": line.start,
        "end": line.end,
        "weeks": line.weeks,
        "room": line.room,
        "dates": list(line.dates),
    }


def semester_dict(view: SemesterView) -> dict[str, Any]:
    campaign = view.campaign
    compatibility = view.compatibility
    keys = [p.group.key for p in compatibility.placements]
    lines = timetable.timetable_lines(keys, campaign.year, campaign.semester) if keys else []
    return {
        "campaign": campaign_dict(campaign, view.phase),
        "programme": view.programme,
        "status": view.status,
        "validated_at": view.validated_at,
        "credits": view.credits,
        "chosen": [ue_dict(o) for o in view.chosen],
        "findings": [
            {"ok": f.ok, "message_fr": f.message_fr, "message_en": f.message_en}
            for f in view.findings
        ],
        "waitlists": [
            {
                "ue": u.offer.ue_code,
                "position": u.waiting_position,
                "status": "offered" if u.offered_until else "waiting",
                "offered_until": u.offered_until,
            }
            for u in view.open_ues
            if u.waiting_position is not None
        ],
        "open_ues": [
            {
                **ue_dict(u.offer),
                "chosen": u.chosen,
                "free_seats": u.free_seats,
            }
            for u in view.open_ues
        ],
        "timetable": {
            "compatible": compatibility.compatible,
            "clashing": list(compatibility.clashing),
            "slots": [_slot_dict(line) for line in lines],
        },
    }


def enrolment_list_dict(offer: OfferSummary, students: list[EnrolledStudent]) -> dict[str, Any]:
    return {
        "offer": {
            "uuid": offer.uuid,
            "ue": offer.ue_code,
            "year": offer.year,
            "title": offer.title,
            "title_en": offer.title_en,
        },
        "count": len(students),
        "students": [
            {
                "uuid": s.uuid,
                "last_name": s.last_name,
                "first_name": s.first_name,
                "student_number": s.student_number,
                "institutional_email": s.institutional_email,
                "programme": s.programme,
                "study_level": s.study_level,
                "group": "",
            }
            for s in students
        ],
    }
