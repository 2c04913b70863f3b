"""Forms for the people pages: they only parse; services decide."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm

from .grants import GRANT_RULES, RoleName, Standing, grantable_scopes
from .models import Role, User
from .roles import scoped_roles

ROLE_SEPARATOR = ":"


def role_choices(standing: Standing) -> list:
    """Grouped choices "role:target" of every scoped role ``standing`` may give, by
    role then board or fund (the grant table decides which appear)."""
    groups = []
    for handler in scoped_roles():
        scopes = grantable_scopes(standing, handler.role)
        if scopes is not None and not scopes:
            continue
        label = GRANT_RULES[handler.role].label
        options = [
            (f"{handler.role}{ROLE_SEPARATOR}{t.id}", t.label)
            for t in handler.targets(scopes)
        ]
        if options:
            groups.append((label, options))
    return groups


def parse_role(value: str) -> tuple[RoleName, int] | None:
    role, _, target = (value or "").partition(ROLE_SEPARATOR)
    if role not in RoleName._value2member_map_ or not target.isdigit():
        return None
    return RoleName(role), int(target)


class InvitationForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(max_length=200, required=False)
    role = forms.ChoiceField(
        label="Role on a board or fund",
        required=False,
        help_text="Where they will sit or work. A board secretary invites members and "
        "deputies to their own boards' seats.",
    )
    global_role = forms.ChoiceField(
        label="Usual role",
        choices=Role.choices,
        initial=Role.MEMBER,
        help_text="Administrator and auditor are global roles; the others only label "
        "the person's usual work.",
    )

    def __init__(self, *args, standing: Standing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "---------")] + role_choices(standing)
        if not standing.administrator:
            del self.fields["global_role"]
            self.fields["role"].required = True

    def requested_global_role(self) -> str:
        """The global role asked for: the field's, or, where it is not offered (not
        an administrator), whatever was posted anyway, so the service refuses it
        (403, the grant table) instead of it being silently dropped."""
        return (
            self.cleaned_data.get("global_role")
            or self.data.get("global_role")
            or Role.MEMBER
        )

    def clean_role(self):
        value = self.cleaned_data.get("role")
        if not value:
            return None
        parsed = parse_role(value)
        if parsed is None:
            raise forms.ValidationError("Choose a role from the list.")
        return parsed


class GiveRoleForm(forms.Form):
    role = forms.ChoiceField(label="Give the role")

    def __init__(self, *args, standing: Standing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(standing)

    def clean_role(self):
        parsed = parse_role(self.cleaned_data["role"])
        if parsed is None:
            raise forms.ValidationError("Choose a role from the list.")
        return parsed


class GlobalRoleForm(forms.Form):
    role = forms.ChoiceField(label="Usual role", choices=Role.choices)


class PersonEditForm(forms.Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(label="E-mail address")
    job_title = forms.CharField(max_length=200, required=False)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} <{obj.email}>"


class MergeForm(forms.Form):
    duplicate = PersonChoiceField(
        queryset=User.objects.filter(merged_into__isnull=True),
        label="The duplicate record to merge into this person",
        help_text="Its seats, roles and recorded acts move here; it is then "
        "deactivated and marked as merged. Its history stays.",
    )

    def __init__(self, *args, keep: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = (
            User.objects.filter(merged_into__isnull=True)
            .exclude(pk=keep.pk)
            .order_by("name", "email")
        )


class AcceptInvitationForm(SetPasswordForm):
    """Set the first password (Django's validators: 12+ characters, not common, not
    like the name or e-mail)."""
