"""The public course guide (guide-ue): search, UE pages, programme pages. No login.

Every page shows published offers only; pages are cached as :mod:`guide_cache` explains."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any
from urllib.parse import quote

from django import forms
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_safe

from cartable.core.text import english as _english

from . import guide_cache, search
from . import guide_pages as pages
from .models import Offer, Programme, Software, SoftwareNeed, TeachingAssignment

PER_PAGE = 20
SELECTS = ("year", "programme", "category", "campus", "semester", "language", "competency")


@dataclass(frozen=True)
class Text:
    """A passage and the language it is written in (for ``lang`` attributes)."""

    value: str
    lang: str


def _in_language(french: str, english: str) -> Text:
    """The English version in the English interface when there is one, else the French."""
    if _english() and english:
        return Text(english, "en")
    return Text(french, "fr")


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The label of a choice (Django's ``get_FOO_display`` hashes every lazy label of the
    field at each call: a tenth of a millisecond, twice per result row)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _person_name(person: Any) -> str:
    """Names only, and nobody on the red list (supannListeRouge) on a public page."""
    if person is None or person.red_list:
        return ""
    return str(person.display_name)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    content = render_to_string("catalogue/guide/not_found.html", {"message": message})
    return guide_cache.page(request, _("Page introuvable"), content, status=404)


# --- search ----------------------------------------------------------------------------------


class ListedChoiceField(forms.CharField):
    """A choice among listed values, checked against a set: Django's ChoiceField normalises
    and walks its whole list (the competencies run into thousands at scale) on every request.
    The options themselves are written by :func:`_select`."""

    default_error_messages = forms.ChoiceField.default_error_messages

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.allowed: frozenset[str] = frozenset()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value not in self.allowed:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )


def _values(choices: list[Any]) -> frozenset[str]:
    """The values of a list of choices, groups included."""
    values: set[str] = set()
    for value, label in choices:
        if isinstance(label, list | tuple):
            values.update(str(v) for v, _label in label)
        else:
            values.add(str(value))
    return frozenset(values)


class GuideSearchForm(forms.Form):
    q = forms.CharField(
        label=_lazy("Rechercher une UE"),
        required=False,
        max_length=200,
        help_text=_lazy("Code, ancien code, intitulé ou mots du programme"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    year = forms.TypedChoiceField(label=_lazy("Année du catalogue"), coerce=int, required=False)
    programme = ListedChoiceField(label=_lazy("Formation"))
    category = ListedChoiceField(label=_lazy("Catégorie"))
    campus = ListedChoiceField(label=_lazy("Campus"))
    semester = ListedChoiceField(label=_lazy("Semestre"))
    language = ListedChoiceField(label=_lazy("Langue d'enseignement"))
    competency = ListedChoiceField(label=_lazy("Compétence développée"))

    def __init__(self, data: Any, *, choices: dict[str, list[Any]]) -> None:
        super().__init__(data)
        for name, values in choices.items():
            field = self.fields[name]
            if isinstance(field, ListedChoiceField):
                field.allowed = _values(values)
            else:
                assert isinstance(field, forms.ChoiceField)
                field.choices = values

    def query(self, year: int) -> search.GuideQuery:
        """The search asked for, from the fields that are valid (an invalid one is ignored and
        shows its error)."""
        self.is_valid()
        data = self.cleaned_data
        competency = data.get("competency") or ""
        return search.GuideQuery(
            year=data.get("year") or year,
            text=data.get("q") or "",
            programme=data.get("programme") or "",
            category=data.get("category") or "",
            campus=data.get("campus") or "",
            semester=data.get("semester") or "",
            language=data.get("language") or "",
            competency=uuid.UUID(competency) if competency else None,
        )


def _filter_choices(years: list[int], year: int) -> dict[str, list[Any]]:
    """The options of each filter for a catalogue year, in the interface language."""
    diplomas: dict[str, list[tuple[str, str]]] = {}
    for programme in search.programmes_of_year(year):
        diploma = _in_language(programme.diploma.title, programme.diploma.title_en).value
        title = _in_language(programme.title, programme.title_en).value
        diplomas.setdefault(diploma, []).append((programme.code, title))
    competencies: dict[str, list[tuple[str, str]]] = {}
    for choice in search.competency_choices(year):
        group = choice.group_en if _english() else choice.group
        title = _in_language(choice.title, choice.title_en).value
        competencies.setdefault(group, []).append((str(choice.uuid), f"{choice.code} — {title}"))
    categories = [
        (c.code, f"{c.code} — {_in_language(c.label, c.label_en).value}")
        for c in search.categories()
    ]
    return {
        "year": [(y, f"{y}-{y + 1}") for y in years or [year]],
        "programme": [("", _("Toutes les formations")), *diplomas.items()],
        "category": [("", _("Toutes les catégories")), *categories],
        "campus": [("", _("Tous les campus")), *search.campus_choices(year)],
        "semester": [
            ("", _("Les deux semestres")),
            (Offer.Semester.AUTUMN.value, str(Offer.Semester.AUTUMN.label)),
            (Offer.Semester.SPRING.value, str(Offer.Semester.SPRING.label)),
        ],
        "language": [
            ("", _("Toutes les langues")),
            *((value, str(label)) for value, label in Offer.Language.choices),
        ],
        "competency": [("", _("Toutes les compétences")), *competencies.items()],
    }


def _choices_and_options(
    years: list[int], year: int
) -> tuple[dict[str, list[Any]], dict[str, str]]:
    choices = _filter_choices(years, year)
    return choices, {name: _options_html(values) for name, values in choices.items()}


@dataclass(frozen=True)
class Select:
    """A select box: its options are written here, escaped, rather than by Django's widget
    templates, which cost a template render per option (milliseconds for the competencies)."""

    name: str
    id: str
    label: str
    options: SafeString
    errors: list[str]


def _options_html(choices: list[Any]) -> str:
    """The escaped options of a select, none selected (kept with the choices)."""

    def option(value: object, label: object) -> SafeString:
        return format_html('<option value="{}">{}</option>', value, label)

    parts = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            inner = format_html_join("", "{}", ((option(v, lbl),) for v, lbl in label))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', value, inner))
        else:
            parts.append(option(value, label))
    return str(format_html_join("\n", "{}", ((part,) for part in parts)))


def _select(form: forms.Form, name: str, options: str) -> Select:
    bound = form[name]
    current = "" if bound.value() is None else str(bound.value())
    if current:
        chosen = f'<option value="{escape(current)}"'
        options = options.replace(f"{chosen}>", f"{chosen} selected>", 1)
    errors = [str(error) for error in bound.errors]
    return Select(name, bound.id_for_label, str(bound.label), mark_safe(options), errors)  # noqa: S308


@dataclass(frozen=True)
class CategoryIn:
    code: str
    label: str
    where: str  # "en EDIM"


@dataclass(frozen=True)
class ResultRow:
    code: str
    title: Text
    url: str
    facts: str  # "6 crédits ECTS · Automne · Belfort · Français"
    categories: list[CategoryIn]


class _RowMaker:
    """Builds result rows; what is the same for every row (labels, the URL pattern, the
    phrases) is looked up once per page rather than once per row."""

    def __init__(self, year: int) -> None:
        self.semesters = {value: str(label) for value, label in Offer.Semester.choices}
        self.languages = {value: str(label) for value, label in Offer.Language.choices}
        self.credits = _("%(credits)s crédits ECTS")
        self.where = _("en %(programme)s")
        self.english = _english()
        self.year = year
        marker = "CODE"
        self.url = reverse("guide:ue_year", args=[marker, year]).replace(marker, "{code}", 1)

    def __call__(self, line: search.Listing) -> ResultRow:
        facts = [
            self.credits % {"credits": floatformat(line.credits, -1)},
            self.semesters.get(line.semesters, line.semesters),
        ]
        if line.campus:
            facts.append(line.campus)
        facts.append(self.languages.get(line.language, line.language))
        title = (
            Text(line.title_en, "en") if self.english and line.title_en else Text(line.title, "fr")
        )
        return ResultRow(
            code=line.code,
            title=title,
            url=self.url.format(code=quote(line.code, safe=""))
            if line.year == self.year
            else reverse("guide:ue_year", args=[line.code, line.year]),
            facts=" · ".join(facts),
            categories=[
                CategoryIn(
                    code=link.category,
                    label=link.category_label_en
                    if self.english and link.category_label_en
                    else link.category_label,
                    where=self.where % {"programme": link.programme},
                )
                for link in line.links
            ],
        )


def _search_context(request: HttpRequest, *, with_form: bool) -> dict[str, Any]:
    years: list[int] = guide_cache.cached_data(request, "years", search.published_years)
    data = request.GET.copy()
    year = default = search.default_year(years)
    try:
        year = int(data.get("year") or default)
    except ValueError:
        year = default
    if year not in years:
        year = default
    if not data.get("year"):
        data["year"] = str(year)
    choices, options = guide_cache.cached_data(
        request, f"choices-{year}", lambda: _choices_and_options(years, year)
    )
    form = GuideSearchForm(data, choices=choices)
    query = form.query(year)
    make_row = _RowMaker(query.year)
    paginator = Paginator(search.search_lines(query), PER_PAGE)
    page: Page[search.Listing] = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "query": query,
        "page": page,
        "rows": [make_row(line) for line in page.object_list],
        "count": paginator.count,
        "querystring": params.urlencode(),
        "year_label": f"{query.year}-{query.year + 1}",
    }
    if with_form:
        context["form"] = form
        context["selects"] = {name: _select(form, name, options[name]) for name in SELECTS}
    return context


def _htmx_target(request: HttpRequest) -> str | None:
    details = getattr(request, "htmx", None)
    if not details or details.history_restore_request:
        return None
    return str(details.target or "")


@require_safe
def guide_search(request: HttpRequest) -> HttpResponse:
    """The guide's home: search with filters; htmx asks for the results or the whole form."""
    target = _htmx_target(request)
    if target is not None and target != "guide-content":
        html = guide_cache.cached(
            request,
            "results",
            lambda: render_to_string(
                "catalogue/guide/_results.html",
                {**_search_context(request, with_form=False), "oob": True},
            ),
        )
        response = HttpResponse(html)
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response

    def build() -> tuple[str, str]:
        context = _search_context(request, with_form=True)
        return _("Guide des UE"), render_to_string("catalogue/guide/search.html", context)

    if target is not None:
        response = HttpResponse(guide_cache.cached(request, "content", build)[1])
        patch_vary_headers(response, ["HX-Request", "HX-Target"])
        return response
    page = guide_cache.serve(request, "content", build)
    assert page is not None
    return page


