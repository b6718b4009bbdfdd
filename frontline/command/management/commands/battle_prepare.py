"""Count the last closed days' figures for every district, town and village, so that the
town's report for yesterday is ready when the leader opens it at 08:00. Run it from a
scheduler (cron) around 06:00: `manage.py battle_prepare`."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from frontline.command import services


class Command(BaseCommand):
    help = "计算最近几天的指标日汇总（战报提前备好）"

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, help="最后一天，默认昨天")
        parser.add_argument("--days", type=int, default=3, help="往前重算几天（补录的数据）")

    def handle(self, *args, day: date | None, days: int, **options):
        day = day or timezone.localdate() - timedelta(days=1)
        written = services.report_prepare(day=day, days_back=max(days, 1))
        self.stdout.write(f"已计算 {day - timedelta(days=max(days, 1) - 1)} 至 {day}：{written} 项")
