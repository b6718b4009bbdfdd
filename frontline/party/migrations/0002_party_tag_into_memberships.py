"""The 党员 and 入党积极分子 resident tags become memberships: each tagged resident joins
their village's branch (a 党支部 per village, created when the village has none). From here
on the memberships own the tags (party.services keeps them in step)."""

from django.db import migrations
from django.utils import timezone

STATUS_OF_TAG = {"党员": "full", "入党积极分子": "activist"}


def tags_into_memberships(apps, schema_editor):
    Resident = apps.get_model("people", "Resident")
    Node = apps.get_model("core", "Node")
    PartyOrg = apps.get_model("party", "PartyOrg")
    Membership = apps.get_model("party", "Membership")
    today = timezone.localdate()
    status_of: dict[int, str] = {}
    # 党员 last, so that a resident tagged both ways is a member.
    for tag, status in (("入党积极分子", "activist"), ("党员", "full")):
        for pk in Resident.objects.filter(tags__name=tag).values_list("pk", flat=True):
            status_of[pk] = status
    if not status_of:
        return
    already = set(
        Membership.objects.filter(end_date__isnull=True).values_list("resident_id", flat=True)
    )
    residents = Resident.objects.filter(pk__in=status_of.keys()).exclude(pk__in=already)
    nodes = {n.pk: n for n in Node.objects.all()}
    branches: dict[int, object] = {}
    memberships = []
    for resident in residents.only("pk", "node_id").iterator():
        node = nodes[resident.node_id]
        if node.kind == "grid" and node.parent_id and nodes[node.parent_id].kind == "village":
            node = nodes[node.parent_id]
        branch = branches.get(node.pk)
        if branch is None:
            branch = (
                PartyOrg.objects.filter(node=node, kind="branch", end_date__isnull=True)
                .order_by("pk")
                .first()
            )
            if branch is None:
                branch = PartyOrg.objects.create(
                    node=node, name=f"{node.name}党支部", kind="branch", start_date=today
                )
            branches[node.pk] = branch
        memberships.append(
            Membership(
                resident_id=resident.pk,
                org=branch,
                status=status_of[resident.pk],
                start_date=today,
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0001_orgs_members_calls_pledges_posts"),
        ("people", "0009_roster_imports_into_staged_imports"),
    ]

    operations = [migrations.RunPython(tags_into_memberships, migrations.RunPython.noop)]