# --- UE page ---------------------------------------------------------------------------------


def _display_name(first: str, last: str, usage_first: str, usage_last: str) -> str:
    """The name a person uses, as the referential shows it (``Ada LOVELACE``)."""
    return f"{usage_first or first} {(usage_last or last).upper()}"


def _team(rows: list[pages.Row]) -> list[tuple[str, list[str]]]:
    """Team members (names only, nobody on the red list) with the activities they teach."""
    members: dict[str, list[str]] = {}
    ordered = sorted(
        rows, key=lambda r: r["person__usage_last_name"] or r["person__civil_last_name"]
    )
    for row in ordered:
        if row["person__red_list"]:
            continue
        name = _display_name(
            row["person__civil_first_name"],
            row["person__civil_last_name"],
            row["person__usage_first_name"],
            row["person__usage_last_name"],
        )
        label = TeachingAssignment.Activity(row["activity"]).label
        members.setdefault(name, []).append(str(label))
    return list(members.items())


def _prerequisites(data: pages.UEPageData) -> list[dict[str, Any]]:
    year = data.offer["year"]
    found = []
    for row in data.prerequisites:
        code = row["required_ue__code"]
        if code:
            years = data.required_offers.get(code, {})
            title, title_en = years.get(year) or (years[max(years)] if years else ("", ""))
            if year in years:
                url = reverse("guide:ue_year", args=[code, year])
            else:
                url = reverse("guide:ue", args=[code]) if years else ""
            found.append(
                {
                    "ue": code,
                    "url": url,
                    "title": _in_language(title, title_en),
                    "note": row["note"],
                }
            )
        else:
            found.append(
                {
                    "competency": row["competency__code"],
                    "title": _in_language(row["competency__title"], row["competency__title_en"]),
                    "level": _in_language(row["min_level__label"], row["min_level__label_en"]),
                    "rank": row["min_level__rank"],
                    "note": row["note"],
                }
            )
    return sorted(found, key=lambda p: (0, p["ue"]) if "ue" in p else (1, p["competency"]))


