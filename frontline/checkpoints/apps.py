from django.apps import AppConfig


class CheckpointsConfig(AppConfig):
    name = "frontline.checkpoints"
    label = "checkpoints"
    verbose_name = "卡口"
