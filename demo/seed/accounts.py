"""Seeds the two demo organisations and their staff accounts.

Run on every `seed_demo`: accounts changed while trying the demo are brought back to their
demo state (names, roles, password).
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password

from accounts.models import Discipline, Organisation, Role, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - fictional demo accounts, stated in the README

# name, code, kind, programme name
ORGANISATIONS: list[tuple[str, str, str, str]] = [
    ("Daybreak Association", "DE", Organisation.Kind.NGO, "Daybreak Community Programme"),
    ("Northside Social Services", "NS", Organisation.Kind.STATE, "Northside Family Support"),
]

# username, first name, last name, role, discipline, organisation index
STAFF: list[tuple[str, str, str, str, str, int]] = [
    ("admin", "Alma", "Reyes", Role.ADMINISTRATOR, "", 0),
    ("supervisor", "Sofia", "Lindqvist", Role.SUPERVISOR, Discipline.SOCIAL_WORKER, 0),
    ("caseworker", "Maren", "Oduya", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 0),
    ("caseworker2", "Tomas", "Belic", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 0),
    ("psychologist", "Irena", "Vasquez", Role.MDT_MEMBER, Discipline.PSYCHOLOGIST, 0),
    ("doctor", "Jonah", "Alvarez", Role.MDT_MEMBER, Discipline.DOCTOR, 0),
    ("lawyer", "Petra", "Nakamura", Role.MDT_MEMBER, Discipline.LAWYER, 0),
    ("teacher", "Elif", "Marchetti", Role.MDT_MEMBER, Discipline.TEACHER, 0),
    ("outsider", "Nils", "Okafor", Role.CASE_WORKER, Discipline.SOCIAL_WORKER, 1),
    ("northsupervisor", "Greta", "Mwangi", Role.SUPERVISOR, Discipline.SOCIAL_WORKER, 1),
]
# Who works in another language than the working one (English): pages and e-mails in it.
STAFF_LANGUAGES = {"caseworker2": "sq", "doctor": "id", "northsupervisor": "id"}


def seed_organisations() -> list[Organisation]:
    """The demo organisations, in the order of ORGANISATIONS (found by their code)."""
    organisations = []
    for name, code, kind, programme in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "programme_name": programme}
        )
        organisations.append(organisation)
    return organisations


def seed_staff(organisations: list[Organisation]) -> dict[str, User]:
    """The demo staff by username, all with DEMO_PASSWORD; administrators may use the admin."""
    # One hash for all the demo accounts: each hash is deliberately slow.
    password = make_password(DEMO_PASSWORD)
    staff = {}
    for username, first, last, role, discipline, org_index in STAFF:
        staff[username], _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.org",
                "organisation": organisations[org_index],
                "role": role,
                "discipline": discipline,
                "is_active": True,
                "is_staff": role == Role.ADMINISTRATOR,
                "is_superuser": role == Role.ADMINISTRATOR,
                "language": STAFF_LANGUAGES.get(username, ""),
                "password": password,
            },
        )
    return staff