def _contributions(data: pages.UEPageData) -> list[dict[str, Any]]:
    rows = sorted(
        data.contributions,
        key=lambda c: (
            c["competency__block__framework__code"],
            c["competency__block__position"],
            c["competency__position"],
            c["competency__code"],
        ),
    )
    return [
        {
            "code": c["competency__code"],
            "title": _in_language(c["competency__title"], c["competency__title_en"]),
            "framework": _in_language(
                c["competency__block__framework__title"],
                c["competency__block__framework__title_en"],
            ),
            "level": _in_language(c["level__label"], c["level__label_en"]),
            "rank": c["level__rank"],
            "weight": c["weight"],
        }
        for c in rows
    ]


def _ue_context(data: pages.UEPageData, years: list[int]) -> dict[str, Any]:
    offer = data.offer
    syllabus = [
        (_("Objectifs"), _in_language(offer["objectives"], offer["objectives_en"])),
        (_("Contenu"), _in_language(offer["content"], offer["content_en"])),
        (
            _("Modalités d'évaluation"),
            _in_language(offer["assessment"], offer["assessment_en"]),
        ),
        (_("Bibliographie"), Text(offer["bibliography"], "fr")),
    ]
    links = sorted(data.links, key=lambda link: link["programme__code"])
    responsible = ""
    if offer["responsible__civil_last_name"] and not offer["responsible__red_list"]:
        responsible = _display_name(
            offer["responsible__civil_first_name"],
            offer["responsible__civil_last_name"],
            offer["responsible__usage_first_name"],
            offer["responsible__usage_last_name"],
        )
    return {
        "offer": offer,
        "code": offer["ue__code"],
        "title": _in_language(offer["title"], offer["title_en"]),
        "title_en": offer["title_en"],
        "semesters": Offer.Semester(offer["semesters"]).label,
        "language": Offer.Language(offer["language"]).label,
        "campus": offer["campus__name"] or "",
        "aliases": sorted(data.aliases),
        "syllabus": [(label, text) for label, text in syllabus if text.value],
        "responsible": responsible,
        "team": _team(data.team),
        "links": [
            {
                "programme": _in_language(link["programme__title"], link["programme__title_en"]),
                "programme_url": reverse(
                    "guide:programme", args=[link["programme__code"], link["programme__year"]]
                ),
                "category": link["category__code"],
                "category_label": _in_language(link["category__label"], link["category__label_en"]),
            }
            for link in links
        ],
        "elements": [
            {**e, "title": _in_language(e["title"], e["title_en"])}
            for e in sorted(data.elements, key=lambda e: (e["position"], e["code"]))
        ],
        "prerequisites": _prerequisites(data),
        "contributions": _contributions(data),
        "software": [
            {
                "name": n["software__name"],
                "url": n["software__url"],
                "licence": Software.Licence(n["software__licence"]).label,
                "mode": SoftwareNeed.Mode(n["mode"]).label,
                "note": n["note"],
            }
            for n in sorted(data.software, key=lambda n: n["software__name"].casefold())
        ],
        "years": [(y, f"{y}-{y + 1}") for y in years],
        "year_label": f"{offer['year']}-{offer['year'] + 1}",
    }


