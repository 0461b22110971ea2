"""REST endpoints of the referential."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cartable.core import audit
from cartable.core.permissions import REFERENTIAL_READERS, HasRole

from . import api
from .forms import PersonFilterForm
from .models import Person
from .views import filtered_persons


class PersonSerializer(serializers.ModelSerializer[Person]):
    first_name = serializers.CharField(source="display_first_name")
    last_name = serializers.CharField(source="display_last_name")

    class Meta:
        model = Person
        fields = [
            "uuid",
            "first_name",
            "last_name",
            "login",
            "eppn",
            "institutional_email",
            "student_number",
            "staff_number",
            "red_list",
        ]


class PersonList(ListAPIView[Person]):
    """Persons of the referential (filters: q, population, structure, campus, status)."""

    serializer_class = PersonSerializer
    permission_classes = [HasRole.of(*REFERENTIAL_READERS)]

    def get_queryset(self) -> Any:
        form = PersonFilterForm(self.request.query_params or {"status": "active"})
        return filtered_persons(form, api.today())

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else []
        audit.record_reads(
            "referential.person.api_list",
            actor=request.user,
            subjects=[r["uuid"] for r in results],
        )
        return response


class PersonDetail(RetrieveAPIView[Person]):
    serializer_class = PersonSerializer
    permission_classes = [HasRole.of(*REFERENTIAL_READERS)]
    lookup_field = "uuid"
    queryset = Person.objects.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        audit.record_reads(
            "referential.person.api_view", actor=request.user, subjects=[person.uuid]
        )
        return Response(self.get_serializer(person).data)


class MeSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    display_name = serializers.CharField()
    login = serializers.CharField()
    eppn = serializers.CharField()
    institutional_email = serializers.CharField()
    populations = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()


class Me(APIView):
    """Who I am in the referential."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        me = api.summary_for_user(request.user)
        if me is None:
            return Response({"detail": "Aucune fiche / no person record"}, status=404)
        return Response(MeSerializer(me).data)
