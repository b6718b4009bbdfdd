from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "frontline.control"
    label = "control"
    verbose_name = "重点人员管控"
