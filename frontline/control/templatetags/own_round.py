"""A key person's name and isolation address as this user may see them: in full on their
own round, masked elsewhere (control.masking)."""

from django import template

from frontline.control.masking import own_round_for

register = template.Library()


@register.simple_tag(takes_context=True)
def person_name(context, person) -> str:
    return own_round_for(context["request"]).person_name(person)


@register.simple_tag(takes_context=True)
def isolation_name(context, isolation) -> str:
    return own_round_for(context["request"]).isolation_name(isolation)


@register.simple_tag(takes_context=True)
def isolation_address(context, isolation) -> str:
    return own_round_for(context["request"]).isolation_address(isolation)
