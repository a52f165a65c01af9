"""The shipped list of expertise areas (written for peacekit), in English and Spanish.

Coaches' expertise and coachees' needs are both expressed over these areas; staff may add more
in the Django admin. Loaded by migration 0002 and by `expertise_areas_ensure()`.
"""

# (slug, name, name_es, question, question_es)
EXPERTISE_AREAS = [
    ("community_engagement", "Community engagement", "Participación comunitaria",
     "Building lasting relationships with residents, faith and neighborhood groups",
     "Construir relaciones duraderas con residentes, grupos religiosos y vecinales"),
    ("de_escalation", "De-escalation", "Desescalada",
     "Leading a de-escalation culture: policy, training and supervision",
     "Liderar una cultura de desescalada: política, capacitación y supervisión"),
    ("procedural_justice", "Procedural justice", "Justicia procesal",
     "Making every contact fair, respectful and explained",
     "Lograr que cada contacto sea justo, respetuoso y explicado"),
    ("organizational_change", "Organizational change", "Cambio organizacional",
     "Leading change in culture, structure or strategy inside the agency",
     "Liderar cambios de cultura, estructura o estrategia dentro de la agencia"),
    ("crisis_leadership", "Leading through crisis", "Liderazgo en crisis",
     "Leading after a critical incident, protest or loss of trust",
     "Liderar después de un incidente crítico, una protesta o una pérdida de confianza"),
    ("officer_wellness", "Officer wellness", "Bienestar de los agentes",
     "Supporting officers' health, resilience and peer support",
     "Apoyar la salud, la resiliencia y el apoyo entre pares de los agentes"),
    ("recruiting_retention", "Recruiting and retention", "Reclutamiento y retención",
     "Recruiting, promoting and keeping the people the community needs",
     "Reclutar, promover y retener a las personas que la comunidad necesita"),
    ("media_public_trust", "Media and public trust", "Medios y confianza pública",
     "Communicating with the media and the public, especially when things go wrong",
     "Comunicarse con los medios y el público, sobre todo cuando algo sale mal"),
    ("budget_operations", "Budget and operations", "Presupuesto y operaciones",
     "Budgeting, staffing, deployment and data-informed operations",
     "Presupuesto, personal, despliegue y operaciones basadas en datos"),
    ("elected_officials", "Working with elected officials", "Trabajo con autoridades electas",
     "Working with mayors, councils, commissioners and city or county managers",
     "Trabajar con alcaldes, concejos, comisionados y administradores municipales o del condado"),
    ("accountability_oversight", "Accountability and oversight",
     "Rendición de cuentas y supervisión",
     "Internal affairs, civilian oversight, early intervention and transparency",
     "Asuntos internos, supervisión civil, intervención temprana y transparencia"),
    ("youth_engagement", "Youth engagement", "Participación juvenil",
     "Building trust with young people, schools and youth programs",
     "Generar confianza con jóvenes, escuelas y programas juveniles"),
]  # fmt: skip
