"""REST endpoints of the enrolment campaign, mounted under /api/v1/enrolment/.

For a student (session): my campaigns, my semester, adding and dropping a UE, joining,
leaving and claiming from a wait-list; the writes go through the named actions, so they are
exactly as safe under a rush as the screens. For staff: the students enrolled in an offer, for
its team, the heads of its programmes and the scolarité (journaled).

A campaign that does not concern the user (no registration in its population) does not exist
for them: 404. Bad input answers 400 naming the field, in French and English; a refused choice
answers 409 with every refusal."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartable.catalogue import api as catalogue
from cartable.core import audit
from cartable.core.errors import DomainError
from cartable.referential import api as referential

from . import actions
from . import api as enrolment
from .actions import ChoiceOutcome
from .api_serializers import (
    CampaignLineSerializer,
    EnrolmentListSerializer,
    ErrorSerializer,
    OutcomeSerializer,
    SemesterSerializer,
    UERequestSerializer,
    WaitlistPlaceSerializer,
    campaign_line_dict,
    enrolment_list_dict,
    refusal_dict,
    semester_dict,
)
from .queries import campaigns_of_student, semester_view

UE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
NOT_FOUND_FIELDS = ("campaign", "student")
TAGS = ["enrolment"]


def _error(error: DomainError) -> Response:
    """A campaign that does not concern the user is not found; anything else a rule refuses
    is bad input."""
    status = 404 if error.field in NOT_FOUND_FIELDS else 400
    return Response(error.as_dict(), status=status)


def _me(request: Request) -> uuid.UUID:
    person = referential.person_uuid_for_user(request.user)
    if person is None:
        raise DomainError(
            "student",
            "Aucune fiche du référentiel n'est liée à ce compte.",
            "No person of the referential is linked to this account.",
        )
    return person


def _ue_code(value: Any) -> str:
    if value is None or value == "":
        raise DomainError("ue", "Le code de l'UE est obligatoire.", "The UE code is required.")
    if not isinstance(value, str) or not UE_CODE.match(value.strip()):
        raise DomainError(
            "ue",
            "Code d'UE invalide : des lettres et des chiffres, 20 caractères au plus.",
            "Invalid UE code: letters and digits, at most 20 characters.",
        )
    return value.strip().upper()


def _ue_from_body(request: Request) -> str:
    try:
        data = request.data
    except ParseError as error:
        raise DomainError(
            "body",
            "Le corps de la requête n'est pas du JSON valide.",
            "The request body is not valid JSON.",
        ) from error
    if not hasattr(data, "get"):
        raise DomainError(
            "body",
            'Le corps de la requête doit être un objet, par exemple {"ue": "LO41"}.',
            'The request body must be an object, e.g. {"ue": "LO41"}.',
        )
    return _ue_code(data.get("ue"))


def _outcome(outcome: ChoiceOutcome) -> Response:
    body = {
        "ue": outcome.ue_code,
        "accepted": outcome.accepted,
        "refusals": [refusal_dict(r) for r in outcome.refusals],
        "can_join_waitlist": outcome.can_join_waitlist,
    }
    return Response(OutcomeSerializer(body).data, status=201 if outcome.accepted else 409)


class _Guarded(APIView):
    """Maps the domain's errors to their answers."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DomainError):
            return _error(exc)
        return super().handle_exception(exc)


ERRORS: dict[int | str, Any] = {
    400: OpenApiResponse(ErrorSerializer, description="Donnée invalide / bad input"),
    404: OpenApiResponse(
        ErrorSerializer,
        description="Campagne inconnue ou qui ne me concerne pas / unknown campaign or one "
        "that does not concern me",
    ),
}


class MyCampaigns(_Guarded):
    """The campaigns of my population(s), latest first. Like my semester, it sets the CSRF
    cookie whose value the writes send back in the ``X-CSRFToken`` header."""

    @method_decorator(ensure_csrf_cookie)
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        operation_id="enrolment_campaigns_list",
        tags=TAGS,
        summary="Mes campagnes d'inscription / my enrolment campaigns",
        responses=CampaignLineSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        person = referential.person_uuid_for_user(request.user)
        lines = campaigns_of_student(person) if person is not None else []
        rows = [campaign_line_dict(line) for line in lines]
        return Response(CampaignLineSerializer(rows, many=True).data)


