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
from .instruments import (
    DatePrecision,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    LegalStatus,
)
from .links import LinkCheck
from .provisions import EarlierLabel, Headline, Provision, StatusBadge, Treatment
from .redirects import MovedPath
from .review import ReviewComment
from .search import SearchSynonym
from .taxonomy import Component, Condition, Jurisdiction, Topic
from .texts import ProvisionText

__all__ = [
    "Argument",
    "Check",
    "ArgumentComponent",
    "ArgumentProvision",
    "ArgumentTopic",
    "Component",
    "Condition",
    "DatePrecision",
    "EarlierLabel",
    "Headline",
    "EditorialState",
    "EvidenceKind",
    "Instrument",
    "InstrumentEvent",
    "InstrumentRelation",
    "Jurisdiction",
    "LegalStatus",
    "LinkCheck",
    "LinkStance",
    "ModelProfile",
    "ModelSource",
    "MovedPath",
    "OpennessRequirement",
    "Provision",
    "ProvisionText",
    "ReviewComment",
    "SearchSynonym",
    "Silence",
    "Source",
    "Stance",
    "StatusBadge",
    "Topic",
    "Treatment",
    "Verification",
]
