from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.views import i18n
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .forms import (
    AuthenticatorCodeForm,
    CodeForm,
    ConfirmWithPasswordForm,
    EnrolmentForm,
    ReminderEmailsForm,
)
from .http import AuthenticatedHttpRequest
from .middleware import (
    ENROLMENT_CHECKED,
    PASSED,
    SET_UP,
    TWO_STEP,
    VERIFY,
    before_password_change,
    before_two_step,
)


@require_POST
@login_required
def still_here(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Typing in a form is activity too: the page says so before the idle timeout ends the login.

    The session middleware notes the activity; there is nothing else to do.
    """
    return HttpResponse(status=204)


# --- Language ------------------------------------------------------------------------


@before_two_step
@before_password_change
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's own language switch (the cookie, then back to the page); for someone logged
    in, the choice is also kept on their account, for their next login and their e-mails.
    Open at every login step, since those pages carry the switcher too."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_choose(user=request.user, language=language)
    return response


# --- Two-step login -----------------------------------------------------------------


@before_two_step
@login_required
def two_step_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.session.get(TWO_STEP) != VERIFY:
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        check = services.two_step_check(user=request.user, code=form.cleaned_data["code"])
        if check.accepted:
            _passed(request)
            if check.used_backup_code:
                left = selectors.two_step_state(request.user).backup_codes_left
                messages.warning(
                    request,
                    gettext(
                        "You used a backup code; %(left)d left. If your phone is lost, ask an "
                        "administrator to reset your two-step login."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", _refusal(check))
    return render(
        request, "registration/two_step_verify.html", {"form": form, **_next_field(request)}
    )


@before_two_step
@login_required
def two_step_set_up(request: AuthenticatedHttpRequest) -> HttpResponse:
    state = request.session.get(TWO_STEP)
    # A password alone must never be enough to add a phone to someone's account.
    if state == VERIFY:
        return redirect("two_step_verify")
    if state == PASSED and selectors.has_authenticator(request.user):
        return redirect("login_security")
    if state == SET_UP and not request.session.get(ENROLMENT_CHECKED):
        return _enrolment(request)
    device = services.two_step_setup_begin(user=request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if form.is_valid():
        check = services.two_step_setup_confirm(user=request.user, code=form.cleaned_data["code"])
        if check.accepted:
            _passed(request)
            return _backup_codes_page(request, check.backup_codes, first=True, then=_next(request))
        form.add_error("code", _refusal(check))
    context = {
        "form": form,
        "qr_code": _qr_code(device),
        "key": _grouped(b32encode(device.bin_key).decode()),
        "required": settings.TWO_STEP_LOGIN_REQUIRED,
        **_next_field(request),
    }
    return render(request, "registration/two_step_set_up.html", context)


def _enrolment(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Setting up a required authenticator starts with the administrator's enrolment code:
    the password alone enrols no phone."""
    form = EnrolmentForm(request.POST or None)
    if form.is_valid():
        if services.enrolment_code_valid(
            user=request.user, code=form.cleaned_data["enrolment_code"]
        ):
            services.two_step_setup_restart(user=request.user)
            request.session[ENROLMENT_CHECKED] = True
            target = reverse("two_step_set_up")
            asked = _next_field(request)["next"]
            return redirect(f"{target}?{urlencode({'next': asked})}" if asked else target)
        form.add_error(
            "enrolment_code",
            gettext(
                "That enrolment code is not valid: it may be mistyped, already used or expired. "
                "Ask an administrator for a new one."
            ),
        )
    return render(
        request, "registration/two_step_enrolment.html", {"form": form, **_next_field(request)}
    )


@login_required
def login_security(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _login_security_page(request)


@before_password_change
@login_required
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if form.is_valid():
        services.password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)  # this login stays, the others end
        messages.success(
            request, gettext("Your password was changed. Any other login of yours has been ended.")
        )
        return redirect(_next(request) if request.GET.get("next") else "login_security")
    temporary = request.user.must_change_password
    context = {
        "title": gettext("Choose your password") if temporary else gettext("Change your password"),
        "intro": (
            gettext(
                "The password you logged in with was given to you by an administrator. Choose "
                "your own before you continue: at least 10 characters, not a common password."
            )
            if temporary
            else gettext(
                "At least 10 characters, not a common password. Changing it ends any other "
                "login of yours."
            )
        ),
        "form": form,
        "submit": gettext("Change password"),
        "cancel_url": "" if temporary else reverse("login_security"),
    }
    return render(request, "registration/password_change.html", context)


@require_POST
@login_required
def logins_elsewhere_end(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A computer left logged in somewhere: end every login but this one."""
    services.logins_end(user=request.user, by=request.user)
    request.user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, request.user)  # this login carries on
    messages.success(request, gettext("You were logged out on every other computer and browser."))
    return redirect("login_security")


@require_POST
@login_required
def reminder_emails(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's choice: one digest e-mail a day, or an e-mail for each reminder."""
    form = ReminderEmailsForm(request.POST)
    if not form.is_valid():
        return _login_security_page(request, emails_form=form)
    services.reminder_emails_choose(user=request.user, choice=form.cleaned_data["reminder_emails"])
    messages.success(request, gettext("Your choice of reminder e-mails was saved."))
    return redirect("login_security")


@require_POST
@login_required
def two_step_backup_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConfirmWithPasswordForm(request.POST, user=request.user, prefix="renew")
    if not _confirmed(request, form):
        return _login_security_page(request, renew_form=form)
    codes = services.two_step_backup_codes_renew(user=request.user)
    return _backup_codes_page(request, tuple(codes), first=False, then=reverse("login_security"))


@require_POST
@login_required
def two_step_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ConfirmWithPasswordForm(request.POST, user=request.user, prefix="remove")
    if not _confirmed(request, form):
        return _login_security_page(request, remove_form=form)
    services.two_step_remove(user=request.user, by=request.user)
    if settings.TWO_STEP_LOGIN_REQUIRED:
        request.session[TWO_STEP] = SET_UP
        # They have just shown the password and a code: no enrolment code for the new phone.
        request.session[ENROLMENT_CHECKED] = True
        messages.info(request, gettext("Your authenticator was removed. Set up the new one now."))
        return redirect("two_step_set_up")
    messages.info(request, gettext("Two-step login is off: a password alone now logs you in."))
    return redirect("login_security")


def _login_security_page(
    request: AuthenticatedHttpRequest,
    renew_form: ConfirmWithPasswordForm | None = None,
    remove_form: ConfirmWithPasswordForm | None = None,
    emails_form: ReminderEmailsForm | None = None,
) -> HttpResponse:
    context = {
        "emails_form": emails_form
        or ReminderEmailsForm(initial={"reminder_emails": request.user.reminder_emails}),
        "state": selectors.two_step_state(request.user),
        "renew_form": renew_form or ConfirmWithPasswordForm(user=request.user, prefix="renew"),
        "remove_form": remove_form or ConfirmWithPasswordForm(user=request.user, prefix="remove"),
    }
    return render(request, "accounts/login_security.html", context)


def _confirmed(request: AuthenticatedHttpRequest, form: ConfirmWithPasswordForm) -> bool:
    """The password and a current code, as changes to two-step login require."""
    if not form.is_valid():
        return False
    check = services.two_step_check(user=request.user, code=form.cleaned_data["code"])
    if not check.accepted:
        form.add_error("code", _refusal(check))
    return check.accepted


def _backup_codes_page(
    request: AuthenticatedHttpRequest, codes: tuple[str, ...], *, first: bool, then: str
) -> HttpResponse:
    # Shown once, in the answer to the form: never kept in the session or an address.
    context = {"codes": codes, "first": first, "then": then}
    return render(request, "registration/two_step_backup_codes.html", context)


def _passed(request: AuthenticatedHttpRequest) -> None:
    # A new session key at each step up of a login (ASVS 7.2.4).
    request.session.cycle_key()
    request.session[TWO_STEP] = PASSED
    request.session.pop(ENROLMENT_CHECKED, None)


def _refusal(check: services.CodeCheck) -> str:
    if check.wait_until and check.wait_until > timezone.now():
        seconds = max(1, round((check.wait_until - timezone.now()).total_seconds()))
        return ngettext(
            "That code was not accepted. After several wrong codes, wait %(seconds)d second "
            "before trying again.",
            "That code was not accepted. After several wrong codes, wait %(seconds)d seconds "
            "before trying again.",
            seconds,
        ) % {"seconds": seconds}
    return gettext(
        "That code was not accepted. Enter the code the app shows now; if they never match, "
        "check that the phone's clock is set automatically."
    )


def _next(request: AuthenticatedHttpRequest) -> str:
    """The page asked for before a login step, if it is a path on this site. Anything else
    (another site, or a bare word, which redirect() would take for a view name) goes home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _next_field(request: AuthenticatedHttpRequest) -> dict[str, str]:
    """The checked way back, for the form to carry; empty when none was asked for."""
    asked = request.POST.get("next") or request.GET.get("next")
    return {"next": _next(request) if asked else ""}


def _qr_code(device: TOTPDevice) -> SafeString:
    # Drawn here as SVG: the secret never leaves the server for a QR code service.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno draws only paths: the URL becomes QR modules


def _grouped(key: str) -> str:
    """The key in groups of four, as people type it into an app by hand."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
