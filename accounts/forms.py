from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderEmails, User

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _code_field(label: StrOrPromise, **attrs: Any) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "autofocus": True, **attrs}
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=attrs))


class CodeForm(forms.Form):
    code = _code_field(_("Code"), autocapitalize="off")


class AuthenticatorCodeForm(CodeForm):
    """Setting up: only the authenticator's six digits will do."""

    code = _code_field(_("Code from the app"), inputmode="numeric")


class EnrolmentForm(forms.Form):
    """Before an authenticator is set up on a new account or after a reset: the one-time
    code the administrator gave."""

    enrolment_code = forms.CharField(
        label=_("Enrolment code"),
        max_length=20,
        help_text=_("The code your administrator gave you, for example ABCDE-FGHJK."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "autofocus": True}
        ),
    )


class ConfirmWithPasswordForm(CodeForm):
    """Changes to two-step login ask for the password again, and a code."""

    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["password", "code"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class ReminderEmailsForm(forms.Form):
    """Each person's choice: one digest e-mail a day, or an e-mail for each reminder."""

    reminder_emails = forms.ChoiceField(
        label=_("Reminder e-mails"),
        choices=ReminderEmails.choices,
        widget=forms.RadioSelect,
    )
