"""The dashboard's enterprise figures agree with the list pages their urls open."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from frontline.core.registry import registry
from frontline.enterprises import services
from frontline.enterprises.tests.factories import application_reviewed, enterprise_make


def _figure(key, world, start, end):
    figure = registry().figures[key]
    return figure.compute(world.town, start, end), figure.url(world.town, start, end)


def test_resumed_enterprises_and_employees_on_site_match_the_list(world, login):
    today = timezone.localdate()
    resumed = [enterprise_make(world, onsite_headcount=n) for n in (12, 30)]
    waiting = enterprise_make(world, onsite_headcount=99)
    for enterprise in resumed:
        app = application_reviewed(world, enterprise)
        services.application_approve(actor=world.town_leader, application=app)
    application_reviewed(world, waiting)
    count, url = _figure("enterprises_resumed", world, today - timedelta(days=6), today)
    on_site, same_url = _figure("employees_on_site", world, today - timedelta(days=6), today)
    assert (count, on_site) == (2, 42) and url == same_url
    page = login(world.town_leader).get(url)
    assert page.context["page"].paginator.count == 2
    assert sum(e.onsite_headcount for e in page.context["page"].object_list) == 42
    yesterday = today - timedelta(days=1)
    assert _figure("enterprises_resumed", world, yesterday, yesterday)[0] == 0


def test_policy_support_is_money_granted_in_the_span(world, login):
    today = timezone.localdate()
    policy = services.policy_create(
        actor=world.town_leader, node=world.town, name="金融扶持", cap=Decimal("100000")
    )
    asked = []
    for amount in ("30000.50", "20000", "5000"):
        asked.append(
            services.policy_apply(
                actor=world.town_leader,
                policy=policy,
                enterprise=enterprise_make(world),
                amount=Decimal(amount),
            )
        )
    services.policy_decide(actor=world.town_leader, application=asked[0], grant=True)
    services.policy_decide(
        actor=world.town_leader, application=asked[1], grant=True, amount=Decimal("15000")
    )
    services.policy_decide(actor=world.town_leader, application=asked[2], grant=False)
    total, url = _figure("policy_support", world, today, today)
    assert total == Decimal("45000.50") and isinstance(total, Decimal)
    page = login(world.town_leader).get(url)
    rows = list(page.context["page"].object_list)
    assert len(rows) == 2 and sum(r.granted for r in rows) == total


def test_tickets_resolved_in_the_span_match_the_list(world, login):
    today = timezone.localdate()
    enterprise = enterprise_make(world)
    tickets = [
        services.ticket_create(
            actor=world.town_leader, enterprise=enterprise, kind="funds", description=f"资金{i}"
        )
        for i in range(3)
    ]
    for ticket in tickets[:2]:
        services.ticket_resolve(actor=world.town_leader, ticket=ticket, resolution="已对接银行")
    count, url = _figure("tickets_resolved", world, today, today)
    assert count == 2
    page = login(world.town_leader).get(url)
    assert page.context["page"].paginator.count == 2
