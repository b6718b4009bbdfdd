"""The command pages and API read a node from the query string: 郑园村's figures and
report are its own users' only."""

from frontline.core.tests.scope_registry import Call, ScopeTarget


def _node(world) -> Call:
    return Call(query={"node": world.zhengyuan.pk})


def _wording(world) -> Call:
    return Call(
        query={"node": world.zhengyuan.pk},
        body={"sentence": "readings", "text": "郑园村上门测温{readings}人次。"},
    )


TARGETS = {
    "command:dashboard": ScopeTarget("command.view", get=_node),
    "command:screen": ScopeTarget("command.view", get=_node),
    "command:report": ScopeTarget("command.view", get=_node),
    "command:report_xlsx": ScopeTarget("command.view", get=_node),
    "command:report_pdf": ScopeTarget("command.view", get=_node),
    "command:wording": ScopeTarget("command.manage", get=_node, post=_wording),
    "api:figures": ScopeTarget("command.view", get=_node),
    "api:battle": ScopeTarget("command.view", get=_node),
    "api:battle_xlsx": ScopeTarget("command.view", get=_node),
    "api:battle_pdf": ScopeTarget("command.view", get=_node),
}
