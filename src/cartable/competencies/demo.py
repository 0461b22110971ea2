"""Demo competency frameworks (démarche compétence, §2.2.1): one per diploma of the demo
catalogue, each with a four-level proficiency scale, three to five certifiable blocks, three
to five competencies per block and one to three learning outcomes per competency.

The RNCP numbers (``RNCP35627`` …) are fictitious: they follow the shape of France
compétences' codes (``RNCP<number>BC<block>``) but designate no real certification. Titles
are plausible for an engineering school; they are not UTBM's accredited frameworks.

Identifiers are UUID v5 derived from the codes, so that every build gives the same CASE
identifiers whatever the seed (the frameworks do not depend on it). :func:`build_frameworks`
writes the rows with ``bulk_create`` and answers plain data (:class:`FrameworkData`) for the
catalogue's demo, which links offers to competencies by their ids.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from .models import Block, Competency, Framework, LearningOutcome, Level

#: Namespace of the demo frameworks' CASE identifiers.
NAMESPACE = uuid.UUID("0f5c3b7e-8d1a-4e0b-9a63-2f7d1c4b5a90")

#: rank, code, label, English label, descriptor
LEVELS: tuple[tuple[int, str, str, str, str], ...] = (
    (
        1,
        "N1",
        "Novice",
        "Novice",
        "Connaît les notions et les outils ; les applique dans une situation guidée et simple.",
    ),
    (
        2,
        "N2",
        "Intermédiaire",
        "Intermediate",
        "Applique les méthodes dans une situation connue, avec une autonomie partielle.",
    ),
    (
        3,
        "N3",
        "Avancé",
        "Advanced",
        "Mobilise les méthodes en autonomie dans une situation nouvelle et justifie ses choix.",
    ),
    (
        4,
        "N4",
        "Expert",
        "Expert",
        "Adapte et fait évoluer les méthodes dans une situation complexe ; sait transmettre.",
    ),
)

#: A block: title, English title, then (competency title, English title) pairs.
BlockSpec = tuple[str, str, tuple[tuple[str, str], ...]]

_SCIENCES: BlockSpec = (
    "Mobiliser les sciences fondamentales de l'ingénieur",
    "Apply the fundamental engineering sciences",
    (
        ("Modéliser un phénomène physique", "Model a physical phenomenon"),
        ("Utiliser les outils mathématiques de l'ingénieur", "Use engineering mathematics"),
        ("Exploiter des mesures expérimentales", "Make use of experimental measurements"),
        ("Écrire un algorithme et le programmer", "Write and program an algorithm"),
    ),
)
_METHODS: BlockSpec = (
    "Mettre en œuvre les méthodes et outils de l'ingénieur",
    "Use engineering methods and tools",
    (
        ("Conduire une démarche expérimentale", "Conduct an experimental approach"),
        ("Représenter un objet technique", "Represent a technical object"),
        ("Utiliser un outil de calcul numérique", "Use a numerical computing tool"),
    ),
)
_PROJECT: BlockSpec = (
    "Piloter des projets et des organisations",
    "Manage projects and organisations",
    (
        ("Planifier et suivre un projet", "Plan and monitor a project"),
        ("Évaluer les coûts et la valeur d'une solution", "Assess costs and value of a solution"),
        ("Animer une équipe", "Lead a team"),
        ("Intégrer les enjeux de l'entreprise", "Take the company's stakes into account"),
    ),
)
_COMMUNICATION: BlockSpec = (
    "Communiquer et travailler dans un contexte international",
    "Communicate and work in an international context",
    (
        ("Communiquer à l'écrit et à l'oral", "Communicate in writing and orally"),
        ("Travailler en anglais", "Work in English"),
        ("Travailler dans un contexte interculturel", "Work in an intercultural context"),
    ),
)
_RESPONSIBILITY: BlockSpec = (
    "Agir en ingénieur responsable",
    "Act as a responsible engineer",
    (
        (
            "Intégrer les enjeux de la transition écologique",
            "Take the ecological transition into account",
        ),
        ("Respecter l'éthique et la déontologie", "Respect ethics and professional conduct"),
        ("Prendre en compte la santé et la sécurité", "Take health and safety into account"),
        ("Construire son projet professionnel", "Build one's career plan"),
    ),
)

_SPECIALITY_BLOCKS: dict[str, tuple[BlockSpec, BlockSpec]] = {
    "INFO": (
        (
            "Concevoir et développer des systèmes logiciels",
            "Design and develop software systems",
            (
                ("Analyser un besoin logiciel", "Analyse software requirements"),
                ("Concevoir une architecture logicielle", "Design a software architecture"),
                ("Développer et tester une application", "Develop and test an application"),
                ("Gérer des données massives", "Manage large-scale data"),
            ),
        ),
        (
            "Déployer et sécuriser des infrastructures numériques",
            "Deploy and secure digital infrastructures",
            (
                ("Administrer des systèmes et réseaux", "Administer systems and networks"),
                ("Sécuriser un système d'information", "Secure an information system"),
                ("Déployer une application dans le nuage", "Deploy an application to the cloud"),
                ("Mettre en œuvre l'intelligence artificielle", "Apply artificial intelligence"),
            ),
        ),
    ),
    "ENER": (
        (
            "Concevoir des systèmes énergétiques",
            "Design energy systems",
            (
                ("Dimensionner un système thermique", "Size a thermal system"),
                (
                    "Concevoir une chaîne de conversion électrique",
                    "Design a power conversion chain",
                ),
                ("Intégrer des énergies renouvelables", "Integrate renewable energies"),
                ("Mettre en œuvre des systèmes à hydrogène", "Implement hydrogen systems"),
            ),
        ),
        (
            "Piloter et optimiser l'efficacité énergétique",
            "Control and optimise energy efficiency",
            (
                ("Réaliser un audit énergétique", "Carry out an energy audit"),
                ("Commander un système électrique", "Control an electrical system"),
                ("Optimiser un réseau énergétique", "Optimise an energy network"),
            ),
        ),
    ),
    "MECA": (
        (
            "Concevoir des produits et systèmes mécaniques",
            "Design mechanical products and systems",
            (
                ("Concevoir un mécanisme", "Design a mechanism"),
                ("Dimensionner une structure", "Size a structure"),
                ("Choisir un matériau", "Select a material"),
                ("Simuler un comportement mécanique", "Simulate a mechanical behaviour"),
            ),
        ),
        (
            "Industrialiser et produire",
            "Industrialise and produce",
            (
                ("Définir un procédé de fabrication", "Define a manufacturing process"),
                ("Spécifier une pièce et sa cotation", "Specify a part and its tolerancing"),
                ("Contrôler la qualité d'une production", "Control production quality"),
            ),
        ),
    ),
    "GI": (
        (
            "Organiser et piloter la production",
            "Organise and control production",
            (
                ("Modéliser un système de production", "Model a production system"),
                ("Planifier la production", "Plan production"),
                ("Gérer une chaîne logistique", "Manage a supply chain"),
                ("Améliorer la performance industrielle", "Improve industrial performance"),
            ),
        ),
        (
            "Maîtriser la qualité et les systèmes d'information industriels",
            "Manage quality and industrial information systems",
            (
                ("Déployer une démarche qualité", "Deploy a quality approach"),
                ("Analyser des données industrielles", "Analyse industrial data"),
                ("Intégrer un progiciel de gestion", "Integrate an ERP system"),
            ),
        ),
    ),
    "EDIM": (
        (
            "Concevoir des produits centrés sur l'usager",
            "Design user-centred products",
            (
                ("Analyser l'activité des usagers", "Analyse users' activity"),
                ("Conduire une démarche de design", "Conduct a design approach"),
                ("Prototyper un produit", "Prototype a product"),
                ("Évaluer l'ergonomie d'un produit", "Evaluate a product's ergonomics"),
            ),
        ),
        (
            "Développer des produits innovants",
            "Develop innovative products",
            (
                ("Conduire une démarche d'innovation", "Conduct an innovation process"),
                ("Concevoir en ingénierie mécanique", "Design in mechanical engineering"),
                ("Intégrer les contraintes de mobilité", "Integrate mobility constraints"),
            ),
        ),
    ),
    "MASTER-EEA": (
        (
            "Concevoir des systèmes électriques embarqués",
            "Design embedded electrical systems",
            (
                ("Modéliser une machine électrique", "Model an electrical machine"),
                ("Concevoir une électronique de puissance", "Design power electronics"),
                ("Commander un système en temps réel", "Control a real-time system"),
            ),
        ),
        (
            "Conduire une recherche appliquée",
            "Conduct applied research",
            (
                ("Réaliser un état de l'art", "Review the state of the art"),
                ("Conduire une expérimentation scientifique", "Conduct a scientific experiment"),
                ("Publier des résultats de recherche", "Publish research results"),
            ),
        ),
    ),
    "MASTER-INFO": (
        (
            "Concevoir des systèmes intelligents",
            "Design intelligent systems",
            (
                ("Construire un modèle d'apprentissage", "Build a learning model"),
                ("Concevoir un système multi-agent", "Design a multi-agent system"),
                ("Traiter des images et des signaux", "Process images and signals"),
                ("Évaluer un système intelligent", "Evaluate an intelligent system"),
            ),
        ),
        (
            "Conduire une recherche appliquée",
            "Conduct applied research",
            (
                ("Réaliser un état de l'art", "Review the state of the art"),
                ("Conduire une expérimentation scientifique", "Conduct a scientific experiment"),
                ("Publier des résultats de recherche", "Publish research results"),
            ),
        ),
    ),
}


@dataclass(frozen=True)
class FrameworkSpec:
    """A demo framework: its diploma, its fictitious RNCP number and its blocks."""

    code: str
    diploma_code: str
    title: str
    title_en: str
    rncp: str
    blocks: tuple[BlockSpec, ...]
    #: Kinds of block, parallel to ``blocks``: "technical" or "transversal".
    kinds: tuple[str, ...]


def _engineer(
    code: str, diploma: str, rncp: str, speciality: str, title: str, title_en: str
) -> FrameworkSpec:
    own = _SPECIALITY_BLOCKS[speciality]
    return FrameworkSpec(
        code=code,
        diploma_code=diploma,
        title=title,
        title_en=title_en,
        rncp=rncp,
        blocks=(*own, _PROJECT, _COMMUNICATION, _RESPONSIBILITY),
        kinds=("technical", "technical", "transversal", "transversal", "transversal"),
    )


#: One framework per diploma of the demo catalogue (fictitious RNCP numbers).
FRAMEWORKS: tuple[FrameworkSpec, ...] = (
    FrameworkSpec(
        code="ref-deutec",
        diploma_code="DEUTEC",
        title="Référentiel de compétences du DEUTEC (tronc commun)",
        title_en="DEUTEC competency framework (common core)",
        rncp="RNCP35620",
        blocks=(_SCIENCES, _METHODS, _COMMUNICATION),
        kinds=("technical", "technical", "transversal"),
    ),
    _engineer(
        "ref-ing-info",
        "ING-INFO",
        "RNCP35627",
        "INFO",
        "Référentiel de compétences de l'ingénieur en informatique",
        "Computer science engineer competency framework",
    ),
    _engineer(
        "ref-ing-ener",
        "ING-ENER",
        "RNCP35628",
        "ENER",
        "Référentiel de compétences de l'ingénieur en énergie",
        "Energy engineer competency framework",
    ),
    _engineer(
        "ref-ing-meca",
        "ING-MECA",
        "RNCP35629",
        "MECA",
        "Référentiel de compétences de l'ingénieur en mécanique",
        "Mechanical engineer competency framework",
    ),
    _engineer(
        "ref-ing-gi",
        "ING-GI",
        "RNCP35630",
        "GI",
        "Référentiel de compétences de l'ingénieur en génie industriel",
        "Industrial engineer competency framework",
    ),
    _engineer(
        "ref-ing-edim",
        "ING-EDIM",
        "RNCP35631",
        "EDIM",
        "Référentiel de compétences de l'ingénieur EDIM (ergonomie, design, mécanique)",
        "EDIM engineer competency framework (ergonomics, design, mechanics)",
    ),
    _engineer(
        "ref-fisa-info",
        "FISA-INFO",
        "RNCP35632",
        "INFO",
        "Référentiel de compétences de l'ingénieur informatique par apprentissage",
        "Computer science engineering apprenticeship competency framework",
    ),
    _engineer(
        "ref-fisa-meca",
        "FISA-MECA",
        "RNCP35633",
        "MECA",
        "Référentiel de compétences de l'ingénieur mécanique par apprentissage",
        "Mechanical engineering apprenticeship competency framework",
    ),
    FrameworkSpec(
        code="ref-master-eea",
        diploma_code="MASTER-EEA",
        title="Référentiel de compétences du master Électronique, énergie électrique, automatique",
        title_en="Electronics, electrical energy and control master's competency framework",
        rncp="RNCP35634",
        blocks=(*_SPECIALITY_BLOCKS["MASTER-EEA"], _COMMUNICATION),
        kinds=("technical", "technical", "transversal"),
    ),
    FrameworkSpec(
        code="ref-master-info",
        diploma_code="MASTER-INFO",
        title="Référentiel de compétences du master Informatique",
        title_en="Computer science master's competency framework",
        rncp="RNCP35635",
        blocks=(*_SPECIALITY_BLOCKS["MASTER-INFO"], _COMMUNICATION, _PROJECT),
        kinds=("technical", "technical", "transversal", "transversal"),
    ),
)

#: Learning outcomes per level: French and English templates completed by the competency.
_OUTCOMES: tuple[tuple[int | None, str, str], ...] = (
    (1, "Décrire les notions nécessaires pour : {fr}", "Describe what is needed to: {en}"),
    (2, "{Fr} dans une situation guidée", "{En} in a guided situation"),
    (3, "{Fr} en autonomie sur un cas réel", "{En} autonomously on a real case"),
    (None, "Justifier ses choix pour : {fr}", "Justify one's choices to: {en}"),
)


@dataclass(frozen=True)
class CompetencyData:
    id: int
    code: str
    block_kind: str


@dataclass(frozen=True)
class FrameworkData:
    """What the catalogue's demo needs of a framework: ids to link offers to."""

    id: int
    code: str
    diploma_code: str
    level_ids: dict[int, int]
    competencies: tuple[CompetencyData, ...] = field(default=())


