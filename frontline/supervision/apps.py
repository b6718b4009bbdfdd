from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "frontline.supervision"
    label = "supervision"
    verbose_name = "督查考评"
