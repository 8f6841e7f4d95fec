from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "safetydesk.accounts"
    label = "accounts"
