"""Template filters that mask personal data the same way the API does."""

from django import template

from frontline.core.personal_data import address_mask, name_mask

register = template.Library()

register.filter("name_mask", name_mask)
register.filter("address_mask", address_mask)
