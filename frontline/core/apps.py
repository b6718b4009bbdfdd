from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "frontline.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        # Every app's manifest is read and checked here, at start-up: a duplicate or an
        # unknown name stops the process now, not at somebody's first request.
        from frontline.core.registry import collect

        collect()
