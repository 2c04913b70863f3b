"""People, their roles, and the shared outbox."""

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class CacheVersioned(models.Model):
    """A ``cache_version`` that pages are cached under (meetings/versions.py). It only
    moves forward, by ``UPDATE ... cache_version + 1``: a save from an instance read
    earlier never writes an older version back."""

    cache_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk and kwargs.get("update_fields") is None and not self._state.adding:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "cache_version"
            ]
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    """A person's role across the product.

    Per-board and per-fund rights come on top (a secretary is secretary of named
    boards, a member holds or deputises for seats, a finance officer enters returns
    for named funds); ``governance/permissions.py`` combines both.
    """

    ADMINISTRATOR = "administrator", "Administrator"
    SECRETARY = "secretary", "Board secretary"
    MEMBER = "member", "Member"
    FINANCE_OFFICER = "finance_officer", "Finance officer"
    FUND_MANAGER = "fund_manager", "Pooled fund manager"
    AUDITOR = "auditor", "Auditor"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A person needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("role", Role.ADMINISTRATOR)
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: a board member, officer or auditor. May have no login yet
    (an unusable password) until an administrator gives one."""

    email = models.EmailField(unique=True)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    ical_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Changing it ends every session of the person at its next request (it is part
    # of the session's auth hash): see governance.services.sessions.
    security_stamp = models.UUIDField(default=uuid.uuid4, editable=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text="This record was a duplicate of that person and was merged into it.",
    )

    history = HistoricalRecords(
        excluded_fields=["password", "last_login", "security_stamp"]
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email

    def _session_hash(self, secret=None) -> str:
        return salted_hmac(
            "governance.User.session_auth_hash",
            f"{self.password}:{self.security_stamp}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def get_session_auth_hash(self):
        """A session stays valid while the password and the security stamp are
        unchanged: a password reset, a role change, deactivation or a merge ends
        every other session of the person."""
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        from django.conf import settings

        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR or self.is_superuser


class OutboxMessage(models.Model):
    """An e-mail to send, written in the same transaction as the change that causes
    it, so a broker outage loses nothing: the relay (``governance.outbox``) sends
    it later and records the outcome. ``key`` makes enqueueing idempotent.

    A ``held`` row waits for something made after its transaction (the circulated
    minutes' PDF, rendered by a worker): the relay and its stale-claim sweep never
    touch it, and whoever makes the missing part releases it to ``pending``
    (``governance.outbox.outbox_release``)."""

    class State(models.TextChoices):
        HELD = "held", "Held until its attachment is ready"
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment = models.BinaryField(null=True, blank=True)
    attachment_mimetype = models.CharField(max_length=100, blank=True)
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    # While sending: when the claim was taken or last renewed (a lease).
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=200, blank=True)  # host:pid
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.subject} → {self.to} ({self.state})"


class Invitation(models.Model):
    """An invitation to sign in: a single-use link, valid until ``expires_at``, that
    lets the person set a password (and a second factor if their role needs one).
    Only a hash of the link's token is stored. Resending makes a new link (the old
    one stops working); revoking stops it. Kept with its history for the audit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the person"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"
        EXPIRED = "expired", "Expired"

    person = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    # The role the invitation gave, so the grant table says who may resend or revoke
    # it (a board's secretary, for a seat on that board).
    role = models.CharField(max_length=20, blank=True)
    scope_id = models.PositiveBigIntegerField(null=True, blank=True)
    role_label = models.CharField(max_length=300, blank=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(null=True, blank=True)
    times_sent = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by_sso = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.person} ({self.status_at(timezone.now())})"

    def status_at(self, now) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return self.Status(self.status).label
