"""The demo's 160 enterprises are registered and in every state, with employees and cards
(one red at the gate), policy applications, bookings and tickets."""

from django.core.management import call_command
from django.db.models import Count

from frontline.core.models import User
from frontline.enterprises import services
from frontline.enterprises.models import (
    Application,
    Appointment,
    AppState,
    Employee,
    Enterprise,
    FilingMode,
    PolicyApplication,
    Ticket,
)


def test_the_demo_loads_enterprises_in_every_state(db, client):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Enterprise.objects.count() == 160
    states = dict(Application.objects.values_list("state").annotate(n=Count("pk")))
    assert set(states) == set(AppState.values)
    assert states[AppState.APPROVED] > 50
    assert Application.objects.filter(mode=FilingMode.ONLINE).exists()
    returned = Application.objects.filter(answers__round=2).distinct().count()
    assert returned == states[AppState.RETURNED]

    contact = User.objects.get(username="enterprise_demo")
    own = Enterprise.objects.get(node__role_assignments__user=contact)
    employees = list(Employee.objects.filter(enterprise=own))
    colours = {c for c, _ in services.health_colours(employees).values()}
    assert colours == {"red", "amber", "green"}

    red = next(e for e in employees if services.health_colours([e])[e.pk][0] == "red")
    client.force_login(User.objects.get(username="gate_demo"))
    scanned = client.post(
        "/api/v1/gates/scan",
        {"code": red.code, "idempotency_key": "demo-scan"},
        content_type="application/json",
    )
    assert scanned.json()["colour"] == "red"
    assert PolicyApplication.objects.filter(status="granted").exists()
    assert PolicyApplication.objects.filter(status="pending").exists()
    assert Appointment.objects.exists()
    assert Ticket.objects.filter(resolved_at__isnull=False).exists()
    assert Ticket.objects.filter(resolved_at__isnull=True).exists()