class MySemester(_Guarded):
    """My semester in a campaign: UEs chosen and open, credits, the programme's rules,
    wait-lists with my positions, and one valid personal timetable."""

    @method_decorator(ensure_csrf_cookie)
    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        operation_id="enrolment_semester_retrieve",
        tags=TAGS,
        summary="Mon semestre / my semester",
        responses={200: SemesterSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, code: str) -> Response:
        view = semester_view(code, _me(request))
        return Response(SemesterSerializer(semester_dict(view)).data)


OUTCOMES: dict[int | str, Any] = {
    201: OpenApiResponse(OutcomeSerializer, description="UE ajoutée / UE added"),
    409: OpenApiResponse(
        OutcomeSerializer,
        description="Refusé : chaque cause, en français et en anglais / refused: every cause",
    ),
    **ERRORS,
}


class Choices(_Guarded):
    @extend_schema(
        operation_id="enrolment_choices_create",
        tags=TAGS,
        summary="Ajouter une UE à mon semestre / add a UE to my semester",
        description="Accepté (201) ou refusé (409) avec toutes les causes : prérequis, UE "
        "complète (liste d'attente possible), emploi du temps incompatible, crédits, dates. "
        "/ Accepted (201) or refused (409) with every cause.",
        request=UERequestSerializer,
        responses=OUTCOMES,
    )
    def post(self, request: Request, code: str) -> Response:
        ue = _ue_from_body(request)
        outcome = actions.do_choose_ue(code, _me(request), ue, acting_user=request.user)
        return _outcome(outcome)


class Choice(_Guarded):
    @extend_schema(
        operation_id="enrolment_choice_destroy",
        tags=TAGS,
        summary="Abandonner une UE / drop a UE",
        description="La place libérée va au premier de la liste d'attente qui peut la "
        "prendre. / The freed place goes to the first in line who can take it.",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, code: str, ue: str) -> Response:
        actions.do_drop_ue(code, _me(request), _ue_code(ue), acting_user=request.user)
        return Response(status=204)


class Waitlist(_Guarded):
    @extend_schema(
        operation_id="enrolment_waitlist_create",
        tags=TAGS,
        summary="M'inscrire sur la liste d'attente d'une UE complète / join a wait-list",
        request=UERequestSerializer,
        responses={201: WaitlistPlaceSerializer, **ERRORS},
    )
    def post(self, request: Request, code: str) -> Response:
        ue = _ue_from_body(request)
        position = actions.do_join_waitlist(code, _me(request), ue, acting_user=request.user)
        return Response(WaitlistPlaceSerializer({"ue": ue, "position": position}).data, 201)


class WaitlistPlace(_Guarded):
    @extend_schema(
        operation_id="enrolment_waitlist_destroy",
        tags=TAGS,
        summary="Quitter une liste d'attente ou refuser la place proposée / leave a wait-list "
        "or decline the place offered",
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, code: str, ue: str) -> Response:
        actions.do_leave_waitlist(code, _me(request), _ue_code(ue), acting_user=request.user)
        return Response(status=204)


class Claim(_Guarded):
    @extend_schema(
        operation_id="enrolment_waitlist_claim",
        tags=TAGS,
        summary="Accepter la place proposée / claim the place offered",
        request=None,
        responses=OUTCOMES,
    )
    def post(self, request: Request, code: str, ue: str) -> Response:
        outcome = actions.do_claim_place(code, _me(request), _ue_code(ue), acting_user=request.user)
        return _outcome(outcome)


class OfferStudents(_Guarded):
    """Students enrolled in an offer, for its team, the heads of its programmes and the
    scolarité; every read is journaled."""

    @extend_schema(
        operation_id="enrolment_offer_students_list",
        tags=TAGS,
        summary="Étudiant·es inscrit·es à une UE / students enrolled in a UE",
        description="Par nom ; le groupe reste vide tant que la répartition en groupes "
        "n'existe pas. / By name; the group stays empty until students are divided into "
        "groups.",
        responses={
            200: EnrolmentListSerializer,
            404: OpenApiResponse(description="Offre inconnue ou non visible / not visible"),
        },
    )
    def get(self, request: Request, offer_uuid: uuid.UUID) -> Response:
        offer = catalogue.offer_for_staff(request.user, offer_uuid)
        if offer is None:
            return Response(
                {
                    "field": "offer",
                    "message_fr": "Offre inconnue.",
                    "message_en": "Unknown offer.",
                },
                status=404,
            )
        students = enrolment.enrolled_students(offer_uuid)
        audit.record_reads(
            "enrolment.roster.api",
            actor=request.user,
            subjects=[s.uuid for s in students],
            detail={"offer": str(offer_uuid)},
        )
        return Response(EnrolmentListSerializer(enrolment_list_dict(offer, students)).data)
