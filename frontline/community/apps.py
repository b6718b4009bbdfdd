from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "frontline.community"
    label = "community"
    verbose_name = "党群宣传关爱"
