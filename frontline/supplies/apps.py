from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "frontline.supplies"
    label = "supplies"
    verbose_name = "物资、捐赠与基金"
