from django.apps import AppConfig


class CommandConfig(AppConfig):
    name = "frontline.command"
    label = "command"
    verbose_name = "指挥看板"

    def ready(self) -> None:
        from frontline.command.rollups import closed_day_forget
        from frontline.core.closed_days import closed_day_written

        closed_day_written.connect(closed_day_forget, dispatch_uid="command.closed_day_forget")
