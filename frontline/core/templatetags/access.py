"""`{% if_can "permission" node %}…{% else %}…{% endif_can %}`: show a link only where its
target would open for the user who sees the page.

The check is the one the target's view makes (`user_can`: the permission held at the node
or above it; anywhere when no node is given), so a page cannot offer what answers 404.
"""

from django import template

from frontline.core.scoping import user_can

register = template.Library()


class IfCanNode(template.Node):
    def __init__(self, permission, node, yes: template.NodeList, no: template.NodeList):
        self.permission, self.node, self.yes, self.no = permission, node, yes, no

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        user = getattr(request, "user", None)
        permission = self.permission.resolve(context)
        node = self.node.resolve(context) if self.node is not None else None
        allowed = user is not None and user.is_authenticated and user_can(user, permission, node)
        return (self.yes if allowed else self.no).render(context)


@register.tag("if_can")
def if_can(parser: template.base.Parser, token: template.base.Token) -> IfCanNode:
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError('{% if_can "permission" [node] %}')
    permission = parser.compile_filter(bits[1])
    node = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    yes = parser.parse(("else", "endif_can"))
    no = template.NodeList()
    if parser.next_token().contents == "else":
        no = parser.parse(("endif_can",))
        parser.delete_first_token()
    return IfCanNode(permission, node, yes, no)


@register.simple_tag(takes_context=True)
def can(context: template.Context, permission: str, node=None) -> bool:
    """`{% can "control.alert" alert.node as may_handle %}`: the same check, kept in a
    variable where a row is a link or plain text by it."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user_can(user, permission, node))
