"""The shipped peace-officer leadership framework, written for peacekit (CC0 like the rest).

Eight competencies, five behavioural items each (40 items), rated 1–5 or "not observed".
Each competency names the training topic the report suggests for developing it.
"""

from __future__ import annotations

DEFAULT_FRAMEWORK_SLUG = "peace-officer-leadership"
DEFAULT_FRAMEWORK_NAME = "Peace Officer Leadership (peacekit default)"
DEFAULT_FRAMEWORK_DESCRIPTION = (
    "Behaviours of police leaders who keep the peace with their community: how they talk, "
    "calm conflict, treat people fairly, work with residents, hold themselves to account, grow "
    "their officers, decide and look after their people."
)

# (key, name, name_es, course topic, [(item, item_es), ...])
COMPETENCIES: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    (
        "communication",
        "Communication",
        "Comunicación",
        "Leadership communication and briefing skills",
        [
            (
                "Explains decisions and the reasons for them clearly.",
                "Explica con claridad sus decisiones y las razones de ellas.",
            ),
            ("Listens fully before responding.", "Escucha por completo antes de responder."),
            (
                "Keeps the team informed about changes that affect them.",
                "Mantiene al equipo informado de los cambios que le afectan.",
            ),
            (
                "Adapts how they speak to the person and the situation.",
                "Adapta su forma de hablar a la persona y a la situación.",
            ),
            (
                "Writes reports and messages that others can act on.",
                "Redacta informes y mensajes con los que otros pueden actuar.",
            ),
        ],
    ),
    (
        "de-escalation",
        "De-escalation and conflict resolution",
        "Desescalada y resolución de conflictos",
        "De-escalation and crisis intervention",
        [
            (
                "Slows down tense situations to create time and options.",
                "Calma las situaciones tensas para ganar tiempo y opciones.",
            ),
            (
                "Uses a calm voice and posture when others are upset.",
                "Usa una voz y una postura tranquilas cuando otros están alterados.",
            ),
            (
                "Recognises signs of mental-health crisis and responds appropriately.",
                "Reconoce señales de crisis de salud mental y responde de forma adecuada.",
            ),
            (
                "Resolves disagreements within the team before they grow.",
                "Resuelve los desacuerdos del equipo antes de que crezcan.",
            ),
            (
                "Debriefs officers after difficult encounters.",
                "Conversa con los agentes después de encuentros difíciles.",
            ),
        ],
    ),
    (
        "procedural-justice",
        "Procedural justice",
        "Justicia procesal",
        "Procedural justice and legitimacy",
        [
            (
                "Gives people a chance to tell their side before deciding.",
                "Da a las personas la oportunidad de explicar su versión antes de decidir.",
            ),
            (
                "Treats every person with dignity and respect.",
                "Trata a cada persona con dignidad y respeto.",
            ),
            (
                "Applies rules the same way to everyone.",
                "Aplica las normas de la misma manera a todas las personas.",
            ),
            (
                "Explains what will happen next and why.",
                "Explica lo que va a ocurrir a continuación y por qué.",
            ),
            (
                "Shows that they care about the person's concerns.",
                "Demuestra que le importan las preocupaciones de la persona.",
            ),
        ],
    ),
    (
        "community-engagement",
        "Community engagement",
        "Participación comunitaria",
        "Community policing and partnership building",
        [
            (
                "Builds working relationships with residents and community groups.",
                "Construye relaciones de trabajo con residentes y grupos comunitarios.",
            ),
            (
                "Attends community meetings and follows up on what was raised.",
                "Asiste a reuniones comunitarias y da seguimiento a lo planteado.",
            ),
            (
                "Involves community partners in solving local problems.",
                "Involucra a socios comunitarios en la solución de problemas locales.",
            ),
            (
                "Encourages officers to have positive contacts outside enforcement.",
                "Anima a los agentes a tener contactos positivos fuera de la aplicación de la ley.",
            ),
            (
                "Is seen as approachable by people in the community.",
                "La comunidad lo percibe como una persona accesible.",
            ),
        ],
    ),
    (
        "integrity",
        "Integrity and accountability",
        "Integridad y rendición de cuentas",
        "Ethics, integrity and duty to intervene",
        [
            (
                "Admits mistakes and takes responsibility for them.",
                "Reconoce sus errores y asume la responsabilidad.",
            ),
            ("Does what they say they will do.", "Hace lo que dice que va a hacer."),
            (
                "Intervenes when a colleague acts improperly.",
                "Interviene cuando un compañero actúa de forma indebida.",
            ),
            (
                "Reports accurately, including when the facts are unwelcome.",
                "Informa con exactitud, incluso cuando los hechos no son bien recibidos.",
            ),
            (
                "Holds others accountable fairly and consistently.",
                "Exige responsabilidades a los demás de forma justa y coherente.",
            ),
        ],
    ),
    (
        "developing-others",
        "Developing others",
        "Desarrollo de otras personas",
        "Coaching and field training leadership",
        [
            (
                "Gives specific, timely feedback on performance.",
                "Da retroalimentación concreta y oportuna sobre el desempeño.",
            ),
            ("Recognises good work publicly.", "Reconoce públicamente el buen trabajo."),
            (
                "Creates opportunities for officers to learn new skills.",
                "Crea oportunidades para que los agentes aprendan nuevas habilidades.",
            ),
            ("Supports officers' career goals.", "Apoya las metas profesionales de los agentes."),
            (
                "Delegates responsibility with the support needed to succeed.",
                "Delega responsabilidades con el apoyo necesario para tener éxito.",
            ),
        ],
    ),
    (
        "decision-making",
        "Decision-making",
        "Toma de decisiones",
        "Critical decision-making for supervisors",
        [
            (
                "Makes sound decisions under time pressure.",
                "Toma decisiones acertadas bajo presión de tiempo.",
            ),
            (
                "Gathers the relevant facts before acting when time allows.",
                "Reúne los hechos relevantes antes de actuar cuando hay tiempo.",
            ),
            (
                "Considers the effect of decisions on the community.",
                "Considera el efecto de sus decisiones en la comunidad.",
            ),
            (
                "Stands by decisions and revisits them when new facts emerge.",
                "Mantiene sus decisiones y las revisa cuando surgen hechos nuevos.",
            ),
            (
                "Uses data and policy to guide choices.",
                "Usa datos y normativa para orientar sus decisiones.",
            ),
        ],
    ),
    (
        "wellness",
        "Wellness",
        "Bienestar",
        "Officer wellness and resilience",
        [
            (
                "Notices when an officer is under strain and checks in.",
                "Nota cuando un agente está bajo tensión y se interesa por él.",
            ),
            (
                "Encourages use of peer support and wellness resources.",
                "Fomenta el uso del apoyo entre compañeros y de recursos de bienestar.",
            ),
            (
                "Models healthy habits and manages their own stress.",
                "Da ejemplo de hábitos saludables y gestiona su propio estrés.",
            ),
            (
                "Plans workloads and schedules with rest in mind.",
                "Planifica cargas de trabajo y horarios teniendo en cuenta el descanso.",
            ),
            (
                "Keeps a respectful, supportive climate on the team.",
                "Mantiene un clima respetuoso y de apoyo en el equipo.",
            ),
        ],
    ),
]
