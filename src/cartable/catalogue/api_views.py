"""Public REST endpoints of the catalogue: the course guide's search."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import search
from .models import Offer


class GuideCategorySerializer(serializers.Serializer[Any]):
    programme = serializers.CharField(help_text="Code de la formation / programme code")
    programme_year = serializers.IntegerField()
    category = serializers.CharField(help_text="Code de la catégorie / category code")
    category_label = serializers.CharField()
    category_label_en = serializers.CharField()


class GuideOfferSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Code stable de l'UE / stable UE code")
    year = serializers.IntegerField(help_text="Année du catalogue / catalogue year")
    title = serializers.CharField()
    title_en = serializers.CharField()
    credits = serializers.DecimalField(max_digits=4, decimal_places=1)
    semesters = serializers.ChoiceField(choices=Offer.Semester.choices)
    campus = serializers.CharField(help_text="Code du campus / campus code")
    language = serializers.ChoiceField(choices=Offer.Language.choices)
    categories = GuideCategorySerializer(many=True)
    url = serializers.CharField(help_text="Page du guide / guide page")


class GuideOfferPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = GuideOfferSerializer(many=True)


def _as_dict(offer: Offer) -> dict[str, Any]:
    return {
        "code": offer.ue.code,
        "year": offer.year,
        "title": offer.title,
        "title_en": offer.title_en,
        "credits": offer.credits,
        "semesters": offer.semesters,
        "campus": offer.campus.code if offer.campus else "",
        "language": offer.language,
        "categories": [
            {
                "programme": link.programme.code,
                "programme_year": link.programme.year,
                "category": link.category.code,
                "category_label": link.category.label,
                "category_label_en": link.category.label_en,
            }
            for link in offer.programme_links.all()
        ],
        "url": reverse("guide:ue_year", args=[offer.ue.code, offer.year]),
    }


def _text(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


class GuideOffers(APIView):
    """Published UE offers of the public course guide (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        operation_id="guide_ues_list",
        summary="Rechercher dans le guide des UE / search the course guide",
        description=(
            "Offres publiées d'une année du catalogue (par défaut l'année en cours), "
            "recherche plein texte insensible aux accents et à la casse, filtres. "
            "/ Published offers of a catalogue year (current by default), accent- and "
            "case-insensitive full-text search, filters. Public."
        ),
        parameters=[
            _text("q", "Texte, code ou ancien code / text, code or old code"),
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                OpenApiParameter.QUERY,
                description="Année du catalogue / catalogue year",
            ),
            _text("programme", "Code de formation / programme code"),
            _text("category", "Code de catégorie (CS, TM…) / category code"),
            _text("campus", "Code du campus / campus code"),
            _text("semester", "A (automne) ou P (printemps); « AP » correspond aux deux"),
            _text("language", "fr, en, fr-en, de"),
            OpenApiParameter(
                "competency",
                OpenApiTypes.UUID,
                OpenApiParameter.QUERY,
                description="UUID d'une compétence / competency UUID",
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, OpenApiParameter.QUERY),
            OpenApiParameter("offset", OpenApiTypes.INT, OpenApiParameter.QUERY),
        ],
        responses=GuideOfferPageSerializer,
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        errors: dict[str, str] = {}
        years = search.published_years()
        year = search.default_year(years)
        if params.get("year"):
            try:
                year = int(params["year"])
            except ValueError:
                errors["year"] = "Année invalide / invalid year"
        competency = None
        if params.get("competency"):
            try:
                competency = uuid.UUID(params["competency"])
            except ValueError:
                errors["competency"] = "UUID invalide / invalid UUID"
        semester = params.get("semester", "")
        if semester and semester not in search.SEMESTER_MATCHES:
            errors["semester"] = "Semestre : A ou P / semester: A or P"
        language = params.get("language", "")
        if language and language not in search.LANGUAGE_MATCHES:
            errors["language"] = "Langue inconnue / unknown language"
        if errors:
            return Response(errors, status=400)
        query = search.GuideQuery(
            year=year,
            text=params.get("q", "")[:200],
            programme=params.get("programme", ""),
            category=params.get("category", ""),
            campus=params.get("campus", ""),
            semester=semester,
            language=language,
            competency=competency,
        )
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(search.search(query), request, view=self)
        rows = [_as_dict(offer) for offer in page or []]
        return paginator.get_paginated_response(GuideOfferSerializer(rows, many=True).data)
