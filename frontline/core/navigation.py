"""The navigation: each entry names the permission that shows it. Apps add entries here."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    permission: str


NAVIGATION: list[NavEntry] = [
    NavEntry("首页", "core:home", "nodes.view"),
    NavEntry("人员", "people:list", "people.view"),
    NavEntry("测温", "control:rounds", "control.reading"),
    NavEntry("重点人员", "control:key_person_list", "control.view"),
    NavEntry("辖区", "core:node_list", "nodes.view"),
    NavEntry("排查", "screening:board", "screening.view"),
    NavEntry("卡口", "checkpoints:list", "checkpoints.view"),
    NavEntry("账号", "core:user_list", "users.manage"),
    NavEntry("审计", "core:audit_list", "audit.view"),
]
