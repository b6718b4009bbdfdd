from django.apps import AppConfig


class ErrandsConfig(AppConfig):
    name = "frontline.errands"
    label = "errands"
    verbose_name = "帮您跑腿"
