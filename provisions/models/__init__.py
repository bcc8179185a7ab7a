from .arguments import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    EvidenceKind,
    LinkStance,
    Source,
    Stance,
)
from .editorial import EditorialState, Verification
from .findings import Silence
from .instruments import (
    DatePrecision,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    LegalStatus,
)
from .links import LinkCheck
from .provisions import EarlierLabel, Provision, StatusBadge, Treatment
from .redirects import MovedPath
from .taxonomy import Component, Condition, Jurisdiction, Topic
from .texts import ProvisionText

__all__ = [
    "Argument",
    "ArgumentComponent",
    "ArgumentProvision",
    "ArgumentTopic",
    "Component",
    "Condition",
    "DatePrecision",
    "EarlierLabel",
    "EditorialState",
    "EvidenceKind",
    "Instrument",
    "InstrumentEvent",
    "InstrumentRelation",
    "Jurisdiction",
    "LegalStatus",
    "LinkCheck",
    "LinkStance",
    "MovedPath",
    "Provision",
    "ProvisionText",
    "Silence",
    "Source",
    "Stance",
    "StatusBadge",
    "Topic",
    "Treatment",
    "Verification",
]