@require_safe
def ue_page(request: HttpRequest, code: str, year: int | None = None) -> HttpResponse:
    """A UE's page for a catalogue year (by default the current one, or the latest
    published); an old code redirects for good to the stable one."""

    def build() -> tuple[str, str] | None:
        offers = pages.published_offers_of_ue(code)
        years = [o["year"] for o in offers]
        chosen = year if year is not None else search.default_year(years)
        offer = next((o for o in offers if o["year"] == chosen), None)
        if offer is None:
            return None
        context = _ue_context(pages.ue_page_data(offer), years)
        title = f"{code} — {context['title'].value}"
        return title, render_to_string("catalogue/guide/ue.html", context)

    page = guide_cache.serve(request, "ue", build)
    if page is not None:
        return page
    stable = pages.stable_code(code)
    if stable is not None and stable != code:
        args = [stable] if year is None else [stable, year]
        name = "guide:ue" if year is None else "guide:ue_year"
        return HttpResponsePermanentRedirect(reverse(name, args=args))
    if stable is None:
        return _not_found(request, _("Aucune UE ne porte le code « %(code)s ».") % {"code": code})
    return _not_found(
        request,
        _("L'UE %(code)s n'est pas publiée pour cette année du catalogue.") % {"code": stable},
    )


# --- programmes ------------------------------------------------------------------------------


