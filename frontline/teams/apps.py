from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "frontline.teams"
    label = "teams"
    verbose_name = "队伍"
