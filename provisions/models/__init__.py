from .ai_models import (
    Check,
    ModelProfile,
    ModelSource,
    OpennessRequirement,
)
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
from .instruments import Instrument, InstrumentEvent, InstrumentRelation, LegalStatus
from .provisions import EarlierLabel, Provision, StatusBadge, Treatment
from .redirects import MovedPath
from .taxonomy import Component, Condition, Jurisdiction, Topic

__all__ = [
    "Argument",
    "Check",
    "ArgumentComponent",
    "ArgumentProvision",
    "ArgumentTopic",
    "Component",
    "Condition",
    "EarlierLabel",
    "EditorialState",
    "EvidenceKind",
    "Instrument",
    "InstrumentEvent",
    "InstrumentRelation",
    "Jurisdiction",
    "LegalStatus",
    "LinkStance",
    "ModelProfile",
    "ModelSource",
    "MovedPath",
    "OpennessRequirement",
    "Provision",
    "Silence",
    "Source",
    "Stance",
    "StatusBadge",
    "Topic",
    "Treatment",
    "Verification",
]
