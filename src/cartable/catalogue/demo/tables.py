"""What the demo training offer is made of: categories, diplomas and programmes, software,
teaching domains with their UE codes and topics, internships.

Assumptions (not UTBM's official data): the category labels (CS, TM, EC, OM, QC, ST) are
plausible readings of the UT categories — in particular "QC" is read as *quart culturel*
(humanities and society); the filières, the masters' titles and the RNCP numbers are
illustrative; UE codes follow the UT shape (two letters, two digits) but do not reproduce
UTBM's real catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass

#: code, label, English label, description
CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "CS",
        "Connaissances scientifiques",
        "Scientific knowledge",
        "Fondements scientifiques : mathématiques, physique, informatique fondamentale.",
    ),
    (
        "TM",
        "Techniques et méthodes",
        "Techniques and methods",
        "Techniques et méthodes de l'ingénieur propres à la spécialité.",
    ),
    (
        "EC",
        "Expression et communication",
        "Expression and communication",
        "Langues vivantes, expression écrite et orale, communication.",
    ),
    (
        "OM",
        "Organisation et management",
        "Organisation and management",
        "Gestion, droit, management et entrepreneuriat.",
    ),
    (
        "QC",
        "Quart culturel — humanités et société",
        "Humanities and society",
        "Culture générale, sciences humaines et sociales, arts (libellé supposé).",
    ),
    (
        "ST",
        "Stages et missions en entreprise",
        "Internships and work placements",
        "Stages, missions en entreprise des apprentis et stages de recherche.",
    ),
)


@dataclass(frozen=True)
class DiplomaSpec:
    """A diploma and its programme (one row per catalogue year)."""

    code: str
    kind: str
    title: str
    title_en: str
    programme: str
    cycle: str
    programme_title: str
    programme_title_en: str
    structure: str
    campus: str
    rncp: str
    tracks: tuple[tuple[str, str, str], ...] = ()


DIPLOMAS: tuple[DiplomaSpec, ...] = (
    DiplomaSpec(
        "DEUTEC",
        "deutec",
        "Diplôme d'études universitaires technologiques (DEUTEC)",
        "University technological studies diploma (DEUTEC)",
        "TC",
        "tronc_commun",
        "Tronc commun",
        "Common core",
        "TC",
        "belfort",
        "RNCP35620",
    ),
    DiplomaSpec(
        "ING-INFO",
        "engineer",
        "Ingénieur diplômé de l'UTBM, spécialité Informatique",
        "UTBM engineering degree in Computer Science",
        "INFO",
        "branche",
        "Informatique",
        "Computer Science",
        "INFO",
        "belfort",
        "RNCP35627",
        (
            ("ILC", "Ingénierie du logiciel et de la connaissance", "Software and knowledge"),
            ("I2RV", "Imagerie, interaction et réalité virtuelle", "Imaging and virtual reality"),
            ("LEIM", "Logiciel embarqué et informatique mobile", "Embedded and mobile software"),
            ("RSC", "Réseaux, sécurité et cloud", "Networks, security and cloud"),
        ),
    ),
    DiplomaSpec(
        "ING-ENER",
        "engineer",
        "Ingénieur diplômé de l'UTBM, spécialité Énergie",
        "UTBM engineering degree in Energy",
        "ENER",
        "branche",
        "Énergie",
        "Energy",
        "ENER",
        "belfort",
        "RNCP35628",
        (
            ("BEE", "Bâtiment et efficacité énergétique", "Buildings and energy efficiency"),
            ("HSE", "Hydrogène et systèmes électriques", "Hydrogen and electrical systems"),
            ("ENR", "Énergies renouvelables et réseaux", "Renewable energies and grids"),
        ),
    ),
    DiplomaSpec(
        "ING-MECA",
        "engineer",
        "Ingénieur diplômé de l'UTBM, spécialité Mécanique",
        "UTBM engineering degree in Mechanical Engineering",
        "MECA",
        "branche",
        "Mécanique",
        "Mechanical Engineering",
        "MECA",
        "sevenans",
        "RNCP35629",
        (
            ("CSM", "Conception et simulation mécaniques", "Mechanical design and simulation"),
            ("PPI", "Procédés et production industrielle", "Processes and manufacturing"),
            ("MAT", "Matériaux et surfaces", "Materials and surfaces"),
        ),
    ),
    DiplomaSpec(
        "ING-GI",
        "engineer",
        "Ingénieur diplômé de l'UTBM, spécialité Génie industriel",
        "UTBM engineering degree in Industrial Engineering",
        "GI",
        "branche",
        "Génie industriel",
        "Industrial Engineering",
        "GI",
        "sevenans",
        "RNCP35630",
        (
            ("LOG", "Logistique et chaîne d'approvisionnement", "Logistics and supply chain"),
            ("QPI", "Qualité et performance industrielle", "Quality and industrial performance"),
            ("U40", "Usine 4.0", "Industry 4.0 plant"),
        ),
    ),
    DiplomaSpec(
        "ING-EDIM",
        "engineer",
        "Ingénieur diplômé de l'UTBM, spécialité Ergonomie, design et ingénierie mécanique",
        "UTBM engineering degree in Ergonomics, Design and Mechanical Engineering",
        "EDIM",
        "branche",
        "Ergonomie, design et ingénierie mécanique",
        "Ergonomics, Design and Mechanical Engineering",
        "EDIM",
        "montbeliard",
        "RNCP35631",
        (
            ("DI", "Design industriel", "Industrial design"),
            ("EIV", "Ergonomie et ingénierie du véhicule", "Ergonomics and vehicle engineering"),
        ),
    ),
    DiplomaSpec(
        "FISA-INFO",
        "apprenticeship",
        "Ingénieur diplômé de l'UTBM, spécialité Informatique, par apprentissage",
        "UTBM engineering degree in Computer Science, apprenticeship track",
        "FISA-INFO",
        "apprenticeship",
        "Informatique par apprentissage",
        "Computer Science (apprenticeship)",
        "FISA-INFO",
        "belfort",
        "RNCP35632",
    ),
    DiplomaSpec(
        "FISA-MECA",
        "apprenticeship",
        "Ingénieur diplômé de l'UTBM, spécialité Mécanique, par apprentissage",
        "UTBM engineering degree in Mechanical Engineering, apprenticeship track",
        "FISA-MECA",
        "apprenticeship",
        "Mécanique par apprentissage",
        "Mechanical Engineering (apprenticeship)",
        "FISA-MECA",
        "sevenans",
        "RNCP35633",
    ),
    DiplomaSpec(
        "MASTER-EEA",
        "master",
        "Master Électronique, énergie électrique, automatique",
        "Master's degree in Electronics, Electrical Energy and Control",
        "M-EEA",
        "master",
        "Master EEA — Systèmes électriques et hydrogène",
        "EEA master's — Electrical systems and hydrogen",
        "ENER",
        "belfort",
        "RNCP35634",
        (("SEH", "Systèmes électriques et hydrogène", "Electrical systems and hydrogen"),),
    ),
    DiplomaSpec(
        "MASTER-INFO",
        "master",
        "Master Informatique",
        "Master's degree in Computer Science",
        "M-INFO",
        "master",
        "Master Informatique — Intelligence artificielle et systèmes distribués",
        "Computer Science master's — Artificial intelligence and distributed systems",
        "INFO",
        "belfort",
        "RNCP35635",
        (("IASD", "Intelligence artificielle et systèmes distribués", "AI and distributed"),),
    ),
)

ENGINEERING = ("INFO", "ENER", "MECA", "GI", "EDIM")
APPRENTICESHIP = ("FISA-INFO", "FISA-MECA")
MASTERS = ("M-EEA", "M-INFO")
ALL_PROGRAMMES = ("TC", *ENGINEERING, *APPRENTICESHIP, *MASTERS)
CAMPUSES = ("belfort", "sevenans", "montbeliard")

#: code, name, publisher, licence, access modes allowed by the licence, address
SOFTWARE: tuple[tuple[str, str, str, str, tuple[str, ...], str], ...] = (
    (
        "catia",
        "CATIA V5",
        "Dassault Systèmes",
        "paid",
        ("lab", "virtualised"),
        "https://www.3ds.com/",
    ),
    (
        "solidworks",
        "SolidWorks Education",
        "Dassault Systèmes",
        "campus",
        ("lab", "byod"),
        "https://www.solidworks.com/",
    ),
    (
        "fusion-360",
        "Fusion 360",
        "Autodesk",
        "education",
        ("byod",),
        "https://www.autodesk.com/products/fusion-360",
    ),
    (
        "autocad",
        "AutoCAD",
        "Autodesk",
        "education",
        ("byod", "lab"),
        "https://www.autodesk.com/products/autocad",
    ),
    (
        "matlab",
        "MATLAB",
        "MathWorks",
        "campus",
        ("byod", "virtualised", "lab"),
        "https://www.mathworks.com/",
    ),
    (
        "simulink",
        "Simulink",
        "MathWorks",
        "campus",
        ("byod", "lab"),
        "https://www.mathworks.com/products/simulink.html",
    ),
    (
        "ansys",
        "Ansys Mechanical",
        "Ansys",
        "paid",
        ("lab", "virtualised"),
        "https://www.ansys.com/",
    ),
    ("comsol", "COMSOL Multiphysics", "COMSOL", "paid", ("lab",), "https://www.comsol.com/"),
    ("scilab", "Scilab", "Dassault Systèmes", "free", ("byod",), "https://www.scilab.org/"),
    ("labview", "LabVIEW", "NI", "paid", ("lab",), "https://www.ni.com/labview"),
    (
        "vscode",
        "Visual Studio Code",
        "Microsoft",
        "free",
        ("byod",),
        "https://code.visualstudio.com/",
    ),
    (
        "intellij-idea",
        "IntelliJ IDEA Ultimate",
        "JetBrains",
        "education",
        ("byod",),
        "https://www.jetbrains.com/idea/",
    ),
    (
        "eclipse",
        "Eclipse IDE",
        "Eclipse Foundation",
        "free",
        ("byod", "lab"),
        "https://eclipseide.org/",
    ),
    (
        "visual-studio",
        "Visual Studio",
        "Microsoft",
        "education",
        ("byod", "virtualised"),
        "https://visualstudio.microsoft.com/",
    ),
    (
        "python",
        "Python (distribution Anaconda)",
        "Python Software Foundation",
        "free",
        ("byod",),
        "https://www.python.org/",
    ),
    ("r", "R et RStudio", "R Foundation, Posit", "free", ("byod",), "https://www.r-project.org/"),
    ("docker", "Docker", "Docker Inc.", "free", ("byod", "virtualised"), "https://www.docker.com/"),
    ("git", "Git", "Software Freedom Conservancy", "free", ("byod",), "https://git-scm.com/"),
    (
        "postgresql",
        "PostgreSQL",
        "PostgreSQL Global Development Group",
        "free",
        ("byod", "virtualised"),
        "https://www.postgresql.org/",
    ),
    (
        "wireshark",
        "Wireshark",
        "Wireshark Foundation",
        "free",
        ("byod", "lab"),
        "https://www.wireshark.org/",
    ),
    (
        "packet-tracer",
        "Cisco Packet Tracer",
        "Cisco",
        "education",
        ("byod",),
        "https://www.netacad.com/",
    ),
    (
        "libreoffice",
        "LibreOffice",
        "The Document Foundation",
        "free",
        ("byod",),
        "https://www.libreoffice.org/",
    ),
    (
        "microsoft-365",
        "Microsoft 365 Apps",
        "Microsoft",
        "campus",
        ("byod",),
        "https://www.office.com/",
    ),
    ("arduino-ide", "Arduino IDE", "Arduino", "free", ("byod", "lab"), "https://www.arduino.cc/"),
    ("kicad", "KiCad", "KiCad", "free", ("byod",), "https://www.kicad.org/"),
    (
        "flexsim",
        "FlexSim",
        "FlexSim Software Products",
        "paid",
        ("lab", "virtualised"),
        "https://www.flexsim.com/",
    ),
    ("blender", "Blender", "Blender Foundation", "free", ("byod",), "https://www.blender.org/"),
)


#: Internships: code, title, English title, programme, credits, level tens
INTERNSHIPS: tuple[tuple[str, str, str, str, int, int], ...] = (
    ("ST05", "Stage ouvrier", "Worker internship", "TC", 6, 0),
    *(
        (
            f"ST{41 + i}",
            f"Stage assistant ingénieur — {title}",
            f"Assistant engineer internship — {en}",
            code,
            30,
            4,
        )
        for i, (code, title, en) in enumerate(
            (
                ("INFO", "Informatique", "Computer Science"),
                ("ENER", "Énergie", "Energy"),
                ("MECA", "Mécanique", "Mechanical Engineering"),
                ("GI", "Génie industriel", "Industrial Engineering"),
                ("EDIM", "EDIM", "EDIM"),
            )
        )
    ),
    *(
        (
            f"ST{51 + i}",
            f"Stage de fin d'études — {title}",
            f"Final-year internship — {en}",
            code,
            30,
            5,
        )
        for i, (code, title, en) in enumerate(
            (
                ("INFO", "Informatique", "Computer Science"),
                ("ENER", "Énergie", "Energy"),
                ("MECA", "Mécanique", "Mechanical Engineering"),
                ("GI", "Génie industriel", "Industrial Engineering"),
                ("EDIM", "EDIM", "EDIM"),
            )
        )
    ),
    (
        "ST61",
        "Mission en entreprise 1 — apprentissage informatique",
        "Work placement 1 — computer science apprenticeship",
        "FISA-INFO",
        30,
        3,
    ),
    (
        "ST62",
        "Mission en entreprise 2 — apprentissage informatique",
        "Work placement 2 — computer science apprenticeship",
        "FISA-INFO",
        30,
        5,
    ),
    (
        "ST63",
        "Mission en entreprise 1 — apprentissage mécanique",
        "Work placement 1 — mechanical apprenticeship",
        "FISA-MECA",
        30,
        3,
    ),
    (
        "ST64",
        "Mission en entreprise 2 — apprentissage mécanique",
        "Work placement 2 — mechanical apprenticeship",
        "FISA-MECA",
        30,
        5,
    ),
    (
        "ST71",
        "Stage de recherche — master EEA",
        "Research internship — EEA master's",
        "M-EEA",
        30,
        6,
    ),
    (
        "ST72",
        "Stage de recherche — master Informatique",
        "Research internship — Computer Science master's",
        "M-INFO",
        30,
        6,
    ),
)

#: French and English assessment methods.
ASSESSMENTS: tuple[tuple[str, str], ...] = (
    (
        "Contrôle continu (40 %) et examen final écrit (60 %).",
        "Continuous assessment (40%) and final written exam (60%).",
    ),
    (
        "Deux examens écrits (médian 40 %, final 60 %).",
        "Two written exams (mid-term 40%, final 60%).",
    ),
    (
        "Travaux pratiques notés (30 %), projet (30 %) et examen final (40 %).",
        "Graded lab work (30%), project (30%) and final exam (40%).",
    ),
    (
        "Projet en équipe avec rapport et soutenance (60 %), examen individuel (40 %).",
        "Team project with report and defence (60%), individual exam (40%).",
    ),
    (
        "Contrôle continu intégral : quiz, devoirs et épreuve de synthèse.",
        "Full continuous assessment: quizzes, assignments and a final synthesis test.",
    ),
)
