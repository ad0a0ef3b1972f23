"""Reference lists for the case file, taken from the practitioner guides (see DOMAIN.md)."""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    CRISIS = "crisis", "Crisis intervention"
    TRANSITION = "transition", "Transition"
    INCLUSION = "inclusion", "Reintegration and inclusion"

    @classmethod
    def order(cls, value: str) -> int:
        return STAGE_ORDER[value]


# Read for every case of a list: a lookup rather than a search through the members.
STAGE_ORDER = {stage.value: position for position, stage in enumerate(Stage)}


class CaseStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    NOT_STATED = "not_stated", "Not stated"


class Literacy(models.TextChoices):
    LITERATE = "literate", "Reads and writes"
    LIMITED = "limited", "Limited reading or writing"
    NOT_LITERATE = "not_literate", "Does not read or write"
    UNKNOWN = "unknown", "Not known yet"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known yet"


class Accommodation(models.TextChoices):
    SHELTER = "shelter", "Shelter or residential centre"
    SPECIALISED = "specialised", "Specialised residential programme"
    SEMI_INDEPENDENT = "semi_independent", "Rented or semi-independent apartment"
    INDEPENDENT = "independent", "Independent living"
    FAMILY = "family", "With family"
    FOSTER = "foster", "Foster family"
    KINSHIP = "kinship", "Kinship care"
    ALTERNATIVE_CARE = "alternative_care", "Other alternative care"
    OTHER = "other", "Other"


class IdentificationStatus(models.TextChoices):
    FORMAL = "formal", "Formally identified"
    PRESUMED = "presumed", "Presumed (not yet formally identified)"
    NOT_IDENTIFIED = "not_identified", "Not identified"


class ReferralSource(models.TextChoices):
    POLICE = "police", "Police or border service"
    PROSECUTOR = "prosecutor", "Prosecutor or court"
    SOCIAL_SERVICES = "social_services", "State social services"
    NGO = "ngo", "Another NGO"
    LABOUR_INSPECTORATE = "labour_inspectorate", "Labour inspectorate"
    EMBASSY = "embassy", "Embassy, consulate or IOM"
    HEALTH = "health", "Health service"
    SCHOOL = "school", "School"
    HOTLINE = "hotline", "Hotline"
    FAMILY = "family", "Family or friends"
    SELF = "self", "Self-referred"
    OTHER = "other", "Other"


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", "Sexual exploitation"
    LABOUR_DOMESTIC = "labour_domestic", "Forced labour: domestic work"
    LABOUR_AGRICULTURE = "labour_agriculture", "Forced labour: agriculture or plantation"
    LABOUR_CONSTRUCTION = "labour_construction", "Forced labour: construction"
    LABOUR_FACTORY = "labour_factory", "Forced labour: factory"
    LABOUR_FISHING = "labour_fishing", "Forced labour: fishing"
    LABOUR_OTHER = "labour_other", "Forced labour: other sector"
    CRIMINAL = "criminal", "Forced criminal activity"
    BEGGING = "begging", "Forced begging or street selling"
    MARRIAGE = "marriage", "Forced marriage"
    SERVITUDE = "servitude", "Domestic servitude"
    OTHER = "other", "Other"


class TraffickingScope(models.TextChoices):
    INTERNAL = "internal", "Within the country"
    CROSS_BORDER = "cross_border", "Across borders"
    BOTH = "both", "Both"
    UNKNOWN = "unknown", "Not known yet"


class ComplexFactor(models.TextChoices):
    DISABILITY = "disability", "Physical or mental disability"
    SUBSTANCE_ABUSE = "substance_abuse", "Substance abuse"
    MENTAL_HEALTH = "mental_health", "Mental-health issues"
    CHRONIC_ILLNESS = "chronic_illness", "Serious or chronic illness"
    SECURITY = "security", "Security problems"
    NO_DOCUMENTS = "no_documents", "No documents or legal status"
    NO_FAMILY_SUPPORT = "no_family_support", "No family support"
    MARGINALISATION = "marginalisation", "Social marginalisation or discrimination"
    FAMILY_ABUSE = "family_abuse", "Abuse or neglect in the family"
    DEPENDANTS = "dependants", "Pregnant or with dependent children"
    MALE = "male", "Man or boy (often under-served)"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    UNKNOWN = "unknown", "Not assessed yet"


