"""REST endpoints of access: the catalogue, my services, why someone holds a service,
provisioning feeds for downstream directories."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartable.core import audit
from cartable.core.models import AuditEntry
from cartable.core.permissions import HasRole, Role
from cartable.referential import api as referential

from . import api


class ServiceSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()
    category = serializers.CharField()
    criticality = serializers.IntegerField()


class GrantSerializer(serializers.Serializer[Any]):
    service_code = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    source_uuid = serializers.UUIDField()
    label = serializers.CharField()  # type: ignore[assignment]
    target_kind = serializers.CharField()
    target_label = serializers.CharField()
    via = serializers.CharField()
    until = serializers.DateField(allow_null=True)


class HeldServiceSerializer(serializers.Serializer[Any]):
    service = ServiceSerializer()
    grants = GrantSerializer(many=True)


def _held(person_uuid: uuid.UUID) -> list[dict[str, Any]]:
    return [
        {"service": asdict(s), "grants": [asdict(g) for g in grants]}
        for s, grants in api.effective_services(person_uuid)
    ]


class ServiceList(APIView):
    """The catalogue of digital services."""

    @extend_schema(responses=ServiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(ServiceSerializer([asdict(s) for s in api.services()], many=True).data)


class MyServices(APIView):
    """The services I hold today, with the grants that give them."""

    @extend_schema(responses=HeldServiceSerializer(many=True))
    def get(self, request: Request) -> Response:
        me = referential.person_uuid_for_user(request.user)
        if me is None:
            return Response([])
        return Response(HeldServiceSerializer(_held(me), many=True).data)


class PersonServices(APIView):
    """The services a person holds today, and why (DSIN)."""

    permission_classes = [HasRole.of(Role.DSIN_ADMIN, Role.SECURITY_OFFICER)]

    @extend_schema(responses=HeldServiceSerializer(many=True))
    def get(self, request: Request, person_uuid: uuid.UUID) -> Response:
        if referential.summary(person_uuid) is None:
            return Response({"detail": "Personne inconnue / unknown person"}, status=404)
        audit.record_reads("access.api.person_services", actor=request.user, subjects=[person_uuid])
        return Response(HeldServiceSerializer(_held(person_uuid), many=True).data)


class ExplanationSerializer(serializers.Serializer[Any]):
    service = ServiceSerializer()
    person_uuid = serializers.UUIDField()
    day = serializers.DateField()
    person_active = serializers.BooleanField()
    granted = serializers.BooleanField()
    grants = GrantSerializer(many=True)


class Explain(APIView):
    """Why a person holds a service, or why not."""

    permission_classes = [HasRole.of(Role.DSIN_ADMIN, Role.SECURITY_OFFICER)]

    @extend_schema(responses=ExplanationSerializer)
    def get(self, request: Request, person_uuid: uuid.UUID, code: str) -> Response:
        if referential.summary(person_uuid) is None:
            return Response({"detail": "Personne inconnue / unknown person"}, status=404)
        try:
            explanation = api.explain(person_uuid, code)
        except api.UnknownService:
            return Response({"detail": "Service inconnu / unknown service"}, status=404)
        audit.record_reads("access.api.explain", actor=request.user, subjects=[person_uuid])
        data = asdict(explanation)
        data["granted"] = explanation.granted
        return Response(ExplanationSerializer(data).data)


class HolderSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    login = serializers.CharField()
    eppn = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    institutional_email = serializers.CharField()
    student_number = serializers.CharField()
    staff_number = serializers.CharField()
    populations = serializers.CharField()
    structures = serializers.CharField()
    red_list = serializers.BooleanField()


class HoldersSerializer(serializers.Serializer[Any]):
    service = serializers.CharField()
    holders = HolderSerializer(many=True)


class Holders(APIView):
    """Provisioning feed: the holders of a service today (downstream directories, doors)."""

    permission_classes = [HasRole.of(Role.DSIN_ADMIN)]

    @extend_schema(responses=HoldersSerializer)
    def get(self, request: Request, code: str) -> Response:
        try:
            rows = api.provisioning_rows(code)
        except api.UnknownService:
            return Response({"detail": "Service inconnu / unknown service"}, status=404)
        audit.record_reads(
            "access.provisioning.api",
            actor=request.user,
            subjects=[uuid.UUID(r["uuid"]) for r in rows],
            kind=AuditEntry.Kind.EXPORT,
            detail={"service": code},
        )
        return Response({"service": code, "holders": rows})
