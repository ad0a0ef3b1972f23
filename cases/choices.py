"""Reference lists for the case file, taken from the practitioner guides (see DOMAIN.md)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    CRISIS = "crisis", _("Crisis intervention")
    TRANSITION = "transition", _("Transition")
    INCLUSION = "inclusion", _("Reintegration and inclusion")

    @classmethod
    def order(cls, value: str) -> int:
        return STAGE_ORDER[value]


# Read for every case of a list: a lookup rather than a search through the members.
STAGE_ORDER = {stage.value: position for position, stage in enumerate(Stage)}


class CaseStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("case status", "Active")
    CLOSED = "closed", pgettext_lazy("case status", "Closed")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    INTERSEX = "intersex", _("Intersex")
    NOT_STATED = "not_stated", _("Not stated")


class Literacy(models.TextChoices):
    LITERATE = "literate", _("Reads and writes")
    LIMITED = "limited", _("Limited reading or writing")
    NOT_LITERATE = "not_literate", _("Does not read or write")
    UNKNOWN = "unknown", _("Not known yet")


class YesNoUnknown(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known yet")


class Accommodation(models.TextChoices):
    SHELTER = "shelter", _("Shelter or residential centre")
    SPECIALISED = "specialised", _("Specialised residential programme")
    SEMI_INDEPENDENT = "semi_independent", _("Rented or semi-independent apartment")
    INDEPENDENT = "independent", _("Independent living")
    FAMILY = "family", _("With family")
    FOSTER = "foster", _("Foster family")
    KINSHIP = "kinship", _("Kinship care")
    ALTERNATIVE_CARE = "alternative_care", _("Other alternative care")
    OTHER = "other", _("Other")


class IdentificationStatus(models.TextChoices):
    FORMAL = "formal", _("Formally identified")
    PRESUMED = "presumed", _("Presumed (not yet formally identified)")
    NOT_IDENTIFIED = "not_identified", _("Not identified")


class ReferralSource(models.TextChoices):
    POLICE = "police", _("Police or border service")
    PROSECUTOR = "prosecutor", _("Prosecutor or court")
    SOCIAL_SERVICES = "social_services", _("State social services")
    NGO = "ngo", _("Another NGO")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Labour inspectorate")
    EMBASSY = "embassy", _("Embassy, consulate or IOM")
    HEALTH = "health", _("Health service")
    SCHOOL = "school", _("School")
    HOTLINE = "hotline", _("Hotline")
    FAMILY = "family", _("Family or friends")
    SELF = "self", _("Self-referred")
    OTHER = "other", _("Other")


class ExploitationForm(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR_DOMESTIC = "labour_domestic", _("Forced labour: domestic work")
    LABOUR_AGRICULTURE = "labour_agriculture", _("Forced labour: agriculture or plantation")
    LABOUR_CONSTRUCTION = "labour_construction", _("Forced labour: construction")
    LABOUR_FACTORY = "labour_factory", _("Forced labour: factory")
    LABOUR_FISHING = "labour_fishing", _("Forced labour: fishing")
    LABOUR_OTHER = "labour_other", _("Forced labour: other sector")
    CRIMINAL = "criminal", _("Forced criminal activity")
    BEGGING = "begging", _("Forced begging or street selling")
    MARRIAGE = "marriage", _("Forced marriage")
    SERVITUDE = "servitude", _("Domestic servitude")
    OTHER = "other", _("Other")


class TraffickingScope(models.TextChoices):
    INTERNAL = "internal", _("Within the country")
    CROSS_BORDER = "cross_border", _("Across borders")
    BOTH = "both", _("Both")
    UNKNOWN = "unknown", _("Not known yet")


class ComplexFactor(models.TextChoices):
    """What makes a case complex or "difficult" in the guides' sense: each calls for
    specialised help and supervisor attention, and tends to lengthen the stages."""

    DISABILITY = "disability", _("Physical or mental disability")
    SUBSTANCE_ABUSE = "substance_abuse", _("Substance abuse")
    MENTAL_HEALTH = "mental_health", _("Mental-health issues")
    CHRONIC_ILLNESS = "chronic_illness", _("Serious or chronic illness")
    SECURITY = "security", _("Security problems")
    NO_DOCUMENTS = "no_documents", _("No documents or legal status")
    NO_FAMILY_SUPPORT = "no_family_support", _("No family support")
    MARGINALISATION = "marginalisation", _("Social marginalisation or discrimination")
    FAMILY_ABUSE = "family_abuse", _("Abuse or neglect in the family")
    DEPENDANTS = "dependants", _("With dependent children or family members")
    PREGNANCY = "pregnancy", _("Pregnant, or became pregnant while trafficked")
    SUICIDE_RISK = "suicide_risk", _("Risk of suicide or self-harm")
    SEVERE_TRAUMA = "severe_trauma", _("Severe trauma")
    TRAFFICKED_BY_FAMILY = "trafficked_by_family", _("Trafficked by a family member")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic or partner violence")
    CANNOT_RETURN = "cannot_return", _("Unable to return to family or community")
    LGBTQI = "lgbtqi", _("LGBTQI+ person (often under-served)")
    MALE = "male", _("Man or boy (often under-served)")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Not assessed yet")


# Risk levels from lowest to highest; "not assessed yet" ranks below every assessed level,
# so any open threat is above it.
RISK_ORDER = {
    RiskLevel.UNKNOWN.value: 0,
    RiskLevel.LOW.value: 1,
    RiskLevel.MEDIUM.value: 2,
    RiskLevel.HIGH.value: 3,
}
# A threat is always assessed: its level is one of these, never "not assessed yet".
THREAT_LEVELS = [(level.value, level.label) for level in RiskLevel if level != RiskLevel.UNKNOWN]


class WitnessStatus(models.TextChoices):
    NOT_INVOLVED = "not_involved", _("Not involved in proceedings")
    CONSIDERING = "considering", _("Considering taking part")
    STATEMENT_GIVEN = "statement_given", _("Statement given")
    WITNESS = "witness", _("Witness in ongoing proceedings")
    CONCLUDED = "concluded", _("Proceedings concluded")


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    MDT = "mdt", _("MDT member")


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mother")
    FATHER = "father", _("Father")
    PARENT_FIGURE = "parent_figure", _("Step-parent or carer")
    SIBLING = "sibling", _("Brother or sister")
    PARTNER = "partner", _("Partner or spouse")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER_RELATIVE = "other_relative", _("Other relative")
    OTHER = "other", _("Other")


class FamilyAttitude(models.TextChoices):
    SUPPORTIVE = "supportive", _("Supportive")
    AMBIVALENT = "ambivalent", _("Mixed or changing")
    UNSUPPORTIVE = "unsupportive", _("Unsupportive")
    INVOLVED = "involved", _("Involved in the exploitation")
    UNKNOWN = "unknown", _("Not known yet")


class FamilyKnowledge(models.TextChoices):
    KNOWS = "knows", _("Knows what happened")
    PARTLY = "partly", _("Knows part of it")
    DOES_NOT_KNOW = "does_not_know", _("Does not know")
    UNKNOWN = "unknown", _("Not known yet")


class FamilyRisk(models.TextChoices):
    NONE = "none", _("No known risk")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    UNKNOWN = "unknown", _("Not assessed yet")


class ChildSituation(models.TextChoices):
    LEFT_BEHIND = "left_behind", _("Left behind")
    TRAFFICKED_WITH = "trafficked_with", _("Exploited together with the parent")
    BORN_OF = "born_of", _("Born during the exploitation")
    BORN_AFTER = "born_after", _("Born after admission")
    OTHER = "other", _("Other")


class ConsentScope(models.TextChoices):
    ASSISTANCE = "assistance", _("Assistance and services")
    PLAN = "plan", _("Individual reintegration plan")
    SHARING = "sharing", _("Sharing information with a named organisation")
    OTHER = "other", _("Other")


class ConsentGiver(models.TextChoices):
    BENEFICIARY = "beneficiary", _("The person themselves")
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Legal guardian")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written and signed")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, witnessed")


class SetbackCategory(models.TextChoices):
    JOB_LOSS = "job_loss", _("Loss of job or income")
    ILLNESS = "illness", _("Illness or health crisis")
    FAMILY_CONFLICT = "family_conflict", _("Family conflict or violence")
    STIGMA = "stigma", _("Stigma or hostility in the community")
    THREATS = "threats", _("Threats or contact from exploiters")
    VIOLENCE = "violence", _("Violence or abuse")
    DISAPPEARANCE = "disappearance", _("Disappeared or out of reach")
    LEGAL_PROCESS = "legal_process", _("Long or difficult legal process")
    FAMILY_COSTS = "family_costs", _("Family health or care costs")
    END_OF_ASSISTANCE = "end_of_assistance", _("End of a form of assistance")
    INDEPENDENCE = "independence", _("Difficulty becoming independent")
    DISASTER = "disaster", _("Natural disaster or pandemic")
    SCHOOL = "school", _("School problems")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    SEVERE = "severe", _("Severe")
    CRITICAL = "critical", _("Critical (immediate danger)")


class ClosureReason(models.TextChoices):
    GOALS_ACHIEVED = "goals_achieved", _("Plan goals achieved")
    DECLINED = "declined", _("Declined further assistance")
    LOST_CONTACT = "lost_contact", _("Contact lost")
    MOVED = "moved", _("Moved away or transferred to another provider")
    DECEASED = "deceased", _("Deceased")


class DeclineScope(models.TextChoices):
    FULL = "full", _("All assistance")
    PARTIAL = "partial", _("Part of the assistance")


class AccessAction(models.TextChoices):
    """What a row in the access log records. Later apps add their own values here."""

    VIEW_FILE = "view_file", _("Viewed the case file")
    VIEW_PAGE = "view_page", _("Opened a case page")
    CHANGE = "change", _("Submitted a change")
    VIEW_HISTORY = "view_history", _("Viewed the change history")
    VIEW_ACCESS_LOG = "view_access_log", _("Viewed the access log")
    PRINT = "print", _("Printed a document")
    EXPORT = "export", _("Exported data")
    ANONYMISE = "anonymise", _("Erased the personal details (retention period over)")


# --- Safety: threats, the safety plan, who knows ---------------------------------


class ThreatSource(models.TextChoices):
    FORMER_EXPLOITERS = "former_exploiters", _("Former exploiters or people linked to them")
    FAMILY = "family", _("Family")
    PARTNER = "partner", _("Partner or former partner")
    COMMUNITY = "community", _("Community")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other")


class ThreatKind(models.TextChoices):
    THREATS_OF_VIOLENCE = "threats_of_violence", _("Threats of violence")
    STALKING = "stalking", _("Stalking or watching")
    PRESSURE = "pressure", _("Pressure to return or to repay debts")
    ONLINE = "online", _("Online harassment")
    VIOLENCE = "violence", _("Violence")
    OTHER = "other", _("Other")


class ThreatStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("threat status", "Open")
    RESOLVED = "resolved", pgettext_lazy("threat status", "Resolved")


class DisclosureWho(models.TextChoices):
    """People beyond the family who may know about the person's past (family: FamilyMember)."""

    PARTNER = "partner", _("Partner or spouse")
    EMPLOYER = "employer", _("Employer or colleagues")
    SCHOOL = "school", _("School")
    NEIGHBOURS = "neighbours", _("Neighbours")
    COMMUNITY = "community", _("Community")
    AUTHORITIES = "authorities", _("Authorities")
    OTHER = "other", _("Other")


