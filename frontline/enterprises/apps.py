from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "frontline.enterprises"
    label = "enterprises"
    verbose_name = "复工复产"