def _uuid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def build_frameworks(year: int) -> dict[str, FrameworkData]:
    """Write the demo frameworks; answer them by diploma code."""
    frameworks = [
        Framework(
            uuid=_uuid(spec.code),
            code=spec.code,
            title=spec.title,
            title_en=spec.title_en,
            description=(
                f"Référentiel de démonstration, fiche {spec.rncp} (numéro fictif). "
                "Blocs de compétences certifiables, compétences et acquis d'apprentissage."
            ),
            diploma_code=spec.diploma_code,
            version=f"{year - 1}",
            creator="Direction des formations et de la pédagogie, UTBM",
        )
        for spec in FRAMEWORKS
    ]
    Framework.objects.bulk_create(frameworks)
    levels = [
        Level(
            uuid=_uuid(spec.code, "level", code),
            framework=framework,
            rank=rank,
            code=code,
            label=label,
            label_en=label_en,
            descriptor=descriptor,
        )
        for spec, framework in zip(FRAMEWORKS, frameworks, strict=True)
        for rank, code, label, label_en, descriptor in LEVELS
    ]
    Level.objects.bulk_create(levels)
    level_ids = {(lv.framework.code, lv.rank): lv.pk for lv in levels}
    blocks: list[Block] = []
    competencies: list[tuple[str, str, Competency]] = []
    for spec, framework in zip(FRAMEWORKS, frameworks, strict=True):
        for b_index, ((title, title_en, items), kind) in enumerate(
            zip(spec.blocks, spec.kinds, strict=True), start=1
        ):
            code = f"{spec.rncp}BC{b_index:02d}"
            block = Block(
                uuid=_uuid(spec.code, code),
                framework=framework,
                code=code,
                title=title,
                title_en=title_en,
                position=b_index,
            )
            blocks.append(block)
            for c_index, (c_title, c_title_en) in enumerate(items, start=1):
                c_code = f"C{b_index}.{c_index}"
                competencies.append(
                    (
                        spec.code,
                        kind,
                        Competency(
                            uuid=_uuid(spec.code, code, c_code),
                            block=block,
                            code=c_code,
                            title=c_title,
                            title_en=c_title_en,
                            position=c_index,
                        ),
                    )
                )
    Block.objects.bulk_create(blocks)
    # bulk_create filled each block's primary key, which the next insert picks up.
    Competency.objects.bulk_create([c for _fw, _kind, c in competencies])
    outcomes: list[LearningOutcome] = []
    for number, (fw_code, _kind, competency) in enumerate(competencies):
        count = 1 + number % 3
        start = number % len(_OUTCOMES)
        for position in range(count):
            rank, text, text_en = _OUTCOMES[(start + position) % len(_OUTCOMES)]
            values = {
                "fr": _lower_first(competency.title),
                "Fr": competency.title,
                "en": _lower_first(competency.title_en),
                "En": competency.title_en,
            }
            code = f"{competency.block.code}-{competency.code}-AA{position + 1}"
            outcomes.append(
                LearningOutcome(
                    uuid=_uuid(fw_code, code),
                    competency=competency,
                    level_id=level_ids[(fw_code, rank)] if rank else None,
                    code=f"AA{position + 1}",
                    text=text.format(**values),
                    text_en=text_en.format(**values),
                    position=position + 1,
                )
            )
    LearningOutcome.objects.bulk_create(outcomes, batch_size=1000)
    by_framework: dict[str, list[CompetencyData]] = {spec.code: [] for spec in FRAMEWORKS}
    for fw_code, kind, competency in competencies:
        by_framework[fw_code].append(CompetencyData(competency.pk, competency.code, kind))
    return {
        spec.diploma_code: FrameworkData(
            id=framework.pk,
            code=spec.code,
            diploma_code=spec.diploma_code,
            level_ids={rank: level_ids[(spec.code, rank)] for rank, *_ in LEVELS},
            competencies=tuple(by_framework[spec.code]),
        )
        for spec, framework in zip(FRAMEWORKS, frameworks, strict=True)
    }


def totals() -> dict[str, int]:
    return {
        "competency frameworks": Framework.objects.count(),
        "competency blocks": Block.objects.count(),
        "competencies": Competency.objects.count(),
        "learning outcomes": LearningOutcome.objects.count(),
    }
