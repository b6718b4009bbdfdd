"""The command dashboard's own records: daily rollups of the figures, and the town's
wording of the battle report. Every figure itself lives in the app that owns its rows."""

from django.conf import settings
from django.db import models

from frontline.core.models import Node


class FigureDay(models.Model):
    """One figure of one node for one closed day, computed once and kept.

    The dashboard's trends, the battle report and its Excel read these instead of
    recounting millions of readings for every day of a month; only today is counted
    live. `manage.py battle_prepare` recomputes the last few closed days every morning,
    which takes in the readings phones sync late.
    """

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    key = models.CharField("指标", max_length=64)
    day = models.DateField("日期")
    value = models.DecimalField("数值", max_digits=20, decimal_places=2)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "指标日汇总"
        constraints = [
            models.UniqueConstraint(fields=["node", "key", "day"], name="figure_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.key} {self.day}: {self.value}"


class BattleWording(models.Model):
    """A town's own wording of one sentence of the battle report. Placeholders are figure
    keys in braces (`{loudspeaker_teams}`); a sentence without a row here uses the
    default wording of `command/report.py`."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    sentence = models.CharField("句子", max_length=64)
    text = models.CharField("措辞", max_length=300)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "战报措辞"
        constraints = [
            models.UniqueConstraint(fields=["node", "sentence"], name="battle_wording_unique")
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.sentence}"