@require_safe
def programme_list(request: HttpRequest) -> HttpResponse:
    """Programmes of a catalogue year, by diploma."""

    def build() -> tuple[str, str]:
        years = search.programme_years()
        default = search.default_year(years)
        try:
            year = int(request.GET.get("year") or default)
        except ValueError:
            year = default
        if year not in years:
            year = default
        diplomas = []
        programmes = search.programmes_of_year(year).prefetch_related("tracks")
        for _pk, rows in groupby(programmes, key=lambda p: p.diploma_id):
            members = list(rows)
            diploma = members[0].diploma
            diplomas.append(
                {
                    "title": _in_language(diploma.title, diploma.title_en),
                    "kind": diploma.get_kind_display(),
                    "programmes": [
                        {
                            "code": p.code,
                            "title": _in_language(p.title, p.title_en),
                            "cycle": p.get_cycle_display(),
                            "url": reverse("guide:programme", args=[p.code, p.year]),
                            "tracks": [_in_language(t.title, t.title_en) for t in p.tracks.all()],
                        }
                        for p in members
                    ],
                }
            )
        context = {
            "diplomas": diplomas,
            "years": [(y, f"{y}-{y + 1}") for y in years],
            "year": year,
            "year_label": f"{year}-{year + 1}",
        }
        return _("Formations"), render_to_string("catalogue/guide/programmes.html", context)

    page = guide_cache.serve(request, "programmes", build)
    assert page is not None
    return page


def _competency_map_url(code: str, year: int) -> str:
    try:
        return reverse("catalogue:competency_map", args=[code, year])
    except NoReverseMatch:
        return ""


def _programme_context(programme: Programme) -> dict[str, Any]:
    links = list(pages.published_links_of(programme))
    groups = []
    for _pk, rows in groupby(links, key=lambda link: link.category_id):
        members = list(rows)
        category = members[0].category
        groups.append(
            {
                "code": category.code,
                "label": _in_language(category.label, category.label_en),
                "rows": [
                    {
                        "code": link.offer.ue.code,
                        "title": _in_language(link.offer.title, link.offer.title_en),
                        "url": reverse("guide:ue_year", args=[link.offer.ue.code, link.offer.year]),
                        "credits": link.offer.credits,
                        "semesters": _label(Offer.Semester, link.offer.semesters),
                        "campus": link.offer.campus.name if link.offer.campus else "",
                    }
                    for link in members
                ],
                "credits": sum((link.offer.credits for link in members), Decimal(0)),
            }
        )
    years = pages.years_of_programme(programme.code)
    return {
        "programme": programme,
        "title": _in_language(programme.title, programme.title_en),
        "diploma": _in_language(programme.diploma.title, programme.diploma.title_en),
        "description": _in_language(programme.description, programme.description_en),
        "head": _person_name(programme.head),
        "tracks": [
            {"code": t.code, "title": _in_language(t.title, t.title_en)}
            for t in programme.tracks.all()
        ],
        "groups": groups,
        "ue_count": len(links),
        "competency_map_url": _competency_map_url(programme.code, programme.year),
        "years": [(y, f"{y}-{y + 1}") for y in years],
        "year_label": f"{programme.year}-{programme.year + 1}",
    }


@require_safe
def programme_page(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A programme of a catalogue year: presentation, tracks, its UEs by category."""

    def build() -> tuple[str, str] | None:
        programme = pages.programme_with_details(code, year)
        if programme is None:
            return None
        context = _programme_context(programme)
        html = render_to_string("catalogue/guide/programme.html", context)
        return str(context["title"].value), html

    page = guide_cache.serve(request, "programme", build)
    if page is None:
        return _not_found(
            request,
            _("Aucune formation « %(code)s » pour l'année %(year)s.")
            % {"code": code, "year": f"{year}-{year + 1}"},
        )
    return page
