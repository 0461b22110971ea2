"""What the demo campus is made of: personas, campuses, structures, populations, cohorts,
staffing, job titles and groups. Head-counts are at scale 1."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Population, Structure

DEMO_PASSWORD = "cartable-demo"  # noqa: S105 — published demo password, shown by demo_logins
EMAIL_DOMAIN = "utbm.fr"


@dataclass(frozen=True)
class DemoPersona:
    """A fixed demo account; its roles derive from the contract and function below."""

    login: str
    roles: tuple[str, ...]
    description: str
    description_en: str
    first_name: str
    last_name: str
    female: bool
    population: str
    structure: str
    job_title: str = ""
    programme: str = ""
    study_level: str = ""
    function: str = ""
    function_structure: str = ""
    privileged: bool = False
    former: bool = False


PERSONAS: tuple[DemoPersona, ...] = (
    DemoPersona(
        login="etudiant",
        roles=("student",),
        description="Étudiante en Informatique (ING2, Belfort)",
        description_en="Computer science student (ING2, Belfort)",
        first_name="Léa",
        last_name="Moreau",
        female=True,
        population="student",
        structure="INFO",
        programme="INFO",
        study_level="ING2",
    ),
    DemoPersona(
        login="enseignant",
        roles=("teacher",),
        description="Enseignant-chercheur du département Informatique",
        description_en="Teacher-researcher, computer science department",
        first_name="Thomas",
        last_name="Girard",
        female=False,
        population="teacher_researcher",
        structure="INFO",
        job_title="Maître de conférences",
    ),
    DemoPersona(
        login="resp-ue",
        roles=("teacher", "ue_coordinator"),
        description="Enseignante-chercheuse, responsable d'UE",
        description_en="Teacher-researcher, course unit coordinator",
        first_name="Claire",
        last_name="Fontaine",
        female=True,
        population="teacher_researcher",
        structure="INFO",
        job_title="Maîtresse de conférences",
        function="ue_coordinator",
        function_structure="INFO",
    ),
    DemoPersona(
        login="resp-formation",
        roles=("teacher", "programme_head"),
        description="Responsable de la formation Informatique",
        description_en="Head of the computer science programme",
        first_name="Marc",
        last_name="Vidal",
        female=False,
        population="teacher_researcher",
        structure="INFO",
        job_title="Professeur des universités",
        function="programme_head",
        function_structure="INFO",
    ),
    DemoPersona(
        login="scolarite",
        roles=("scolarite",),
        description="Gestionnaire du service de la scolarité",
        description_en="Registrar's office officer",
        first_name="Nadia",
        last_name="Benali",
        female=True,
        population="staff",
        structure="SCOL",
        job_title="Gestionnaire de scolarité",
        function="scolarite",
        function_structure="SCOL",
        privileged=True,
    ),
    DemoPersona(
        login="dsin",
        roles=("dsin_admin",),
        description="Administrateur de la DSIN",
        description_en="Information systems administrator",
        first_name="Julien",
        last_name="Roche",
        female=False,
        population="staff",
        structure="DSIN",
        job_title="Ingénieur systèmes et réseaux",
        function="dsin_admin",
        function_structure="DSIN",
        privileged=True,
    ),
    DemoPersona(
        login="dpo",
        roles=("dpo",),
        description="Déléguée à la protection des données",
        description_en="Data protection officer",
        first_name="Sophie",
        last_name="Lambert",
        female=True,
        population="staff",
        structure="DG",
        job_title="Juriste",
        function="dpo",
        function_structure="UTBM",
        privileged=True,
    ),
    DemoPersona(
        login="rssi",
        roles=("security_officer",),
        description="Responsable de la sécurité des systèmes d'information",
        description_en="Information security officer",
        first_name="Karim",
        last_name="Haddad",
        female=False,
        population="staff",
        structure="DSIN",
        job_title="Ingénieur sécurité",
        function="security_officer",
        function_structure="DSIN",
        privileged=True,
    ),
    DemoPersona(
        login="direction",
        roles=("direction",),
        description="Directrice générale des services",
        description_en="Director-general of services",
        first_name="Anne",
        last_name="Mercier",
        female=True,
        population="staff",
        structure="DG",
        job_title="Directrice générale des services",
        function="direction",
        function_structure="UTBM",
        privileged=True,
    ),
    DemoPersona(
        login="ancien",
        roles=(),
        description="Ancien étudiant : inscription terminée, connexion refusée",
        description_en="Former student: registration ended, login refused",
        first_name="Hugo",
        last_name="Lefèvre",
        female=False,
        population="student",
        structure="INFO",
        programme="INFO",
        study_level="ING3",
        former=True,
    ),
)

CAMPUSES = (
    ("belfort", "Belfort", "Belfort", "Rue Thierry-Mieg, 90010 Belfort"),
    ("sevenans", "Sevenans", "Sevenans", "Rue du Château, 90400 Sevenans"),
    ("montbeliard", "Montbéliard", "Montbéliard", "Site des Portes du Jura, 25200 Montbéliard"),
)

_K = Structure.Kind
#: code, parent, kind, name, English name, acronym, campus
STRUCTURES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "UTBM",
        "",
        _K.ESTABLISHMENT,
        "Université de technologie de Belfort-Montbéliard",
        "Belfort-Montbéliard University of Technology",
        "UTBM",
        "belfort",
    ),
    ("DG", "UTBM", _K.SERVICE, "Direction générale", "General management", "DG", "belfort"),
    (
        "DSIN",
        "UTBM",
        _K.SERVICE,
        "Direction du système d'information et du numérique",
        "Information systems and digital department",
        "DSIN",
        "belfort",
    ),
    (
        "DFP",
        "UTBM",
        _K.SERVICE,
        "Direction des formations et de la pédagogie",
        "Education and teaching department",
        "DFP",
        "belfort",
    ),
    ("SCOL", "DFP", _K.SERVICE, "Service de la scolarité", "Registrar's office", "", "belfort"),
    (
        "DRH",
        "UTBM",
        _K.SERVICE,
        "Direction des ressources humaines",
        "Human resources department",
        "DRH",
        "belfort",
    ),
    ("AC", "UTBM", _K.SERVICE, "Agence comptable", "Accounting office", "AC", "belfort"),
    (
        "BU",
        "UTBM",
        _K.SERVICE,
        "Bibliothèque universitaire",
        "University library",
        "BU",
        "sevenans",
    ),
    (
        "DRI",
        "UTBM",
        _K.SERVICE,
        "Direction des relations internationales",
        "International relations office",
        "DRI",
        "belfort",
    ),
    (
        "PAT",
        "UTBM",
        _K.SERVICE,
        "Direction du patrimoine immobilier",
        "Estates department",
        "",
        "sevenans",
    ),
    ("COM", "UTBM", _K.SERVICE, "Service communication", "Communications office", "", "belfort"),
    (
        "DRV",
        "UTBM",
        _K.SERVICE,
        "Direction de la recherche et de la valorisation",
        "Research and innovation office",
        "DRV",
        "sevenans",
    ),
    ("TC", "UTBM", _K.DEPARTMENT, "Tronc commun", "Common core", "TC", "belfort"),
    (
        "PEI",
        "UTBM",
        _K.POLE,
        "Pôle Énergie-Informatique",
        "Energy and Computer Science division",
        "",
        "belfort",
    ),
    (
        "INFO",
        "PEI",
        _K.DEPARTMENT,
        "Département Informatique",
        "Computer Science department",
        "INFO",
        "belfort",
    ),
    (
        "FISA-INFO",
        "INFO",
        _K.PROGRAMME,
        "Ingénieur Informatique par apprentissage",
        "Computer Science engineering apprenticeship",
        "FISA INFO",
        "belfort",
    ),
    ("ENER", "PEI", _K.DEPARTMENT, "Département Énergie", "Energy department", "ENER", "belfort"),
    ("PI4", "UTBM", _K.POLE, "Pôle Industrie 4.0", "Industry 4.0 division", "", "sevenans"),
    (
        "MECA",
        "PI4",
        _K.DEPARTMENT,
        "Département Mécanique",
        "Mechanical Engineering department",
        "MECA",
        "sevenans",
    ),
    (
        "FISA-MECA",
        "MECA",
        _K.PROGRAMME,
        "Ingénieur Mécanique par apprentissage",
        "Mechanical engineering apprenticeship",
        "FISA MECA",
        "sevenans",
    ),
    (
        "GI",
        "PI4",
        _K.DEPARTMENT,
        "Département Génie industriel",
        "Industrial Engineering department",
        "GI",
        "sevenans",
    ),
    ("PMOB", "UTBM", _K.POLE, "Pôle Mobilités", "Mobility division", "", "montbeliard"),
    (
        "EDIM",
        "PMOB",
        _K.DEPARTMENT,
        "Département Ergonomie, Design et Ingénierie Mécanique",
        "Ergonomics, Design and Mechanical Engineering department",
        "EDIM",
        "montbeliard",
    ),
    (
        "FEMTO-ST",
        "UTBM",
        _K.LABORATORY,
        "Institut FEMTO-ST (UMR 6174)",
        "FEMTO-ST Institute",
        "FEMTO-ST",
        "belfort",
    ),
    (
        "ICB",
        "UTBM",
        _K.LABORATORY,
        "Laboratoire Interdisciplinaire Carnot de Bourgogne (UMR 6303)",
        "Carnot Interdisciplinary Laboratory of Burgundy",
        "ICB",
        "sevenans",
    ),
    (
        "CIAD",
        "UTBM",
        _K.LABORATORY,
        "Connaissance et Intelligence Artificielle Distribuées (UR 7533)",
        "Distributed Knowledge and Artificial Intelligence",
        "CIAD",
        "belfort",
    ),
    (
        "ELLIADD",
        "UTBM",
        _K.LABORATORY,
        "Éditions, Littératures, Langages, Informatique, Arts, Didactiques, Discours (UR 4661)",
        "ELLIADD laboratory",
        "ELLIADD",
        "montbeliard",
    ),
    (
        "FCLAB",
        "UTBM",
        _K.LABORATORY,
        "Fuel Cell Lab (FR CNRS 3539)",
        "Fuel Cell Lab",
        "FCLAB",
        "belfort",
    ),
    (
        "NANOMED",
        "UTBM",
        _K.LABORATORY,
        "Nanomedicine Lab (UR 4662)",
        "Nanomedicine Lab",
        "Nanomedicine Lab",
        "belfort",
    ),
)

_R, _C, _H = Population.Kind.REGISTRATION, Population.Kind.CONTRACT, Population.Kind.HOSTING
#: code, label, English label, kind, eduPersonAffiliation values, grace days
POPULATIONS = (
    ("student", "Étudiant·e", "Student", _R, "student,member", 30),
    (
        "apprentice",
        "Apprenti·e ingénieur·e",
        "Engineering apprentice",
        _R,
        "student,employee,member",
        30,
    ),
    (
        "teacher_researcher",
        "Enseignant·e-chercheur·e",
        "Teacher-researcher",
        _C,
        "faculty,teacher,researcher,employee,member",
        0,
    ),
    (
        "contract_teacher",
        "Enseignant·e contractuel·le",
        "Contract teacher",
        _C,
        "faculty,teacher,employee,member",
        15,
    ),
    (
        "staff",
        "Personnel administratif et technique",
        "Administrative and technical staff",
        _C,
        "staff,employee,member",
        0,
    ),
    ("hosted", "Personne hébergée", "Hosted person", _H, "affiliate", 0),
    ("external", "Intervenant·e extérieur·e", "External contributor", _H, "affiliate", 0),
)

PROGRAMMES = ("TC", "INFO", "ENER", "MECA", "GI", "EDIM")
STUDY_LEVELS = ("TC1", "TC2", "TC3", "TC4", "ING1", "ING2", "ING3", "FISA1", "FISA2", "FISA3")


@dataclass(frozen=True)
class Cohort:
    structure: str
    population: str
    programme: str
    levels: tuple[str, ...]
    weights: tuple[int, ...]
    count: int
    campuses: tuple[str, ...]


_ING = ("ING1", "ING2", "ING3")
_FISA = ("FISA1", "FISA2", "FISA3")
#: Scale 1: 2,469 students with the ``etudiant`` persona (who is counted in INFO).
COHORTS = (
    Cohort(
        "TC",
        "student",
        "TC",
        ("TC1", "TC2", "TC3", "TC4"),
        (40, 38, 14, 8),
        800,
        ("belfort", "sevenans"),
    ),
    Cohort("INFO", "student", "INFO", _ING, (34, 33, 33), 419, ("belfort",)),
    Cohort("ENER", "student", "ENER", _ING, (34, 33, 33), 250, ("belfort",)),
    Cohort("MECA", "student", "MECA", _ING, (34, 33, 33), 300, ("sevenans",)),
    Cohort("GI", "student", "GI", _ING, (34, 33, 33), 260, ("sevenans",)),
    Cohort("EDIM", "student", "EDIM", _ING, (34, 33, 33), 190, ("montbeliard",)),
    Cohort("FISA-INFO", "apprentice", "INFO", _FISA, (34, 33, 33), 130, ("belfort",)),
    Cohort("FISA-MECA", "apprentice", "MECA", _FISA, (34, 33, 33), 119, ("sevenans",)),
)
FORMER_STUDENTS = 250
ENDING_SOON_SHARE = 0.03

#: structure, population, head-count at scale 1 (at least one at any scale)
STAFFING: tuple[tuple[str, str, int], ...] = (
    ("TC", "teacher_researcher", 40),
    ("TC", "contract_teacher", 20),
    ("TC", "staff", 6),
    ("INFO", "teacher_researcher", 45),
    ("INFO", "contract_teacher", 15),
    ("INFO", "staff", 5),
    ("FISA-INFO", "teacher_researcher", 5),
    ("FISA-INFO", "contract_teacher", 5),
    ("FISA-INFO", "staff", 2),
    ("ENER", "teacher_researcher", 32),
    ("ENER", "contract_teacher", 10),
    ("ENER", "staff", 4),
    ("MECA", "teacher_researcher", 42),
    ("MECA", "contract_teacher", 12),
    ("MECA", "staff", 5),
    ("FISA-MECA", "teacher_researcher", 5),
    ("FISA-MECA", "contract_teacher", 5),
    ("FISA-MECA", "staff", 2),
    ("GI", "teacher_researcher", 36),
    ("GI", "contract_teacher", 12),
    ("GI", "staff", 4),
    ("EDIM", "teacher_researcher", 30),
    ("EDIM", "contract_teacher", 11),
    ("EDIM", "staff", 4),
    ("FEMTO-ST", "staff", 20),
    ("FEMTO-ST", "hosted", 20),
    ("ICB", "staff", 15),
    ("ICB", "hosted", 15),
    ("CIAD", "staff", 8),
    ("CIAD", "hosted", 10),
    ("ELLIADD", "staff", 5),
    ("ELLIADD", "hosted", 5),
    ("FCLAB", "staff", 12),
    ("FCLAB", "hosted", 12),
    ("NANOMED", "staff", 6),
    ("NANOMED", "hosted", 8),
    ("DG", "staff", 20),
    ("DSIN", "staff", 22),
    ("DFP", "staff", 18),
    ("SCOL", "staff", 32),
    ("DRH", "staff", 25),
    ("AC", "staff", 18),
    ("BU", "staff", 22),
    ("DRI", "staff", 12),
    ("PAT", "staff", 70),
    ("COM", "staff", 12),
    ("DRV", "staff", 12),
    ("DSIN", "external", 10),
    ("PAT", "external", 12),
    ("DG", "external", 4),
    ("BU", "external", 4),
)
MINIMUM_STAFF = {"DSIN": 3, "SCOL": 2, "DG": 2}

TITLES: dict[str, tuple[str, ...]] = {
    "teacher_researcher": ("Maître de conférences",) * 6
    + ("Professeur des universités",) * 3
    + ("Maître de conférences HDR",),
    "contract_teacher": (
        "Enseignant contractuel",
        "Attaché temporaire d'enseignement et de recherche",
        "Professeur associé",
        "Doctorant chargé d'enseignement",
    ),
    "hosted": ("Chercheur CNRS", "Post-doctorant", "Post-doctorant", "Chercheur invité"),
    "external": ("Prestataire", "Intervenant extérieur"),
    "DSIN": (
        "Ingénieur systèmes et réseaux",
        "Technicien informatique",
        "Développeur d'applications",
        "Chef de projet SI",
        "Technicien support",
    ),
    "SCOL": ("Gestionnaire de scolarité",) * 4 + ("Responsable de scolarité",),
    "DRH": ("Gestionnaire RH", "Gestionnaire paie", "Chargé de recrutement"),
    "AC": ("Gestionnaire comptable", "Fondé de pouvoir"),
    "BU": ("Bibliothécaire", "Magasinier des bibliothèques", "Conservateur"),
    "DRI": ("Chargé de mobilité internationale",),
    "PAT": ("Technicien de maintenance", "Agent logistique", "Chargé d'opérations immobilières"),
    "DG": ("Chargé de mission", "Assistant de direction", "Juriste"),
    "COM": ("Chargé de communication", "Graphiste"),
    "DRV": ("Chargé de valorisation", "Gestionnaire de contrats de recherche"),
    "DFP": ("Ingénieur pédagogique", "Gestionnaire de formation"),
    _K.DEPARTMENT: ("Secrétaire pédagogique", "Technicien de plateforme d'enseignement"),
    _K.PROGRAMME: ("Chargé des relations entreprises",),
    _K.LABORATORY: ("Ingénieur de recherche", "Technicien de recherche", "Doctorant contractuel"),
}
#: Share of permanent contracts; the others are fixed-term.
PERMANENT_SHARE = {"teacher_researcher": 1.0, "contract_teacher": 0.0, "staff": 0.7}
#: Share of fixed-term contracts ending within a few weeks, and of contracts already ended.
ENDING_SOON = {"contract_teacher": 0.12, "staff": 0.12, "hosted": 0.12, "external": 0.2}
ENDED = {"contract_teacher": 0.05, "staff": 0.02, "hosted": 0.05, "external": 0.05}

#: code, name, owner, population, structure, campus, programme, study level
RULE_GROUPS: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    ("etu-belfort", "Étudiants du campus de Belfort", "DFP", "student", "", "belfort", "", ""),
    ("etu-sevenans", "Étudiants du campus de Sevenans", "DFP", "student", "", "sevenans", "", ""),
    (
        "etu-montbeliard",
        "Étudiants du campus de Montbéliard",
        "DFP",
        "student",
        "",
        "montbeliard",
        "",
        "",
    ),
    ("pers-belfort", "Personnels du campus de Belfort", "DRH", "staff", "", "belfort", "", ""),
    ("pers-sevenans", "Personnels du campus de Sevenans", "DRH", "staff", "", "sevenans", "", ""),
    (
        "pers-montbeliard",
        "Personnels du campus de Montbéliard",
        "DRH",
        "staff",
        "",
        "montbeliard",
        "",
        "",
    ),
    (
        "ens-belfort",
        "Enseignants-chercheurs du campus de Belfort",
        "DRH",
        "teacher_researcher",
        "",
        "belfort",
        "",
        "",
    ),
    (
        "ens-sevenans",
        "Enseignants-chercheurs du campus de Sevenans",
        "DRH",
        "teacher_researcher",
        "",
        "sevenans",
        "",
        "",
    ),
    (
        "ens-montbeliard",
        "Enseignants-chercheurs du campus de Montbéliard",
        "DRH",
        "teacher_researcher",
        "",
        "montbeliard",
        "",
        "",
    ),
    ("apprentis", "Apprentis", "DFP", "apprentice", "", "", "", ""),
    ("pers-dsin", "Personnels de la DSIN", "DSIN", "", "DSIN", "", "", ""),
    ("etu-info", "Étudiants de la formation Informatique", "INFO", "", "", "", "INFO", ""),
    ("tc1", "Étudiants de première année du tronc commun", "TC", "", "", "", "", "TC1"),
)
#: code, name, owner, description
STATIC_GROUPS = (
    (
        "elus-ca",
        "Élus au conseil d'administration",
        "DG",
        "Membres élus du conseil d'administration, mandat en cours.",
    ),
    (
        "erasmus-2026",
        "Projet Erasmus+ 2026",
        "DRI",
        "Équipe et étudiants du projet de mobilité Erasmus+ 2026.",
    ),
    (
        "correspondants-numeriques",
        "Correspondants numériques",
        "DSIN",
        "Un correspondant de la DSIN par département et par service.",
    ),
    (
        "cellule-crise-cyber",
        "Cellule de crise cyber",
        "DSIN",
        "Personnes mobilisées en cas d'incident de sécurité majeur.",
    ),
)

PERSONAL_DOMAINS = ("gmail.com", "orange.fr", "free.fr", "laposte.net", "outlook.fr", "sfr.fr")