class DisclosureKnowledge(models.TextChoices):
    EVERYTHING = "everything", _("Knows everything")
    PART = "part", _("Knows part of it")
    NOTHING = "nothing", _("Does not know")
    NOT_SURE = "not_sure", _("Not sure")


class RiskIndicator(models.TextChoices):
    """Signs that a person may be trafficked again (the guides tie the risk to contact from
    exploiters, acute problems, and follow-up dropping off)."""

    EXPLOITER_CONTACT = "exploiter_contact", _("Contact from former exploiters or their associates")
    DEBTS = "debts", _("Debts, or pressure to repay them")
    JOB_OFFER = "job_offer", _("Offers of work away from home or abroad")
    INCOME_LOSS = "income_loss", _("Loss of income or work")
    HOUSING_LOSS = "housing_loss", _("Loss of housing")
    FAMILY_PRESSURE = "family_pressure", _("Pressure from the family to earn or to leave")
    NO_FAMILY = "no_family", _("No restored relationship with the family")
    CONTACT_DROPPED = "contact_dropped", _("Contact with the organisation has dropped off")
    OTHER = "other", _("Other sign")


class RiskReview(models.TextChoices):
    """At each contact while a re-trafficking risk is raised: how it looks now."""

    SAME = "same", _("The risk is unchanged")
    HIGHER = "higher", _("The risk is higher")
    LOWER = "lower", _("The risk is lower: consider clearing the flag")


