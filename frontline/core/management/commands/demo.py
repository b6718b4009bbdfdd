"""`manage.py demo`: load the demo zone into an empty database and print the logins."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from frontline.core.demo import build_zone, demo_logins, demo_password
from frontline.core.models import Node, RoleAssignment
from frontline.core.roles import role_label


class Command(BaseCommand):
    help = "Load the demo zone when the database is empty, then print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2020)

    def handle(self, *args, seed: int, **options):
        if Node.objects.exists():
            self.stdout.write("数据库已有数据，跳过演示数据加载。")
        else:
            self.stdout.write("正在加载演示辖区……")
            with transaction.atomic():
                zone = build_zone(seed)
                for config in apps.get_app_configs():
                    if not config.name.startswith("frontline.") or config.label == "core":
                        continue
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError:
                        continue
                    module.load(zone)
                for step in zone.later:
                    step()
            self.stdout.write(self.style.SUCCESS("演示辖区已加载。"))
        self._print_logins()

    def _print_logins(self) -> None:
        password = demo_password()
        logins = demo_logins()
        places = dict(
            RoleAssignment.objects.filter(user__username__in=[u for u, *_ in logins])
            .order_by("pk")
            .values_list("user__username", "node__name")
            .reverse()
        )
        self.stdout.write(f"\n演示账号（密码均为 {password}）：")
        for username, full_name, role, _where in logins:
            place = places.get(username, "")
            self.stdout.write(f"  {username:<24} {role_label(role):<8} {full_name}（{place}）")
        self.stdout.write("")
