from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "frontline.command"
    label = "command"
    verbose_name = "指挥看板"
