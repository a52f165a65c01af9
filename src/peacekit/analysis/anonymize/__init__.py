"""Anonymization engine: detect identifiers in statements and redact them with placeholders.

Pure Python (no Django). Entry point: ``Anonymizer(policy=..., gazetteer=..., allow_list=...)``
with ``analyze``, ``analyze_many``, ``redact`` and ``redact_many``.
"""

from .address import AddressDetector
from .base import Detector, NullDetector
from .engine import Anonymizer, apply_placeholders, propagate_names, resolve_overlaps
from .gazetteer import AllowList, Gazetteer, GazetteerDetector, GazetteerEntry
from .names import PersonNameDetector
from .ner import ModelUnavailableError, SpacyNerDetector, load_model
from .patterns import (
    AgeDetector,
    CardNumberDetector,
    CaseNumberDetector,
    DateDetector,
    EmailDetector,
    HandleDetector,
    IdNumberDetector,
    IpAddressDetector,
    PhoneDetector,
    PlateDetector,
    QuantityDetector,
    SsnDetector,
    UrlDetector,
    default_pattern_detectors,
)
from .placeholders import PlaceholderRegistry
from .public import PublicNameDetector
from .quasi import QuasiIdentifierDetector
from .shared import shared_anonymizer
from .text import restore_case, split_chunks
from .types import ENTITY_TYPES, Level, Policy, Redaction, Replacement, Span

__all__ = [
    "shared_anonymizer",
    "ENTITY_TYPES",
    "AddressDetector",
    "AgeDetector",
    "AllowList",
    "Anonymizer",
    "CardNumberDetector",
    "CaseNumberDetector",
    "DateDetector",
    "Detector",
    "EmailDetector",
    "Gazetteer",
    "GazetteerDetector",
    "GazetteerEntry",
    "HandleDetector",
    "IdNumberDetector",
    "IpAddressDetector",
    "Level",
    "ModelUnavailableError",
    "NullDetector",
    "PersonNameDetector",
    "PhoneDetector",
    "PlaceholderRegistry",
    "PlateDetector",
    "Policy",
    "QuantityDetector",
    "PublicNameDetector",
    "QuasiIdentifierDetector",
    "Redaction",
    "Replacement",
    "Span",
    "SpacyNerDetector",
    "SsnDetector",
    "UrlDetector",
    "apply_placeholders",
    "default_pattern_detectors",
    "load_model",
    "propagate_names",
    "resolve_overlaps",
    "restore_case",
    "split_chunks",
]
