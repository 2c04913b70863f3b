"""Demo people and logins. Idempotent: running it again changes nothing.

The people named here are fictional; the boards, posts and figures come from the
reference documents (each app's ``demo.py``).
"""

from .models import Role, User

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed by make run; demo only

# (email, name, role, job title)
DEMO_LOGINS = [
    ("admin@demo.example", "Alex Admin", Role.ADMINISTRATOR, "System administrator"),
    ("secretary@demo.example", "Sam Secretary", Role.SECRETARY, "Board secretary"),
    ("member@demo.example", "Morgan Member", Role.MEMBER, "CCG Chief Finance Officer"),
    ("deputy@demo.example", "Dana Deputy", Role.MEMBER, "Deputy Chief Finance Officer"),
    (
        "finance@demo.example",
        "Frankie Finance",
        Role.FINANCE_OFFICER,
        "Finance officer",
    ),
    (
        "manager@demo.example",
        "Pat Poolmanager",
        Role.FUND_MANAGER,
        "Pooled fund manager",
    ),
    ("auditor@demo.example", "Avery Auditor", Role.AUDITOR, "Internal auditor"),
]


def demo_person(
    email: str, name: str, role: str = Role.MEMBER, job_title: str = ""
) -> User:
    """A demo person without a login (unusable password), created once."""
    user, _ = User.objects.get_or_create(
        email=email, defaults={"name": name, "role": role, "job_title": job_title}
    )
    return user


def load() -> list[tuple[str, str]]:
    """Create the demo logins; returns (email, role label) pairs to print."""
    printed = []
    for email, name, role, title in DEMO_LOGINS:
        user = demo_person(email, name, role, title)
        # get_or_create leaves password "", which Django counts as usable.
        if not user.password or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.ADMINISTRATOR and not user.is_superuser:
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        printed.append((email, Role(role).label))
    return printed
