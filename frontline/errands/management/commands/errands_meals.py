"""Make today's errand of every running daily 送餐 (pages make it on view too; a cron
entry at dawn lets volunteers see the day's meals before anyone opens a page)."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.dateparse import parse_date

from frontline.errands import services


class Command(BaseCommand):
    help = "生成当天的每日送餐跑腿（已生成的不重复生成）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="日期 YYYY-MM-DD，默认今天")

    def handle(self, *args, date=None, **options):
        day = parse_date(date) if date else timezone.localdate()
        if day is None:
            self.stderr.write("日期格式应为 YYYY-MM-DD")
            return
        made = services.meals_generate(day=day)
        self.stdout.write(f"{day}：生成 {made} 条送餐")
