"""The beneficiary case file.

Nothing in a case file is deleted: consents are withdrawn, team memberships end, closures
are followed by reopenings. Every model keeps a simple-history table with the acting user.
One module per part of the file; everything is importable from `cases.models`.
"""

from .access_log import CaseAccess, EmergencyAccess, ExportLog, RefusedAccess
from .beneficiary import (
    ADULT_AGE,
    Beneficiary,
    CaseRecord,
    age_on,
    expected_stage_after,
    months_between,
    stage_comparison,
)
from .children import BestInterestsDetermination, Child, Guardian
from .consent import Consent
from .course import AssistanceDecline, Closure, Setback, StageChange
from .documents import Document, DocumentStep
from .family import FamilyMember
from .legal import Hearing, LegalProceeding
from .reviews import CaseReview
from .safety import CrisisAlarm, Disclosure, RiskFlag, SafetyPlan, Threat
from .team import TeamMembership

__all__ = [
    "ADULT_AGE",
    "AssistanceDecline",
    "Beneficiary",
    "BestInterestsDetermination",
    "CaseAccess",
    "CaseRecord",
    "CaseReview",
    "Child",
    "Closure",
    "Consent",
    "CrisisAlarm",
    "Disclosure",
    "Document",
    "DocumentStep",
    "EmergencyAccess",
    "ExportLog",
    "FamilyMember",
    "Guardian",
    "Hearing",
    "LegalProceeding",
    "RefusedAccess",
    "RiskFlag",
    "SafetyPlan",
    "Setback",
    "StageChange",
    "TeamMembership",
    "Threat",
    "age_on",
    "expected_stage_after",
    "months_between",
    "stage_comparison",
]
