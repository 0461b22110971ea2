"""The demo digital-service catalogue of UTBM: services, access rules, individual
authorisations and delegations, on top of the demo referential.

Rules, authorisations and delegations go through the named actions, so the audit journal
shows how the demo was set up. Persons are found through the models related to access
(never by importing the referential's models) and the referential's API.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from cartable.referential import api as referential
from cartable.referential.data import PersonFacts

from . import actions
from .models import AccessRule, Delegation, DigitalService, IndividualAuthorisation

Step = tuple[str, Callable[[], int]]
_Cat = DigitalService.Category
_Crit = DigitalService.Criticality

#: code, name, English name, category, criticality, address, description, English description
SERVICES: tuple[tuple[str, str, str, str, int, str, str, str], ...] = (
    (
        "ent",
        "ENT MyUTBM",
        "MyUTBM portal",
        _Cat.COMMUNICATION,
        _Crit.INTERNAL,
        "https://ent.utbm.fr/",
        "Espace numérique de travail : actualités, annuaire, accès aux applications.",
        "Digital workspace: news, directory, access to applications.",
    ),
    (
        "moodle",
        "Moodle",
        "Moodle",
        _Cat.PEDAGOGY,
        _Crit.INTERNAL,
        "https://moodle.utbm.fr/",
        "Plateforme pédagogique : cours en ligne, devoirs, tests.",
        "Learning platform: online courses, assignments, quizzes.",
    ),
    (
        "m365-mail",
        "Messagerie Microsoft 365",
        "Microsoft 365 mail",
        _Cat.COMMUNICATION,
        _Crit.RESTRICTED,
        "https://outlook.office.com/",
        "Courriel et agenda institutionnels.",
        "Institutional e-mail and calendar.",
    ),
    (
        "teams",
        "Microsoft Teams",
        "Microsoft Teams",
        _Cat.COMMUNICATION,
        _Crit.INTERNAL,
        "https://teams.microsoft.com/",
        "Conversations, réunions et espaces d'équipe.",
        "Chat, meetings and team spaces.",
    ),
    (
        "eduroam",
        "Wi-Fi eduroam",
        "eduroam Wi-Fi",
        _Cat.INFRASTRUCTURE,
        _Crit.INTERNAL,
        "https://www.eduroam.fr/",
        "Réseau sans fil des établissements d'enseignement et de recherche.",
        "Wireless network of research and education institutions.",
    ),
    (
        "vpn",
        "VPN UTBM",
        "UTBM VPN",
        _Cat.INFRASTRUCTURE,
        _Crit.RESTRICTED,
        "https://vpn.utbm.fr/",
        "Accès distant chiffré au réseau de l'établissement.",
        "Encrypted remote access to the campus network.",
    ),
    (
        "ade",
        "ADE — emplois du temps",
        "ADE timetables",
        _Cat.PEDAGOGY,
        _Crit.INTERNAL,
        "https://ade.utbm.fr/",
        "Emplois du temps et réservation de salles.",
        "Timetables and room booking.",
    ),
    (
        "pegase",
        "Pégase — scolarité",
        "Pégase student administration",
        _Cat.ADMINISTRATION,
        _Crit.RESTRICTED,
        "https://pegase.utbm.fr/",
        "Inscriptions administratives, dossiers étudiants, diplômes.",
        "Administrative enrolment, student files, diplomas.",
    ),
    (
        "mangue",
        "Cocktail Mangue — ressources humaines",
        "Cocktail Mangue HR",
        _Cat.ADMINISTRATION,
        _Crit.RESTRICTED,
        "https://cocktail.utbm.fr/mangue/",
        "Dossiers des personnels, carrières, contrats.",
        "Staff files, careers, contracts.",
    ),
    (
        "gfc",
        "Cocktail GFC — finances",
        "Cocktail GFC finance",
        _Cat.ADMINISTRATION,
        _Crit.RESTRICTED,
        "https://cocktail.utbm.fr/gfc/",
        "Budget, commandes, liquidation et paiement.",
        "Budget, orders, payments.",
    ),
    (
        "glpi",
        "Assistance GLPI",
        "GLPI support",
        _Cat.INFRASTRUCTURE,
        _Crit.INTERNAL,
        "https://assistance.utbm.fr/",
        "Demandes et incidents auprès de la DSIN.",
        "Requests and incidents to the IT department.",
    ),
    (
        "glpi-tech",
        "GLPI — interface technicien",
        "GLPI technician console",
        _Cat.INFRASTRUCTURE,
        _Crit.RESTRICTED,
        "https://assistance.utbm.fr/front/central.php",
        "Traitement des tickets, inventaire du parc.",
        "Ticket handling, equipment inventory.",
    ),
    (
        "bu-numerique",
        "Bibliothèque numérique",
        "Digital library",
        _Cat.DOCUMENTATION,
        _Crit.INTERNAL,
        "https://bu.utbm.fr/",
        "Revues, livres électroniques et bases de données.",
        "Journals, e-books and databases.",
    ),
    (
        "hal",
        "HAL UTBM — dépôt des publications",
        "HAL UTBM repository",
        _Cat.RESEARCH,
        _Crit.PUBLIC,
        "https://hal.utbm.fr/",
        "Dépôt des publications en accès ouvert.",
        "Open-access publication deposit.",
    ),
    (
        "hpc",
        "Mésocentre de calcul (HPC)",
        "HPC cluster",
        _Cat.RESEARCH,
        _Crit.RESTRICTED,
        "https://hpc.utbm.fr/",
        "Calcul intensif pour les laboratoires.",
        "High-performance computing for the laboratories.",
    ),
    (
        "gitlab",
        "Forge GitLab",
        "GitLab forge",
        _Cat.PEDAGOGY,
        _Crit.INTERNAL,
        "https://gitlab.utbm.fr/",
        "Dépôts de code pour les projets et les enseignements.",
        "Code repositories for projects and teaching.",
    ),
    (
        "mobility-online",
        "Mobility Online — mobilités internationales",
        "Mobility Online",
        _Cat.ADMINISTRATION,
        _Crit.RESTRICTED,
        "https://mobility.utbm.fr/",
        "Candidatures et suivi des mobilités Erasmus+.",
        "Erasmus+ applications and follow-up.",
    ),
    (
        "espace-instances",
        "Extranet des instances",
        "Governing boards extranet",
        _Cat.ADMINISTRATION,
        _Crit.RESTRICTED,
        "https://instances.utbm.fr/",
        "Ordres du jour, documents et votes du conseil d'administration.",
        "Agendas, documents and votes of the board.",
    ),
    (
        "alternance",
        "Espace alternance — livret d'apprentissage",
        "Apprenticeship logbook",
        _Cat.PEDAGOGY,
        _Crit.INTERNAL,
        "https://alternance.utbm.fr/",
        "Suivi des périodes en entreprise des apprentis.",
        "Follow-up of apprentices' periods in company.",
    ),
    (
        "bastion",
        "Bastion d'administration",
        "Administration bastion",
        _Cat.INFRASTRUCTURE,
        _Crit.SECRET,
        "https://bastion.utbm.fr/",
        "Accès tracé aux serveurs de production.",
        "Recorded access to production servers.",
    ),
    (
        "gestion-crise",
        "Outil de gestion de crise",
        "Crisis management tool",
        _Cat.INFRASTRUCTURE,
        _Crit.SECRET,
        "https://crise.utbm.fr/",
        "Main courante et annuaire de crise.",
        "Crisis log and emergency directory.",
    ),
    (
        "acces-belfort",
        "Accès aux bâtiments — Belfort",
        "Building access — Belfort",
        _Cat.BUILDING,
        _Crit.RESTRICTED,
        "",
        "Badge d'accès aux bâtiments du campus de Belfort.",
        "Building badge, Belfort campus.",
    ),
    (
        "acces-sevenans",
        "Accès aux bâtiments — Sevenans",
        "Building access — Sevenans",
        _Cat.BUILDING,
        _Crit.RESTRICTED,
        "",
        "Badge d'accès aux bâtiments du campus de Sevenans.",
        "Building badge, Sevenans campus.",
    ),
    (
        "acces-montbeliard",
        "Accès aux bâtiments — Montbéliard",
        "Building access — Montbéliard",
        _Cat.BUILDING,
        _Crit.RESTRICTED,
        "",
        "Badge d'accès aux bâtiments du campus de Montbéliard.",
        "Building badge, Montbéliard campus.",
    ),
)

_EVERYONE_BUT_EXTERNALS = (
    "student",
    "apprentice",
    "teacher_researcher",
    "contract_teacher",
    "staff",
    "hosted",
)
_LEARNERS_AND_TEACHERS = ("student", "apprentice", "teacher_researcher", "contract_teacher")

#: service, target kind ("population", "group" or "structure"), target codes
RULES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ent", "structure", ("UTBM",)),
    ("moodle", "population", _LEARNERS_AND_TEACHERS),
    ("m365-mail", "population", _EVERYONE_BUT_EXTERNALS),
    ("teams", "structure", ("UTBM",)),
    ("eduroam", "structure", ("UTBM",)),
    ("vpn", "population", ("teacher_researcher", "contract_teacher", "staff", "hosted")),
    ("ade", "population", _LEARNERS_AND_TEACHERS),
    ("ade", "structure", ("DFP",)),
    ("pegase", "structure", ("SCOL", "DRI")),
    ("mangue", "structure", ("DRH",)),
    ("gfc", "structure", ("AC", "DG")),
    ("glpi", "structure", ("UTBM",)),
    ("glpi-tech", "group", ("pers-dsin", "correspondants-numeriques")),
    ("bu-numerique", "population", (*_LEARNERS_AND_TEACHERS, "hosted")),
    ("hal", "population", ("teacher_researcher", "hosted")),
    ("hal", "structure", ("DRV", "BU")),
    ("hpc", "structure", ("FEMTO-ST", "ICB", "CIAD", "FCLAB", "NANOMED")),
    ("gitlab", "group", ("etu-info", "pers-dsin")),
    ("gitlab", "structure", ("INFO",)),
    ("mobility-online", "structure", ("DRI",)),
    ("mobility-online", "group", ("erasmus-2026",)),
    ("espace-instances", "group", ("elus-ca",)),
    ("alternance", "group", ("apprentis",)),
    ("alternance", "structure", ("FISA-INFO", "FISA-MECA")),
    ("gestion-crise", "group", ("cellule-crise-cyber",)),
    ("acces-belfort", "group", ("etu-belfort", "pers-belfort", "ens-belfort")),
    ("acces-belfort", "structure", ("FISA-INFO",)),
    ("acces-sevenans", "group", ("etu-sevenans", "pers-sevenans", "ens-sevenans")),
    ("acces-sevenans", "structure", ("FISA-MECA",)),
    ("acces-montbeliard", "group", ("etu-montbeliard", "pers-montbeliard", "ens-montbeliard")),
)


def _person_model() -> Any:
    return IndividualAuthorisation._meta.get_field("person").related_model


def _related(model: Any, field: str) -> Any:
    return model._meta.get_field(field).related_model


class CatalogueBuilder:
    """Builds the demo catalogue step by step (see :meth:`steps`)."""

    def __init__(self, *, seed: int = 2026, day: date | None = None) -> None:
        self.rng = random.Random(f"access-{seed}")
        self.day = day or referential.today()
        first = self.day.year if self.day.month >= 9 else self.day.year - 1
        self.year_start, self.year_end = date(first, 9, 1), date(first + 1, 8, 31)
        self.since = date(first - 3, 9, 1)
        self._facts: dict[uuid.UUID, PersonFacts] | None = None

    def steps(self) -> list[Step]:
        return [
            ("Catalogue de services", self.build_services),
            ("Règles d'attribution", self.build_rules),
            ("Autorisations individuelles", self.build_authorisations),
            ("Délégations", self.build_delegations),
        ]

    def build(self) -> dict[str, int]:
        return {label: step() for label, step in self.steps()}

    def build_services(self) -> int:
        DigitalService.objects.bulk_create(
            DigitalService(
                code=code,
                name=name,
                name_en=name_en,
                category=category,
                criticality=criticality,
                url=url,
                description=description,
                description_en=description_en,
            )
            for code, name, name_en, category, criticality, url, description, description_en in (
                SERVICES
            )
        )
        return len(SERVICES)

    def _label(self, kind: str, code: str) -> str:
        model = _related(AccessRule, kind)
        found = model.objects.filter(code=code).first()
        if found is None:
            raise LookupError(f"demo {kind} {code!r} is missing: build the referential first")
        return str(getattr(found, "label", None) or found.name)

    def build_rules(self) -> int:
        names = dict(DigitalService.objects.values_list("code", "name"))
        count = 0
        for service_code, kind, targets in RULES:
            for target in targets:
                actions.do_create_rule(
                    service_code,
                    label=f"{names[service_code]} — {self._label(kind, target)}",
                    start_date=self.since,
                    population_code=target if kind == "population" else "",
                    group_code=target if kind == "group" else "",
                    structure_code=target if kind == "structure" else "",
                    acting_user=None,
                )
                count += 1
        actions.do_create_rule(
            "vpn",
            label="VPN — intervenants extérieurs (marché de maintenance terminé)",
            start_date=date(self.since.year - 2, 9, 1),
            end_date=self.since - timedelta(days=1),
            population_code="external",
            acting_user=None,
        )
        return count + 1

    # --- persons ---------------------------------------------------------------------------

    def _uuid_of(self, login: str) -> uuid.UUID:
        value = _person_model().objects.filter(login=login).values_list("uuid", flat=True).first()
        if value is None:
            raise LookupError(f"demo persona {login!r} is missing: build the referential first")
        return uuid.UUID(str(value))

    def _holders(self, **criteria: str) -> list[uuid.UUID]:
        """Persons with a contract in force matching ``criteria`` (population, programme, …)."""
        if self._facts is None:
            self._facts = referential.facts_for(None, self.day)
        facts = self._facts
        found = [
            person_uuid
            for person_uuid, person in facts.items()
            if any(
                all(getattr(c, key) == value for key, value in criteria.items())
                for c in person.contracts
            )
        ]
        return sorted(found, key=str)

    def _sample(self, people: list[uuid.UUID], count: int) -> list[uuid.UUID]:
        return self.rng.sample(people, min(count, len(people)))

    def build_authorisations(self) -> int:
        day, rng = self.day, self.rng
        dsin, rssi = self._uuid_of("dsin"), self._uuid_of("rssi")
        programme_head = self._uuid_of("resp-formation")
        grants: list[tuple[str, uuid.UUID, str, uuid.UUID, date, date]] = [
            (
                "pegase",
                programme_head,
                "Consultation des dossiers de la formation Informatique pour les jurys de semestre",
                dsin,
                self.year_start,
                self.year_end,
            ),
            (
                "bastion",
                dsin,
                "Administration des serveurs de production",
                rssi,
                self.year_start,
                self.year_end,
            ),
        ]
        finalists = self._holders(programme="INFO", study_level="ING3")
        for person in self._sample(finalists, 4):
            grants.append(
                (
                    "hpc",
                    person,
                    "Projet de fin d'études : apprentissage profond sur GPU",
                    programme_head,
                    day - timedelta(days=20),
                    day + timedelta(days=60),
                )
            )
        externals = self._holders(population_code="external")
        for index, person in enumerate(self._sample(externals, 4)):
            ends = day + timedelta(days=rng.randint(7, 21)) if index else day - timedelta(days=5)
            grants.append(
                (
                    "vpn",
                    person,
                    "Télémaintenance du contrôle d'accès des bâtiments",
                    dsin,
                    day - timedelta(days=90),
                    ends,
                )
            )
        hosted = self._holders(population_code="hosted")
        for person in self._sample(hosted, 3):
            grants.append(
                (
                    "gitlab",
                    person,
                    "Collaboration sur un projet ANR",
                    programme_head,
                    day - timedelta(days=30),
                    day + timedelta(days=180),
                )
            )
        teachers = self._holders(population_code="contract_teacher")
        for person in self._sample(teachers, 2):
            grants.append(
                (
                    "pegase",
                    person,
                    "Saisie des notes d'un jury exceptionnel",
                    dsin,
                    day - timedelta(days=120),
                    day - timedelta(days=60),
                )
            )
        created = [
            actions.do_grant_authorisation(
                service,
                person,
                reason=reason,
                approver_uuid=approver,
                start_date=start,
                end_date=end,
                acting_user=None,
            )
            for service, person, reason, approver, start, end in grants
        ]
        revoked = next((a for a in created if a.service.code == "vpn" and a.end_date >= day), None)
        if revoked is not None:
            actions.do_revoke_authorisation(
                revoked.uuid, reason="Fin anticipée de la prestation", acting_user=None
            )
        return len(created)

    def build_delegations(self) -> int:
        delegations: list[tuple[uuid.UUID, str, tuple[str, ...]]] = [
            (self._uuid_of("resp-formation"), "INFO", ("gitlab", "hpc")),
        ]
        lab_staff = self._holders(population_code="staff", structure_code="FEMTO-ST")
        if lab_staff:
            delegations.append((self.rng.choice(lab_staff), "FEMTO-ST", ("hpc",)))
        dri_staff = self._holders(population_code="staff", structure_code="DRI")
        if dri_staff:
            delegations.append((self.rng.choice(dri_staff), "DRI", ("mobility-online",)))
        for delegate, structure, services in delegations:
            actions.do_delegate(
                delegate,
                structure,
                start_date=self.year_start,
                end_date=self.year_end,
                service_codes=services,
                acting_user=None,
            )
        return len(delegations)


def totals() -> dict[str, int]:
    """What the catalogue holds, for the build summary."""
    return {
        "services": DigitalService.objects.count(),
        "access rules": AccessRule.objects.count(),
        "individual authorisations": IndividualAuthorisation.objects.count(),
        "delegations": Delegation.objects.count(),
    }