class WitnessStatus(models.TextChoices):
    NOT_INVOLVED = "not_involved", "Not involved in proceedings"
    CONSIDERING = "considering", "Considering taking part"
    STATEMENT_GIVEN = "statement_given", "Statement given"
    WITNESS = "witness", "Witness in ongoing proceedings"
    CONCLUDED = "concluded", "Proceedings concluded"


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    MDT = "mdt", "MDT member"


class Relationship(models.TextChoices):
    MOTHER = "mother", "Mother"
    FATHER = "father", "Father"
    PARENT_FIGURE = "parent_figure", "Step-parent or carer"
    SIBLING = "sibling", "Brother or sister"
    PARTNER = "partner", "Partner or spouse"
    GRANDPARENT = "grandparent", "Grandparent"
    OTHER_RELATIVE = "other_relative", "Other relative"
    OTHER = "other", "Other"


class FamilyAttitude(models.TextChoices):
    SUPPORTIVE = "supportive", "Supportive"
    AMBIVALENT = "ambivalent", "Mixed or changing"
    UNSUPPORTIVE = "unsupportive", "Unsupportive"
    INVOLVED = "involved", "Involved in the exploitation"
    UNKNOWN = "unknown", "Not known yet"


class FamilyKnowledge(models.TextChoices):
    KNOWS = "knows", "Knows what happened"
    PARTLY = "partly", "Knows part of it"
    DOES_NOT_KNOW = "does_not_know", "Does not know"
    UNKNOWN = "unknown", "Not known yet"


class FamilyRisk(models.TextChoices):
    NONE = "none", "No known risk"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    UNKNOWN = "unknown", "Not assessed yet"


class ChildSituation(models.TextChoices):
    LEFT_BEHIND = "left_behind", "Left behind"
    TRAFFICKED_WITH = "trafficked_with", "Exploited together with the parent"
    BORN_OF = "born_of", "Born during the exploitation"
    BORN_AFTER = "born_after", "Born after admission"
    OTHER = "other", "Other"


class ConsentScope(models.TextChoices):
    ASSISTANCE = "assistance", "Assistance and services"
    PLAN = "plan", "Individual reintegration plan"
    SHARING = "sharing", "Sharing information with a named organisation"
    OTHER = "other", "Other"


class ConsentGiver(models.TextChoices):
    BENEFICIARY = "beneficiary", "The person themselves"
    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Legal guardian"


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", "Written and signed"
    VERBAL_WITNESSED = "verbal_witnessed", "Verbal, witnessed"


class SetbackCategory(models.TextChoices):
    JOB_LOSS = "job_loss", "Loss of job or income"
    ILLNESS = "illness", "Illness or health crisis"
    FAMILY_CONFLICT = "family_conflict", "Family conflict or violence"
    STIGMA = "stigma", "Stigma or hostility in the community"
    THREATS = "threats", "Threats or contact from exploiters"
    LEGAL_PROCESS = "legal_process", "Long or difficult legal process"
    FAMILY_COSTS = "family_costs", "Family health or care costs"
    END_OF_ASSISTANCE = "end_of_assistance", "End of a form of assistance"
    INDEPENDENCE = "independence", "Difficulty becoming independent"
    DISASTER = "disaster", "Natural disaster or pandemic"
    SCHOOL = "school", "School problems"
    OTHER = "other", "Other"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    CRITICAL = "critical", "Critical (immediate danger)"


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", "Plan goals achieved"
    DECLINED = "declined", "Declined further assistance"
    LOST_CONTACT = "lost_contact", "Contact lost"
    MOVED = "moved", "Moved away or transferred to another provider"
    DECEASED = "deceased", "Deceased"


class DeclineScope(models.TextChoices):
    FULL = "full", "All assistance"
    PARTIAL = "partial", "Part of the assistance"


class AccessAction(models.TextChoices):
    """What a row in the access log records. Later apps add their own values here."""

    VIEW_FILE = "view_file", "Viewed the case file"
    VIEW_PAGE = "view_page", "Opened a case page"
    CHANGE = "change", "Submitted a change"
    VIEW_HISTORY = "view_history", "Viewed the change history"
    VIEW_ACCESS_LOG = "view_access_log", "Viewed the access log"
    PRINT = "print", "Printed a document"
    EXPORT = "export", "Exported data"
    ANONYMISE = "anonymise", "Erased the personal details (retention period over)"
