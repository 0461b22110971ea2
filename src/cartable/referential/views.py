"""Referential screens for staff: find a person, see their file, browse structures and groups."""

from __future__ import annotations

import csv
from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cartable.core import audit
from cartable.core.models import AuditEntry
from cartable.core.permissions import REFERENTIAL_READERS, role_required

from . import api
from .forms import PersonFilterForm
from .models import Campus, Contract, Group, Person, Population, Structure


def filtered_persons(form: PersonFilterForm, day: date) -> QuerySet[Person]:
    persons = Person.objects.all()
    if not form.is_valid():
        return persons.none()
    data = form.cleaned_data
    persons = persons.filter(api.person_text_query(data.get("q") or ""))
    in_force = Contract.objects.filter(start_date__lte=day).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day)
    )
    if data.get("population"):
        in_force = in_force.filter(population__code=data["population"])
    if data.get("structure"):
        path = api.structure_path(data["structure"]) or "//"
        in_force = in_force.filter(structure__path__startswith=path)
    if data.get("campus"):
        in_force = in_force.filter(campus__code=data["campus"])
    status = data.get("status") or "active"
    narrowed = any(data.get(k) for k in ("population", "structure", "campus"))
    if status == "active" or narrowed:
        persons = persons.filter(pk__in=in_force.values("person_id"))
    elif status == "inactive":
        persons = persons.exclude(pk__in=in_force.values("person_id"))
    return persons.order_by("civil_last_name", "civil_first_name", "pk")


@role_required(*REFERENTIAL_READERS)
def persons(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None)
    if not request.GET:
        form = PersonFilterForm({"status": "active"})
    found = filtered_persons(form, api.today())
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    people = list(page.object_list)
    audit.record_reads(
        "referential.person.list",
        actor=request.user,
        subjects=[p.uuid for p in people],
        detail={"query": request.GET.urlencode()},
    )
    query = request.GET.copy()
    query.pop("page", None)
    template = "referential/_persons_table.html" if request.htmx else "referential/persons.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "page": page, "people": people, "querystring": query.urlencode()},
    )


@role_required(*REFERENTIAL_READERS)
def persons_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV (UTF-8 with BOM so that spreadsheets read accents)."""
    form = PersonFilterForm(request.GET or {"status": "active"})
    found = list(filtered_persons(form, api.today()))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personnes.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "uuid",
            "nom",
            "prenom",
            "identifiant",
            "eppn",
            "courriel",
            "numero_etudiant",
            "numero_personnel",
            "liste_rouge",
        ]
    )
    for p in found:
        writer.writerow(
            [
                p.uuid,
                p.display_last_name,
                p.display_first_name,
                p.login or "",
                p.eppn or "",
                p.institutional_email,
                p.student_number or "",
                p.staff_number or "",
                "oui" if p.red_list else "non",
            ]
        )
    audit.record_reads(
        "referential.person.export",
        actor=request.user,
        subjects=[p.uuid for p in found],
        kind=AuditEntry.Kind.EXPORT,
        detail={"query": request.GET.urlencode(), "rows": len(found)},
    )
    return response


def _person_or_404(person_uuid: str) -> Person:
    try:
        return Person.objects.get(uuid=person_uuid)
    except (Person.DoesNotExist, ValueError) as exc:
        raise Http404(_("Personne inconnue")) from exc


@role_required(*REFERENTIAL_READERS)
def person_detail(request: HttpRequest, person_uuid: str) -> HttpResponse:
    person = _person_or_404(person_uuid)
    facts = api.facts_of(person.uuid)
    contracts = person.contracts.select_related("population", "structure", "campus").order_by(
        "-start_date"
    )
    functions = person.functions.select_related("structure").order_by("-start_date")
    audit.record_reads("referential.person.view", actor=request.user, subjects=[person.uuid])
    return render(
        request,
        "referential/person_detail.html",
        {
            "person": person,
            "facts": facts,
            "contracts": contracts,
            "functions": functions,
            "groups": sorted(facts.groups),
        },
    )


@role_required(*REFERENTIAL_READERS)
def structures(request: HttpRequest) -> HttpResponse:
    nodes = Structure.objects.select_related("campus", "parent").order_by("path")
    return render(
        request,
        "referential/structures.html",
        {
            "structures": nodes,
            "campuses": Campus.objects.all(),
            "populations": Population.objects.all(),
        },
    )


@role_required(*REFERENTIAL_READERS)
def groups(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    found = Group.objects.select_related(
        "owner", "rule_population", "rule_structure", "rule_campus"
    ).annotate(named_members=Count("memberships"))
    if text:
        found = found.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return render(request, "referential/groups.html", {"groups": found, "q": text})
