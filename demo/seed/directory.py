"""Seeds the demo's service directory: fourteen providers and the services they offer.

Every organisation, place, phone number and address here is invented. Some providers have
no confidentiality agreement, so that the referral rules that depend on one show in the demo.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from accounts.models import Organisation, User
from directory import services as directory_services
from directory.models import Provider, Service

COUNTRY = "Demo Republic"

# name, printed name, kind, agreement (days ago, or None), phone, address, uses-system code
# fmt: off
PROVIDERS: list[tuple[str, str, str, int | None, str, str, str]] = [
    ('Harbourtown Social Welfare Centre', '', 'state', 400, '+000 100 1000', '12 Quay Road, Harbourtown', ''),
    ('Millbrook Community Health Clinic', '', 'state', 300, '+000 100 2000', '3 Mill Lane, Millbrook', ''),
    ('Safe Steps Housing Trust', '', 'ngo', 500, '+000 100 3000', 'PO Box 18, Harbourtown', ''),
    ('Anti-Trafficking Legal Clinic', 'Legal Advice Clinic', 'ngo', 200, '+000 100 4000', '40 Court Street, Old Town', ''),
    ('Open Door Counselling', '', 'ngo', 150, '+000 100 5000', '7 Garden Row, Riverside', ''),
    ('Riverside Vocational College', '', 'state', None, '+000 100 6000', '1 College Way, Riverside', ''),
    ('Coast Employment Office', '', 'state', 600, '+000 100 7000', '22 Harbour Street, Harbourtown', ''),
    ('New Start Microcredit', '', 'private', None, '+000 100 8000', '9 Market Square, Eastfield', ''),
    ('Civil Registry Help Desk', '', 'state', 250, '+000 100 9000', 'Town Hall, Old Town', ''),
    ('Families Together', '', 'community', 90, '+000 101 1000', '15 Chapel Road, Millbrook', ''),
    ('Northside Social Services', '', 'state', 700, '+000 101 2000', '2 North Avenue, Eastfield', 'NS'),
    ('International Migration Office', '', 'international', 800, '+000 101 3000', '5 Embassy Row, Old Town', ''),
    ("Women's Safety Network", '', 'ngo', 120, '+000 101 4000', 'Confidential address', ''),
    ('Eastfield Youth Centre', '', 'community', None, '+000 101 5000', '30 Park Lane, Eastfield', ''),
]

# provider index, name, domains, specialised, region, municipality, cost, access flags
# (disability, child-friendly, men), languages, hours, description
SERVICES: list[tuple[Any, ...]] = [
    (0, 'Emergency social assistance', ['housing', 'economic'], False, 'Coast Province', 'Harbourtown', 'free', (True, True, True), 'Local language, English', 'Mon-Fri 8:00-16:00', 'One-off financial help and advice on social benefits.'),
    (0, 'Family support and child protection', ['family'], False, 'Coast Province', 'Harbourtown', 'free', (True, True, True), 'Local language', 'Mon-Fri 8:00-16:00', 'Support for families and children, including foster and kinship care.'),
    (0, 'Benefits and documents advice', ['administrative'], False, 'Coast Province', '', 'free', (True, True, True), 'Local language', 'Tue and Thu 9:00-13:00', 'Help to apply for benefits and to gather the documents they need.'),
    (1, 'General health check-ups', ['medical'], False, 'North Province', 'Millbrook', 'free', (True, True, True), 'Local language, English', 'Mon-Sat 7:00-19:00', 'Family doctor, vaccinations and referrals to specialists.'),
    (1, 'Sexual and reproductive health', ['medical'], False, 'North Province', 'Millbrook', 'free', (True, False, True), 'Local language', 'Wed 14:00-18:00', 'Confidential consultations, tests and family planning.'),
    (1, 'Dental care', ['medical'], False, 'North Province', '', 'reduced', (True, True, True), 'Local language', 'Mon-Fri 8:00-14:00', 'Emergency and routine dental treatment.'),
    (2, 'Safe house for women', ['housing', 'safety'], True, 'Coast Province', '', 'free', (False, True, False), 'Local language, English, Russian', '24 hours', 'Short-stay protected accommodation with staff on site day and night.'),
    (2, 'Semi-independent apartments', ['housing'], True, 'Coast Province', 'Harbourtown', 'free', (True, False, True), 'Local language, English', 'By appointment', 'Shared flats with weekly support, for up to a year, as a step to living alone.'),
    (2, 'Rent deposit scheme', ['housing', 'economic'], False, '', '', 'free', (True, True, True), 'Local language', 'By appointment', "Help with the deposit and first month's rent for a home of your own."),
    (3, 'Free legal advice', ['legal'], True, 'Capital Region', 'Old Town', 'free', (True, True, True), 'Local language, English, French', 'Mon-Thu 10:00-16:00', 'A lawyer explains your rights and options, and can represent you in court.'),
    (3, 'Compensation claims', ['legal'], True, '', '', 'free', (True, True, True), 'Local language, English', 'By appointment', 'Help to claim compensation and unpaid wages.'),
    (3, 'Family law advice', ['legal', 'family'], False, 'Capital Region', 'Old Town', 'reduced', (True, True, True), 'Local language', 'Fri 10:00-14:00', 'Advice on divorce, custody, child support and property.'),
    (4, 'Individual counselling', ['psychological'], True, 'North Province', 'Riverside', 'free', (False, False, True), 'Local language, English', 'Mon-Fri 9:00-18:00', 'Regular sessions with a psychologist, at your own pace.'),
    (4, 'Support groups', ['psychological'], False, 'North Province', 'Riverside', 'free', (False, False, False), 'Local language', 'Wed 17:00-19:00', 'A weekly group for women to share experience and support each other.'),
    (4, 'Child and adolescent therapy', ['psychological'], False, 'North Province', '', 'free', (False, True, True), 'Local language', 'By appointment', 'Play and talking therapy for children and teenagers.'),
    (5, 'Vocational training courses', ['education', 'economic'], False, 'North Province', 'Riverside', 'reduced', (True, False, True), 'Local language', 'Term time', 'Courses in cooking, hairdressing, tailoring and IT, with a certificate.'),
    (5, 'Adult literacy classes', ['education'], False, 'North Province', 'Riverside', 'free', (True, False, True), 'Local language', 'Mon and Wed 18:00-20:00', 'Reading, writing and arithmetic for adults, in small groups.'),
    (6, 'Job placement', ['economic'], False, 'Coast Province', 'Harbourtown', 'free', (True, False, True), 'Local language', 'Mon-Fri 8:00-15:00', 'Job offers, CV help and interview preparation.'),
    (6, 'Paid internships', ['economic', 'education'], False, 'Coast Province', '', 'free', (True, False, True), 'Local language', 'Mon-Fri 8:00-15:00', 'Six-month internships with local employers, with a monthly allowance.'),
    (7, 'Small business loans', ['economic'], False, '', '', 'fee', (True, False, True), 'Local language, English', 'Mon-Fri 9:00-17:00', 'Small loans and business training to start your own trade.'),
    (8, 'Identity documents', ['administrative'], False, 'Capital Region', 'Old Town', 'reduced', (True, True, True), 'Local language', 'Mon-Fri 8:00-12:00', 'New identity cards, birth certificates and registration of residence.'),
    (8, 'Birth registration for children', ['administrative', 'family'], False, '', '', 'free', (True, True, True), 'Local language', 'Mon-Fri 8:00-12:00', "Late registration of a child's birth and the documents that follow."),
    (9, 'Family mediation', ['family'], False, 'North Province', 'Millbrook', 'free', (True, True, True), 'Local language', 'By appointment', 'Trained mediators help families talk through conflicts and plan a return home.'),
    (9, 'After-school club', ['education', 'family'], False, 'North Province', 'Millbrook', 'free', (True, True, True), 'Local language', 'Mon-Fri 13:00-18:00', 'Homework help, meals and activities for children aged 6-14.'),
    (10, 'Case management for adults', ['housing', 'economic'], False, 'North Province', 'Eastfield', 'free', (True, True, True), 'Local language', 'Mon-Fri 8:00-16:00', 'A social worker who coordinates support over the long term.'),
    (10, "Children's services", ['family', 'safety'], False, 'North Province', 'Eastfield', 'free', (True, True, True), 'Local language', 'Mon-Fri 8:00-16:00', 'Child protection, guardianship and care arrangements.'),
    (11, 'Assisted voluntary return', ['return'], True, '', '', 'free', (True, True, True), 'English, French, Russian, Arabic', 'Mon-Fri 9:00-17:00', 'Travel, documents and a start-up grant for people who choose to go home.'),
    (11, 'Residence permit advice', ['administrative', 'legal'], False, 'Capital Region', '', 'free', (True, True, True), 'English, French, Russian', 'Tue 9:00-13:00', 'Advice on residence and work permits and how to apply.'),
    (12, 'Safety planning', ['safety'], True, '', '', 'free', (True, True, False), 'Local language, English', '24-hour phone line', 'Help to plan for your safety, with a phone line open day and night.'),
    (12, 'Accompaniment to appointments', ['safety', 'legal'], True, 'Coast Province', '', 'free', (True, True, False), 'Local language', 'By appointment', 'A trained volunteer goes with you to the police, court or other appointments.'),
    (13, 'Youth drop-in and mentoring', ['education', 'psychological'], False, 'North Province', 'Eastfield', 'free', (True, True, True), 'Local language', 'Mon-Sat 14:00-20:00', 'A safe place for young people, with mentors and activities.'),
]
# fmt: on


def seed_directory(actor: User, today: date) -> list[Service]:
    """Create the demo directory through the services, as an administrator would."""
    providers: list[Provider] = []
    for name, printed, kind, agreement_days, phone, address, org_code in PROVIDERS:
        providers.append(
            directory_services.provider_save(
                actor=actor,
                data={
                    "name": name,
                    "printed_name": printed,
                    "kind": kind,
                    "phone": phone,
                    "address": address,
                    "email": f"info@{re.sub('[^a-z]', '', name.split()[0].lower())}.example.org",
                    "confidentiality_agreement_on": (
                        today - timedelta(days=agreement_days) if agreement_days else None
                    ),
                    "agreement_reference": f"CA-{len(providers) + 1:03d}" if agreement_days else "",
                    "system_organisation": (
                        Organisation.objects.get(code=org_code) if org_code else None
                    ),
                },
            )
        )
    made = []
    for row in SERVICES:
        index, name, domains, specialised, region, municipality, cost, flags, langs, hours, text = (
            row
        )
        disability, child, men = flags
        made.append(
            directory_services.service_save(
                actor=actor,
                provider=providers[index],
                data={
                    "name": name,
                    "domains": domains,
                    "trafficking_specific": specialised,
                    "description": text,
                    "eligibility": "Anyone living in the area."
                    if not specialised
                    else "People supported by a partner organisation; ask your case manager.",
                    "how_to_access": "Call first to make an appointment, or come in during opening hours.",
                    "country": COUNTRY,
                    "region": region,
                    "municipality": municipality,
                    "languages": langs,
                    "opening_hours": hours,
                    "cost": cost,
                    "disability_access": disability,
                    "child_friendly": child,
                    "accepts_men": men,
                },
            )
        )
    return made