class DocumentKind(models.TextChoices):
    IDENTITY_CARD = "identity_card", _("Identity card")
    PASSPORT = "passport", _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance")
    SOCIAL_BENEFITS = "social_benefits", _("Social benefits")
    SCHOOL_RECORDS = "school_records", _("School records")
    # Legal-status periods are tracked like documents: issued on a date, ending on another.
    REFLECTION_PERIOD = "reflection_period", _("Recovery and reflection period")
    OTHER = "other", _("Other document")


class DocumentStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    APPLIED = "applied", _("Applied for")
    ISSUED = "issued", _("Issued")
    EXPIRED = "expired", _("Expired")
    REFUSED = "refused", _("Refused")


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal proceedings")
    CIVIL = "civil", _("Civil proceedings")
    COMPENSATION = "compensation", _("Compensation claim")
    LABOUR = "labour", _("Labour dispute")
    ADMINISTRATIVE = "administrative", _("Administrative (residence, asylum, status)")
    FAMILY = "family", _("Family court (custody, guardianship)")
    OTHER = "other", pgettext_lazy("proceedings", "Other")


class ProceedingStage(models.TextChoices):
    REPORTED = "reported", _("Reported or complaint filed")
    INVESTIGATION = "investigation", _("Investigation")
    CHARGES = "charges", _("Charges brought")
    TRIAL = "trial", _("Trial or hearing")
    APPEAL = "appeal", _("Appeal")
    ENFORCEMENT = "enforcement", _("Enforcement of the decision")
    ENDED = "ended", _("Ended")


