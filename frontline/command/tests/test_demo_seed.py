"""The demo zone tells the seed's story: over the demo's days the town's figures are the
report's (赣榆经济开发区), each number the same in the API, in the report's prose and in the
list its link opens for the leader."""

from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from frontline.command.report import SENTENCES, number_text, placeholders
from frontline.core import services as core_services
from frontline.core.models import User

# The seed's figures the demo records exactly…
SEED_EXACT = {
    "party_orgs": 75,
    "calling_orgs": 75,
    "pledges": 1857,
    "purchase_vehicles": 36,
    "service_squads": 18,
    "patrol_teams": 18,
    "loudspeaker_teams": 72,
    "prevention_teams": 62,
    "coordinated_masks": 200_000,
    "coordinated_suits": 50_000,
    "coordinated_goggles": 1_200,
    "coordinated_gloves": 20_000,
    "coordinated_alcohol": "22.00",
    "inspection_groups": 2,
    "model_villages": 4,
    "benchmark_checkpoints": 6,
    "weddings_postponed": 24,
    "funerals_simplified": 34,
}
# …and those it says with a "+" (2,000+ members, 1,000,000+ yuan …).
SEED_AT_LEAST = {
    "party_members": 2_000,
    "party_donation_cash": 200_000,
    "party_donation_goods": 300_000,
    "donated_items": 20_000,
    "fund_raised": 1_000_000,
    "fund_beneficiaries": 200,
    "cadres_on_duty": 120,
    "leaflets": 40_000,
    "care_volunteers": 300,
}


def test_the_demo_states_the_seed_and_every_number_agrees(db, client):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    leader = User.objects.get(username="town_leader")
    token = core_services.api_token_issue(user=leader)
    today = timezone.localdate()
    span = {"from": today - timedelta(days=365), "to": today}
    headers = {"Authorization": f"Bearer {token}"}
    figures = client.get(reverse("api:figures"), span, headers=headers).json()["figures"]
    values = {f["key"]: f for f in figures}

    for key, expected in SEED_EXACT.items():
        assert values[key]["value"] == expected, key
    for key, least in SEED_AT_LEAST.items():
        assert Decimal(str(values[key]["value"])) >= least, key

    # The report prints the same numbers, sentence by sentence.
    report = client.get(reverse("api:battle"), span, headers=headers).json()
    assert {f["key"]: f["value"] for f in report["figures"]} == {
        key: figure["value"] for key, figure in values.items()
    }
    text = "".join(report["paragraphs"])
    for sentence in SENTENCES:
        keys = placeholders(sentence.text)
        if all(values.get(key, {}).get("value") for key in keys):
            numbers = [number_text(Decimal(str(values[key]["value"]))) for key in keys]
            printed = sentence.text.format(**dict(zip(keys, numbers, strict=True)))
            assert printed in text, sentence.id

    # Every figure's link opens for the leader who reads it.
    client.force_login(leader)
    for figure in figures:
        if figure["url"]:
            assert client.get(figure["url"]).status_code == 200, figure["key"]
