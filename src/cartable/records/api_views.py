"""REST endpoints of the Dossier étudiant: a student reads their own record and timetable."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartable.core.permissions import HasRole, Role
from cartable.referential import api as referential

from . import queries
from .models import Equivalence, InternationalExperience, Internship


def _credits(**options: Any) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=5, decimal_places=1, **options)


class RecordRegistrationSerializer(serializers.Serializer[Any]):
    reference = serializers.CharField()
    programme = serializers.CharField(help_text="Code de la formation / programme code")
    population = serializers.CharField(source="population_code")
    population_label = serializers.CharField()
    study_level = serializers.CharField(help_text="Niveau (ING2…) / level")
    campus = serializers.CharField(source="campus_code")
    structure = serializers.CharField(source="structure_name")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)


class RecordResultSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField(source="ue_code", help_text="Code de l'UE / UE code")
    title = serializers.CharField()
    title_en = serializers.CharField()
    category = serializers.CharField(help_text="Catégorie (CS, TM…) / category")
    credits = _credits()
    grade = serializers.CharField(
        help_text="A–E validée, FX/F non validée, ABS absence, vide : en attente "
        "/ A–E passed, FX/F failed, ABS absent, empty: pending"
    )
    credits_earned = _credits()


class RecordDecisionSerializer(serializers.Serializer[Any]):
    jury = serializers.CharField(source="jury_title")
    date = serializers.DateField(source="jury_date")
    kind = serializers.CharField(help_text="Code de la décision / decision code")
    label = serializers.CharField()  # type: ignore[assignment]
    label_en = serializers.CharField()
    comment = serializers.CharField()


class RecordSemesterSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField(help_text="Année du catalogue / catalogue year")
    semester = serializers.CharField(help_text="A (automne) ou P (printemps)")
    results = RecordResultSerializer(many=True)
    credits = _credits()
    credits_earned = _credits(source="earned")
    decision = RecordDecisionSerializer(allow_null=True, help_text="Décision publiée / published")


class RecordEquivalenceSerializer(serializers.ModelSerializer[Equivalence]):
    class Meta:
        model = Equivalence
        fields = [
            "uuid",
            "origin",
            "institution",
            "country",
            "category",
            "credits",
            "status",
            "decided_at",
        ]


class RecordInternshipSerializer(serializers.ModelSerializer[Internship]):
    class Meta:
        model = Internship
        fields = [
            "uuid",
            "kind",
            "company",
            "city",
            "country",
            "start_date",
            "end_date",
            "weeks",
            "status",
        ]


class RecordExperienceSerializer(serializers.ModelSerializer[InternationalExperience]):
    class Meta:
        model = InternationalExperience
        fields = [
            "uuid",
            "kind",
            "partner",
            "country",
            "start_date",
            "end_date",
            "credits_recognised",
        ]


class RecordCategoryCreditsSerializer(serializers.Serializer[Any]):
    category = serializers.CharField()
    from_ues = _credits()
    from_equivalences = _credits()
    total = _credits()


class RecordRequirementSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    label_en = serializers.CharField()
    categories = serializers.ListField(child=serializers.CharField())
    required_credits = _credits(source="required")
    earned_credits = _credits(source="earned")
    missing_credits = _credits(source="missing")
    met = serializers.BooleanField()


class RecordSynthesisSerializer(serializers.Serializer[Any]):
    catalogue_year = serializers.IntegerField(allow_null=True)
    by_category = RecordCategoryCreditsSerializer(many=True)
    requirements = RecordRequirementSerializer(many=True, source="checks")
    from_ues = _credits()
    from_equivalences = _credits()
    total = _credits()
    complete = serializers.BooleanField()


class StudentRecordSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField(source="student.uuid")
    name = serializers.CharField(source="student.display_name")
    student_number = serializers.CharField(source="student.student_number")
    registration = RecordRegistrationSerializer(allow_null=True)
    semesters = RecordSemesterSerializer(many=True)
    equivalences = RecordEquivalenceSerializer(many=True)
    internships = RecordInternshipSerializer(many=True)
    international_experiences = RecordExperienceSerializer(many=True, source="experiences")
    synthesis = RecordSynthesisSerializer()


class RecordTimetableLineSerializer(serializers.Serializer[Any]):
    ue = serializers.CharField(source="ue_code")
    activity = serializers.CharField(source="activity_kind", help_text="CM, TD, TP, PRJ")
    group = serializers.CharField(source="group_code")
    day = serializers.IntegerField(help_text="0 = lundi / Monday")
    start = serializers.TimeField()
    end = serializers.TimeField()
    room = serializers.CharField()
    dates = serializers.ListField(child=serializers.DateField())


class RecordTimetableSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    semester = serializers.CharField()
    ues = serializers.ListField(child=serializers.CharField(), source="ue_codes")
    compatible = serializers.BooleanField()
    lines = RecordTimetableLineSerializer(many=True)


STUDENTS = [HasRole.of(Role.STUDENT)]


def _not_found() -> Response:
    return Response({"detail": "Aucune fiche / no person record"}, status=404)


class MyRecord(APIView):
    """My Dossier étudiant (published grades and jury decisions only)."""

    permission_classes = STUDENTS

    @extend_schema(
        operation_id="records_me",
        summary="Mon dossier étudiant / my student record",
        description=(
            "Inscription administrative, résultats par semestre, décisions publiées des "
            "jurys, équivalences, stages, expériences internationales et synthèse du cursus. "
            "/ Registration, results by semester, published jury decisions, equivalences, "
            "internships, international experiences and cursus synthesis."
        ),
        responses=StudentRecordSerializer,
    )
    def get(self, request: Request) -> Response:
        me = referential.summary_for_user(request.user)
        if me is None:
            return _not_found()
        return Response(StudentRecordSerializer(queries.dossier(me)).data)


class MyTimetable(APIView):
    """My personal timetable of the current semester, with the dates of each slot."""

    permission_classes = STUDENTS

    @extend_schema(
        operation_id="records_me_timetable",
        summary="Mon emploi du temps / my timetable",
        description=(
            "Les créneaux de mes groupes pour le semestre en cours, avec leurs dates. "
            "/ The slots of my groups for the current semester, with their dates."
        ),
        responses=RecordTimetableSerializer,
    )
    def get(self, request: Request) -> Response:
        me = referential.person_uuid_for_user(request.user)
        if me is None:
            return _not_found()
        return Response(RecordTimetableSerializer(queries.current_timetable(me)).data)
