from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "frontline.screening"
    label = "screening"
    verbose_name = "排查"
