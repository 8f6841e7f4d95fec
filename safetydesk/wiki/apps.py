from django.apps import AppConfig


class WikiConfig(AppConfig):
    name = "safetydesk.wiki"
    label = "wiki"
    verbose_name = "Wikis"
