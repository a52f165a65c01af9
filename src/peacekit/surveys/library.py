"""The shipped instrument library, as data: wording written for peacekit, English and Spanish.

The trust scale follows the two-item design city sentiment dashboards use (police listen to
residents; police treat residents with respect) plus a safety item, all on 0–10. Installed by
`services.surveys_library_install`, which is idempotent (keyed by instrument key and version).
"""

from __future__ import annotations

LIBRARY_VERSION = 1

AGREE = "likert"
SCALE10 = "scale10"

LIBRARY: list[dict] = [
    {
        "key": "trust-safety",
        "kind": "trust",
        "name": "Neighborhood trust and safety (0–10)",
        "name_es": "Confianza y seguridad en el vecindario (0–10)",
        "description": "Two trust items and one safety item, each 0 (not at all) to 10 "
        "(completely). Trust score = mean of the two trust items.",
        "questions": [
            {
                "code": "trust_listen",
                "scale": "trust",
                "format": SCALE10,
                "text": "How much do the police in your neighborhood listen to and take into "
                "account the concerns of local residents?",
                "text_es": "¿Cuánto escucha y toma en cuenta la policía de su vecindario las "
                "preocupaciones de los residentes?",
            },
            {
                "code": "trust_respect",
                "scale": "trust",
                "format": SCALE10,
                "text": "How much do the police in your neighborhood treat local residents "
                "with respect?",
                "text_es": "¿Cuánto trata la policía de su vecindario a los residentes con "
                "respeto?",
            },
            {
                "code": "safety",
                "scale": "safety",
                "format": SCALE10,
                "text": "How safe do you feel in your neighborhood?",
                "text_es": "¿Qué tan seguro(a) se siente en su vecindario?",
            },
        ],
    },
    {
        "key": "procedural-justice",
        "kind": "legitimacy",
        "name": "Procedural justice and legitimacy",
        "name_es": "Justicia procesal y legitimidad",
        "description": "Five agreement items on fair process and four on legitimacy "
        "(1 strongly disagree – 5 strongly agree).",
        "questions": [
            {
                "code": "pj_explain",
                "scale": "procedural_justice",
                "format": AGREE,
                "text": "Police here explain their decisions to the people they deal with.",
                "text_es": "La policía aquí explica sus decisiones a las personas con quienes "
                "trata.",
            },
            {
                "code": "pj_voice",
                "scale": "procedural_justice",
                "format": AGREE,
                "text": "Police here give people a chance to tell their side of the story.",
                "text_es": "La policía aquí da a las personas la oportunidad de contar su versión.",
            },
            {
                "code": "pj_fair",
                "scale": "procedural_justice",
                "format": AGREE,
                "text": "Police here make fair decisions.",
                "text_es": "La policía aquí toma decisiones justas.",
            },
            {
                "code": "pj_equal",
                "scale": "procedural_justice",
                "format": AGREE,
                "text": "Police here treat everyone equally, whatever their background.",
                "text_es": "La policía aquí trata a todos por igual, sin importar su origen.",
            },
            {
                "code": "pj_dignity",
                "scale": "procedural_justice",
                "format": AGREE,
                "text": "Police here treat people with dignity.",
                "text_es": "La policía aquí trata a las personas con dignidad.",
            },
            {
                "code": "leg_values",
                "scale": "legitimacy",
                "format": AGREE,
                "text": "The police here stand for values that are important to me.",
                "text_es": "La policía aquí defiende valores que son importantes para mí.",
            },
            {
                "code": "leg_support",
                "scale": "legitimacy",
                "format": AGREE,
                "text": "I would support the police here even when I disagree with a decision.",
                "text_es": "Apoyaría a la policía aquí aunque no esté de acuerdo con una decisión.",
            },
            {
                "code": "leg_cooperate",
                "scale": "legitimacy",
                "format": AGREE,
                "text": "I would report a crime I saw to the police here.",
                "text_es": "Reportaría a la policía aquí un delito que yo viera.",
            },
            {
                "code": "leg_confidence",
                "scale": "legitimacy",
                "format": AGREE,
                "text": "I have confidence that the police here can do their job well.",
                "text_es": "Confío en que la policía aquí puede hacer bien su trabajo.",
            },
        ],
    },
    {
        "key": "event-feedback",
        "kind": "feedback",
        "name": "Event and training feedback (Kirkpatrick level 1)",
        "name_es": "Opinión sobre el evento o la capacitación (Kirkpatrick nivel 1)",
        "description": "Reaction to a listening session, event or training.",
        "questions": [
            {
                "code": "fb_useful",
                "scale": "reaction",
                "format": AGREE,
                "text": "Today's session was worth my time.",
                "text_es": "La sesión de hoy valió la pena.",
            },
            {
                "code": "fb_heard",
                "scale": "reaction",
                "format": AGREE,
                "text": "I felt heard during the session.",
                "text_es": "Sentí que me escucharon durante la sesión.",
            },
            {
                "code": "fb_recommend",
                "format": SCALE10,
                "text": "How likely are you to recommend this session to a neighbor?",
                "text_es": "¿Qué tan probable es que recomiende esta sesión a un vecino?",
            },
            {
                "code": "fb_improve",
                "format": "open",
                "text": "What one thing would make the next session better?",
                "text_es": "¿Qué cosa haría mejor la próxima sesión?",
            },
        ],
    },
    {
        "key": "knowledge-check",
        "kind": "knowledge",
        "name": "Peace Officer Promise knowledge check (Kirkpatrick level 2)",
        "name_es": "Prueba de conocimientos de la Promesa del Oficial de Paz (nivel 2)",
        "description": "Short questions with one right answer; score = share correct.",
        "questions": [
            {
                "code": "kc_purpose",
                "format": "single",
                "correct": "b",
                "text": "What is the main purpose of a community listening session?",
                "text_es": "¿Cuál es el propósito principal de una sesión de escucha comunitaria?",
                "choices": [
                    (
                        "a",
                        "To announce new enforcement priorities",
                        "Anunciar nuevas prioridades de control",
                    ),
                    (
                        "b",
                        "To hear residents' experiences and concerns",
                        "Escuchar las experiencias y preocupaciones de los residentes",
                    ),
                    ("c", "To recruit new officers", "Reclutar nuevos oficiales"),
                ],
            },
            {
                "code": "kc_anonymity",
                "format": "single",
                "correct": "a",
                "text": "Before statements from a session appear in a report, they are…",
                "text_es": "Antes de que las declaraciones de una sesión aparezcan en un "
                "informe, se…",
                "choices": [
                    (
                        "a",
                        "Reviewed and stripped of names and other identifiers",
                        "Revisan y se les quitan nombres y otros identificadores",
                    ),
                    ("b", "Published exactly as spoken", "Publican tal como se dijeron"),
                    (
                        "c",
                        "Shared with the officers named",
                        "Comparten con los oficiales mencionados",
                    ),
                ],
            },
        ],
    },
    {
        "key": "about-you",
        "kind": "custom",
        "name": "About this session (custom example)",
        "name_es": "Sobre esta sesión (ejemplo personalizado)",
        "description": "An example of custom questions: single and multiple choice, open text.",
        "questions": [
            {
                "code": "heard_from",
                "format": "multiple",
                "text": "How did you hear about this session? (choose all that apply)",
                "text_es": "¿Cómo se enteró de esta sesión? (elija todas las que apliquen)",
                "choices": [
                    ("friend", "A friend or neighbor", "Un amigo o vecino"),
                    ("social", "Social media", "Redes sociales"),
                    ("church", "Faith community", "Comunidad de fe"),
                    ("police", "The police department", "El departamento de policía"),
                ],
            },
            {
                "code": "hope",
                "format": "open",
                "text": "What do you hope changes because of these conversations?",
                "text_es": "¿Qué espera que cambie gracias a estas conversaciones?",
            },
        ],
    },
]


def choice_dicts(choices: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    """Library choice tuples as the JSON stored on a question."""
    return [{"value": v, "label": en, "label_es": es} for v, en, es in choices]
