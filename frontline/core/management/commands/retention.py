"""`manage.py retention`: what is past its retention (a dry run: counts only); with
--apply, anonymise it, one audited step per kind."""

from django.core.management.base import BaseCommand

from frontline.core.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = (
        "列出超过保存期限的记录（默认只统计）；"
        "加 --apply 将其匿名化（保留条数，删除姓名、车牌、地点等）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="匿名化（不加时只统计，不改任何数据）"
        )

    def handle(self, *args, apply: bool, **options):
        dues = retention_due()
        self.stdout.write("预演，不改数据。" if not apply else "匿名化：")
        for due in dues:
            line = (
                f"{due.rule.kind}\t{due.rule.label}\t保留 {due.days} 天\t"
                f"{due.rule.ends}早于 {due.cutoff:%Y-%m-%d}\t到期 {due.count} 条"
            )
            if apply and due.count:
                line += f"\t已匿名化 {retention_apply(due=due)} 条"
            self.stdout.write(line)
        if not apply:
            self.stdout.write("加 --apply 执行匿名化。")
