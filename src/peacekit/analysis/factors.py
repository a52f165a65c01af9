"""Risk and protective factors: a default framework as data, and a theme → factor mapper.

The default framework was written for peacekit. It follows the usual public-health
grouping of community, family, school and individual/peer domains, with factors phrased
for what residents and officers say in listening sessions, so that themes can point the
post-session curricula at the conditions people describe. Organizations can replace it:
`Framework.from_dict` reads the same shape that `to_dict` writes (e.g. stored as JSON).

Mapping combines two signals per (text, factor): keyword evidence (any of the factor's
cue words or phrases, matched at word starts) and semantic similarity between the text's
embedding and the factor's name and description.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

DOMAINS = ("community", "family", "school", "individual_peer")
KINDS = ("risk", "protective")


@dataclass(frozen=True)
class Factor:
    """One risk or protective factor of a framework."""

    factor_id: str
    domain: str
    kind: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass
class Framework:
    """A named, versioned list of factors grouped by domain."""

    name: str
    version: str
    factors: list[Factor] = field(default_factory=list)

    def __post_init__(self) -> None:
        ids = [f.factor_id for f in self.factors]
        if len(ids) != len(set(ids)):
            raise ValueError("factor ids must be unique within a framework")
        for f in self.factors:
            if f.kind not in KINDS:
                raise ValueError("factor kind must be 'risk' or 'protective'")
            if not f.domain:
                raise ValueError("every factor needs a domain")

    def get(self, factor_id: str) -> Factor:
        """The factor with this id."""
        for f in self.factors:
            if f.factor_id == factor_id:
                return f
        raise KeyError(factor_id)

    def by_domain(self) -> dict[str, list[Factor]]:
        """Factors grouped by domain, in framework order."""
        grouped: dict[str, list[Factor]] = {}
        for f in self.factors:
            grouped.setdefault(f.domain, []).append(f)
        return grouped

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (JSON-ready)."""
        return {
            "name": self.name,
            "version": self.version,
            "factors": [{**asdict(f), "keywords": list(f.keywords)} for f in self.factors],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Framework:
        """Framework from the shape `to_dict` writes; unknown keys are rejected."""
        factors = []
        for raw in data.get("factors", []):
            allowed = {"factor_id", "domain", "kind", "name", "description", "keywords"}
            unknown = set(raw) - allowed
            if unknown:
                raise ValueError(f"unknown factor fields: {sorted(unknown)}")
            factors.append(Factor(**{**raw, "keywords": tuple(raw.get("keywords", ()))}))
        return cls(name=str(data["name"]), version=str(data["version"]), factors=factors)


def _f(fid: str, domain: str, kind: str, name: str, description: str, keywords: str) -> Factor:
    """Compact constructor for the default table below."""
    return Factor(
        fid, domain, kind, name, description, tuple(k.strip() for k in keywords.split(","))
    )


# fmt: off
DEFAULT_FRAMEWORK = Framework(
    name="peacekit default risk and protective factors",
    version="1",
    factors=[
        # Community
        _f(
            "community-violence",
            "community",
            "risk",
            "Violence and crime in the neighborhood",
            "People see or fear shootings, assaults, robberies or gang activity where they live.",
            "violence, violent, shooting, shot, gun, gang, assault, robbery, crime, murder",
        ),
        _f(
            "community-drugs",
            "community",
            "risk",
            "Drugs and alcohol easy to get",
            "Open drug sales, drug houses or heavy drinking are part of daily life on the block.",
            "drug, drugs, dealer, dealing, overdose, alcohol, liquor, drug house",
        ),
        _f(
            "community-disorder",
            "community",
            "risk",
            "Neglected places and few services",
            "Vacant buildings, poor lighting, trash, lack of jobs, transport or services.",
            "vacant, abandoned, lighting, trash, blight, unemployment, no jobs, poverty",
        ),
        _f(
            "community-distrust",
            "community",
            "risk",
            "Distrust between residents and police",
            "Residents feel unheard, profiled or mistreated, and avoid calling the police.",
            "distrust, mistrust, profiling, profiled, harassed, abuse, excessive force, "
            "disrespect, not listening, afraid to call",
        ),
        _f(
            "community-cohesion",
            "community",
            "protective",
            "Neighbors who look out for each other",
            "Residents know one another, share information and act together on problems.",
            "neighbors, block club, community group, look out for, together, cohesion, "
            "neighborhood watch",
        ),
        _f(
            "community-trust",
            "community",
            "protective",
            "Trusted, respectful policing",
            "Officers are known by name, listen, explain their actions and treat people fairly.",
            "trust, respect, respectful, listen, fair, community policing, foot patrol, "
            "beat officer, procedural justice",
        ),
        _f(
            "community-opportunity",
            "community",
            "protective",
            "Places and programs for young people",
            "Recreation centres, summer jobs, mentoring and safe spaces open when youth need them.",
            "recreation, rec center, program, summer job, mentoring, mentor, library, "
            "league, youth center, after school",
        ),
        # Family
        _f(
            "family-conflict",
            "family",
            "risk",
            "Family conflict and violence at home",
            "Fighting, domestic violence or abuse in the household.",
            "domestic, abuse at home, family conflict, fighting at home, household violence",
        ),
        _f(
            "family-supervision",
            "family",
            "risk",
            "Little supervision or clear rules",
            "Children are often unsupervised or rules and consequences are unclear.",
            "unsupervised, supervision, no rules, parents working, latchkey, curfew",
        ),
        _f(
            "family-stress",
            "family",
            "risk",
            "Economic stress and instability",
            "Housing loss, eviction, job loss or a parent in jail strains the family.",
            "eviction, housing, homeless, rent, incarcerated, jail, job loss, poverty",
        ),
        _f(
            "family-bonding",
            "family",
            "protective",
            "Warm bonds and involved caregivers",
            "Children have caring adults at home who are involved in their lives.",
            "parents, caregivers, family support, involved parents, bonding, grandparents",
        ),
        _f(
            "family-support",
            "family",
            "protective",
            "Support for families",
            "Families can reach parenting help, counselling, food or housing support.",
            "parenting class, counseling, family services, food bank, housing support",
        ),
        # School
        _f(
            "school-failure",
            "school",
            "risk",
            "Falling behind at school",
            "Poor grades, suspensions or dropping out.",
            "dropout, drop out, failing, grades, suspended, suspension, expelled, truancy",
        ),
        _f(
            "school-disconnection",
            "school",
            "risk",
            "Low commitment to school",
            "Students feel school does not matter or does not want them; skipping is common.",
            "skipping school, truant, bored, disengaged, school to prison, pushed out",
        ),
        _f(
            "school-safety",
            "school",
            "risk",
            "Unsafe school and school policing conflicts",
            "Fights, bullying, or harsh discipline and arrests at school.",
            "bullying, bullied, school fight, arrested at school, school resource officer, "
            "metal detectors",
        ),
        _f(
            "school-connection",
            "school",
            "protective",
            "Connection to caring school adults",
            "Teachers, coaches or school officers who know students and encourage them.",
            "teacher, coach, counselor, school resource officer, mentor at school, tutoring",
        ),
        _f(
            "school-opportunity",
            "school",
            "protective",
            "Chances to take part and be recognized",
            "Clubs, sports and leadership roles with recognition for effort.",
            "club, sports, team, leadership, student council, recognition, award",
        ),
        # Individual and peer
        _f(
            "peer-delinquency",
            "individual_peer",
            "risk",
            "Friends involved in crime or violence",
            "Young people spend time with peers who carry weapons, sell drugs or fight.",
            "friends, peers, gang, carrying guns, peer pressure, fights",
        ),
        _f(
            "individual-attitudes",
            "individual_peer",
            "risk",
            "Attitudes that favour violence",
            "Believing fighting or carrying a weapon is needed to stay safe or be respected.",
            "revenge, retaliation, carry a gun, respect on the street, fight back",
        ),
        _f(
            "individual-trauma",
            "individual_peer",
            "risk",
            "Trauma and untreated mental health needs",
            "Exposure to violence, loss or crisis without help.",
            "trauma, mental health, crisis, grief, ptsd, depression, suicide",
        ),
        _f(
            "individual-skills",
            "individual_peer",
            "protective",
            "Social and emotional skills",
            "Young people can manage anger, solve problems and resolve conflict without violence.",
            "conflict resolution, de-escalation, anger management, coping, life skills",
        ),
        _f(
            "peer-prosocial",
            "individual_peer",
            "protective",
            "Positive peers and purpose",
            "Friends and goals tied to school, work, faith or service.",
            "positive friends, volunteer, faith, church, service, goals, job training",
        ),
    ],
)
# fmt: on


@dataclass
class FactorMatch:
    """One factor suggested for a text, with the evidence behind it."""

    factor_id: str
    score: float
    keyword: float
    similarity: float
    matched_keywords: list[str] = field(default_factory=list)


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Match a cue at word starts; a single-word cue may take a suffix ("gang" → "gangs")."""
    escaped = r"\s+".join(re.escape(part) for part in keyword.lower().split())
    suffix = r"\w*" if " " not in keyword.strip() else ""
    return re.compile(rf"\b{escaped}{suffix}\b")


class FactorMapper:
    """Suggest framework factors for texts (theme labels + quotes, or statements)."""

    def __init__(
        self,
        framework: Framework | None = None,
        embedder: Any = None,
        keyword_weight: float = 0.5,
        similarity_floor: float = 0.15,
        similarity_ceiling: float = 0.55,
        min_score: float = 0.3,
        top_n: int = 3,
    ) -> None:
        self.framework = framework
        self.embedder = embedder
        self.keyword_weight = keyword_weight
        self.similarity_floor = similarity_floor
        self.similarity_ceiling = similarity_ceiling
        self.min_score = min_score
        self.top_n = top_n

    def fit(self, texts: Sequence[str] = ()) -> FactorMapper:
        """Embed the factor descriptions (an embedder without a model is fitted on them)."""
        self.framework_ = self.framework or DEFAULT_FRAMEWORK
        factors = self.framework_.factors
        self.patterns_ = [[(k, _keyword_pattern(k)) for k in f.keywords if k] for f in factors]
        descriptions = [f"{f.name}. {f.description}" for f in factors]
        self.factor_vectors_ = None
        if self.embedder is not None:
            if not hasattr(self.embedder, "backend_"):
                self.embedder.fit(list(descriptions) + list(texts))
            self.factor_vectors_ = self.embedder.transform(descriptions)
        return self

    def score(self, texts: Sequence[str], embeddings: np.ndarray | None = None) -> np.ndarray:
        """(texts × factors) scores in [0, 1]."""
        keyword = self._keyword_scores(texts)
        if embeddings is None and self.embedder is not None and len(texts):
            embeddings = self.embedder.transform(list(texts))
        if embeddings is None or self.factor_vectors_ is None:
            return keyword
        vectors = np.asarray(embeddings, dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = vectors / np.where(norms == 0, 1.0, norms)
        similarity = vectors @ self.factor_vectors_.T
        span = max(self.similarity_ceiling - self.similarity_floor, 1e-6)
        semantic = np.clip((similarity - self.similarity_floor) / span, 0.0, 1.0)
        return self.keyword_weight * keyword + (1.0 - self.keyword_weight) * semantic

    def _keyword_scores(self, texts: Sequence[str]) -> np.ndarray:
        """1 for two or more cues found, 0.75 for one, 0 for none."""
        out = np.zeros((len(texts), len(self.patterns_)))
        for i, text in enumerate(texts):
            lowered = text.lower()
            for j, patterns in enumerate(self.patterns_):
                hits = sum(1 for _, pattern in patterns if pattern.search(lowered))
                out[i, j] = 0.0 if hits == 0 else (0.75 if hits == 1 else 1.0)
        return out

    def map(
        self, texts: Sequence[str], embeddings: np.ndarray | None = None
    ) -> list[list[FactorMatch]]:
        """Best factors per text (at most `top_n`, each scoring at least `min_score`)."""
        scores = self.score(texts, embeddings)
        keyword = self._keyword_scores(texts)
        factors = self.framework_.factors
        results = []
        for i, text in enumerate(texts):
            order = np.lexsort((np.arange(len(factors)), -scores[i]))
            picked = []
            for j in order[: self.top_n]:
                if scores[i, j] < self.min_score:
                    break
                lowered = text.lower()
                matched = [k for k, p in self.patterns_[j] if p.search(lowered)]
                similarity = (scores[i, j] - self.keyword_weight * keyword[i, j]) / max(
                    1.0 - self.keyword_weight, 1e-6
                )
                picked.append(
                    FactorMatch(
                        factor_id=factors[j].factor_id,
                        score=round(float(scores[i, j]), 6),
                        keyword=float(keyword[i, j]),
                        similarity=round(float(similarity), 6)
                        if self.factor_vectors_ is not None
                        else 0.0,
                        matched_keywords=matched,
                    )
                )
            results.append(picked)
        return results


def theme_text(label: str, key_phrases: Sequence[str], quotes: Sequence[str]) -> str:
    """One text standing for a theme when mapping it to factors."""
    return ". ".join([label, ", ".join(key_phrases), *quotes])
