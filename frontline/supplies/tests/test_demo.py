"""The demo zone carries the seed's supplies figures, open requests and one store below its line."""

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.utils import timezone

from frontline.core.models import Node, User
from frontline.core.registry import registry
from frontline.supplies import selectors


def test_the_demo_has_the_seeds_figures(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    town = Node.objects.get(name="赣榆经济开发区")
    today = timezone.localdate()
    start = today - timedelta(days=60)
    value = {key: f.compute(town, start, today) for key, f in registry().figures.items()}
    assert value["coordinated_masks"] == 200_000
    assert value["coordinated_suits"] == 50_000
    assert value["coordinated_goggles"] == 1_200
    assert value["coordinated_gloves"] == 20_000
    assert value["coordinated_alcohol"] == Decimal("22.000")
    assert value["party_donation_cash"] >= 200_000
    assert value["party_donation_goods"] >= 300_000
    assert value["donated_items"] >= 20_000
    assert value["fund_raised"] >= 1_000_000
    assert value["fund_beneficiaries"] >= 200
    keeper = User.objects.get(username="keeper")
    assert selectors.low_stock_count(keeper) == 1
    assert selectors.open_request_count(keeper) >= 4
