from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import keep_chosen_language, start_login_clock, start_two_step

        user_logged_in.connect(start_login_clock, dispatch_uid="accounts.start_login_clock")
        user_logged_in.connect(start_two_step, dispatch_uid="accounts.start_two_step")
        user_logged_in.connect(keep_chosen_language, dispatch_uid="accounts.keep_chosen_language")