class ProceedingRole(models.TextChoices):
    """The person's place in the proceedings."""

    INJURED_PARTY = "injured_party", _("Injured party")
    WITNESS = "witness", _("Witness")
    INJURED_PARTY_WITNESS = "injured_party_witness", _("Injured party and witness")
    CLAIMANT = "claimant", _("Claimant or applicant")
    ACCUSED = "accused", _("Accused or respondent")
    OTHER = "other", pgettext_lazy("proceedings role", "Other")


class ProceedingOutcome(models.TextChoices):
    PENDING = "pending", _("No outcome yet")
    CONVICTION = "conviction", _("Conviction")
    ACQUITTAL = "acquittal", _("Acquittal")
    DISMISSED = "dismissed", _("Dismissed or dropped")
    DECIDED_FOR = "decided_for", _("Decided in the person's favour")
    DECIDED_AGAINST = "decided_against", _("Decided against the person")
    SETTLED = "settled", _("Settled")
    WITHDRAWN = "withdrawn", _("Withdrawn by the person")


class GuardianKind(models.TextChoices):
    PARENT = "parent", _("Parent")
    APPOINTED = "appointed", _("Appointed guardian")
    STATE = "state", _("State guardianship or social services")
    OTHER = "other", _("Other legal representative")


# What can lengthen the expected stage timeline (organisation settings): being a child, and
# each complex factor. A callable, so that a new factor needs no migration.
TIMELINE_CHILD = "child"


def timeline_cause_choices() -> list[tuple[str, object]]:
    return [(TIMELINE_CHILD, _("A child (under 18)")), *ComplexFactor.choices]
