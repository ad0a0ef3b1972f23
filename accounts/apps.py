from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_login_clock, start_two_step

        user_logged_in.connect(start_login_clock, dispatch_uid="accounts.start_login_clock")
        user_logged_in.connect(start_two_step, dispatch_uid="accounts.start_two_step")
