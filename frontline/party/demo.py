"""Demo party organisations at the seed's scale: 75 grassroots organisations (the town's
committee, a branch or general branch per village, 46 enterprise branches), temporary
branches at checkpoints, 2,000+ members and activists, the town's call and the villages'
calls with ~1,850 pledges, pioneer posts and responsibility zones (two left empty: gaps),
a few oath events, and the flags flying at every checkpoint and two other front-line sites.

The seed's members are more than the demo villages' tagged residents: the rest are added
as residents of their villages (through the people registry's own rows, tagged 党员).
Everything is bulk-inserted so the demo still loads in seconds.
"""

from datetime import date, timedelta

from django.utils import timezone

from frontline.checkpoints.models import Checkpoint
from frontline.core.demo import DemoZone
from frontline.core.personal_data import (
    encrypt,
    id_number_make,
    id_number_parse,
    keyed_hash,
    phone_last_digits,
)
from frontline.party.models import (
    AssignmentKind,
    Call,
    FlagSite,
    Membership,
    MemberStatus,
    Oath,
    OathAttendee,
    OrgKind,
    PartyOrg,
    Pledge,
    PledgeStatus,
    Post,
    PostHolder,
    PostKind,
)
from frontline.people.demo import GIVEN, SURNAMES
from frontline.people.models import Resident, Tag

FOUNDED = date(2018, 7, 1)
MEMBERS_TARGET = 2_050
ACTIVISTS_TARGET = 140
PLEDGES_TARGET = 1_857
ENTERPRISE_BRANCHES = 46
# Villages big enough for a general branch (党总支) with two branches under it.
GENERAL_BRANCHES = ("三店村", "郑园村")
TEMPORARY = [
    ("开发区临时党支部", "G228 开发区道口", "town"),
    ("沈海高速出口临时党支部", "沈海高速赣榆出口", "town"),
    ("三店村卡口临时党支部", "三店村东村口", "三店村"),
    ("集中隔离点临时党支部", "开发区集中隔离观察点", "town"),
]
PIONEER_POSTS = ["卡口值守先锋岗", "物资保障先锋岗", "宣传劝导先锋岗"]
CALL_TEXT = (
    "全体党员同志们：疫情就是命令，防控就是责任。请亮明身份、冲锋在前，"
    "到卡口值守、入户排查、代购送餐、宣传劝导中去，用实际行动践行初心使命。"
)
AVAILABILITY = ["每天上午", "每天下午", "全天", "晚上", "周末", "随叫随到"]
SKILLS = ["驾驶", "医护", "宣传", "电工", "厨师", "", "", ""]


def _residents_added(zone: DemoZone, count: int, tag: Tag) -> list[Resident]:
    """New adult residents of the villages (party members the tagged ones do not cover)."""
    rng = zone.rng
    places = [grid for grids in zone.village_grids.values() for grid in grids]
    used = set(Resident.objects.values_list("id_hash", flat=True))
    residents = []
    for n in range(count):
        birth = date(1950, 1, 1) + timedelta(days=rng.randint(0, 50 * 365))
        value = id_number_make("320707", birth, rng.randint(1, 999))
        # One resident per ID number: draw again on the rare clash with one already made.
        while keyed_hash(value) in used:
            value = id_number_make("320707", birth, rng.randint(1, 999))
        used.add(keyed_hash(value))
        phone = f"+86139{rng.randint(0, 99_999_999):08d}"
        grid = places[n % len(places)]
        residents.append(
            Resident(
                name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                id_cipher=encrypt(value),
                id_hash=keyed_hash(value),
                phone_cipher=encrypt(phone),
                phone_hash=keyed_hash(phone),
                phone_last4=phone_last_digits(phone),
                gender=id_number_parse(value).gender,
                birth_date=birth,
                address=f"{grid.parent.name}{n % 8 + 1}组",
                node=grid,
            )
        )
    Resident.objects.bulk_create(residents, batch_size=500)
    through = Resident.tags.through
    through.objects.bulk_create(
        [through(resident_id=r.pk, tag_id=tag.pk) for r in residents], batch_size=1000
    )
    return residents


def _orgs(zone: DemoZone) -> tuple[PartyOrg, dict[str, list[PartyOrg]], list[PartyOrg]]:
    committee = PartyOrg.objects.create(
        name="赣榆经济开发区党工委", kind=OrgKind.COMMITTEE, node=zone.town, start_date=FOUNDED
    )
    village_orgs: dict[str, list[PartyOrg]] = {}
    for name, village in zone.villages.items():
        if name in GENERAL_BRANCHES:
            top = PartyOrg.objects.create(
                name=f"{name}党总支",
                kind=OrgKind.GENERAL_BRANCH,
                node=village,
                parent=committee,
                start_date=FOUNDED,
            )
            village_orgs[name] = [
                PartyOrg.objects.create(
                    name=f"{name}第{n}党支部",
                    kind=OrgKind.BRANCH,
                    node=village,
                    parent=top,
                    start_date=FOUNDED,
                )
                for n in ("一", "二")
            ]
        else:
            village_orgs[name] = [
                PartyOrg.objects.create(
                    name=f"{name}党支部",
                    kind=OrgKind.BRANCH,
                    node=village,
                    parent=committee,
                    start_date=FOUNDED,
                )
            ]
    enterprise_orgs = PartyOrg.objects.bulk_create(
        PartyOrg(
            name=f"{enterprise.name}党支部",
            kind=OrgKind.BRANCH,
            node=enterprise,
            parent=committee,
            start_date=FOUNDED,
        )
        for enterprise in zone.enterprises[:ENTERPRISE_BRANCHES]
    )
    start = date(2020, 1, 26)
    for name, site, where in TEMPORARY:
        node = zone.town if where == "town" else zone.villages[where]
        PartyOrg.objects.create(
            name=name,
            kind=OrgKind.TEMPORARY,
            node=node,
            parent=committee,
            site=site,
            start_date=start,
        )
    # One temporary branch already closed with its site: it stays, read-only.
    PartyOrg.objects.create(
        name="春运返乡排查组临时党支部",
        kind=OrgKind.TEMPORARY,
        node=zone.town,
        parent=committee,
        site="春运返乡排查组",
        start_date=start,
        end_date=date(2020, 2, 20),
    )
    return committee, village_orgs, enterprise_orgs


def load(zone: DemoZone) -> None:
    rng = zone.rng
    today = timezone.localdate()
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in ("党员", "入党积极分子")}
    committee, village_orgs, enterprise_orgs = _orgs(zone)
    village_of_grid = {
        grid.pk: name for name, grids in zone.village_grids.items() for grid in grids
    }
    village_of_grid.update({v.pk: name for name, v in zone.villages.items()})

    tagged = list(
        Resident.objects.filter(tags=tags["党员"]).values_list("pk", "node_id").distinct()
    )
    keen = list(
        Resident.objects.filter(tags=tags["入党积极分子"])
        .exclude(pk__in=[pk for pk, _ in tagged])
        .values_list("pk", "node_id")
    )
    added = _residents_added(zone, max(0, MEMBERS_TARGET - len(tagged)), tags["党员"])
    people = tagged + [(r.pk, r.node_id) for r in added]
    rng.shuffle(people)
    # Most members belong to their village's branch; one in five to an enterprise branch.
    memberships = []
    for index, (pk, node_id) in enumerate(people):
        if index % 5 == 4:
            org = enterprise_orgs[index % len(enterprise_orgs)]
        else:
            org = rng.choice(village_orgs[village_of_grid[node_id]])
        status = MemberStatus.PROBATIONARY if rng.random() < 0.06 else MemberStatus.FULL
        memberships.append(Membership(resident_id=pk, org=org, status=status, start_date=FOUNDED))
    extra_keen = ACTIVISTS_TARGET - len(keen)
    keen_added = _residents_added(zone, max(0, extra_keen), tags["入党积极分子"])
    for pk, node_id in keen + [(r.pk, r.node_id) for r in keen_added]:
        org = rng.choice(village_orgs[village_of_grid[node_id]])
        memberships.append(
            Membership(
                resident_id=pk, org=org, status=MemberStatus.ACTIVIST, start_date=date(2019, 9, 1)
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=1000)
    # A few moved branch this winter: the old membership stays as history.
    for membership in memberships[:3]:
        target = enterprise_orgs[0] if membership.org != enterprise_orgs[0] else committee
        membership.end_date, membership.end_reason = date(2020, 2, 1), f"转至{target.name}"
        membership.save(update_fields=["end_date", "end_reason"])
        Membership.objects.create(
            resident_id=membership.resident_id,
            org=target,
            status=membership.status,
            start_date=date(2020, 2, 1),
        )

    posts = _posts(zone, village_orgs, rng)
    _calls_and_pledges(zone, committee, village_orgs, enterprise_orgs, memberships, posts, today)
    _oaths(zone, committee, village_orgs, memberships, today)
    _flags(zone, committee, village_orgs)
    _accounts(zone, village_orgs)


# The demo's volunteers are party members of 三店村: linked, they write their own 请战书.
LINKED_VOLUNTEERS = ("volunteer_sandian", "volunteer2_sandian")


def _accounts(zone, village_orgs) -> None:
    """Link each demo volunteer to a current member of 三店村 who has not pledged yet (the
    one of the same name if there is one), so that the demo's volunteer can answer a call.
    Nothing is drawn from the random stream: the other figures stay as they were. The
    demo's roster is made up, so a member of another name is given the volunteer's: a
    newcomer trying 孙志强's login then writes 孙志强's 请战书, not a stranger's."""
    current = (
        Membership.objects.filter(
            org__in=village_orgs["三店村"],
            end_date__isnull=True,
            account__isnull=True,
            status__in=(MemberStatus.FULL, MemberStatus.PROBATIONARY),
        )
        .exclude(pk__in=Pledge.objects.values("membership_id"))
        .select_related("resident")
        .order_by("pk")
    )
    free = list(current)
    for username in LINKED_VOLUNTEERS:
        user = zone.users.get(username)
        if user is None or not free:
            continue
        same_name = [m for m in free if m.resident.name == user.full_name]
        membership = (same_name or free)[0]
        free.remove(membership)
        if membership.resident.name != user.full_name:
            Resident.objects.filter(pk=membership.resident_id).update(name=user.full_name)
        membership.account = user
        membership.save(update_fields=["account"])


# (organisation, days ago, place): the oath events of this winter.
OATHS = [
    ("三店村第一党支部", 12, "三店村党员活动室"),
    ("郑园村第一党支部", 5, "郑园村村口卡点"),
    ("开发区临时党支部", 20, "G228 开发区道口"),
]
# Front-line sites that are not checkpoints: (organisation, site).
OTHER_FLAG_SITES = [
    ("集中隔离点临时党支部", "开发区集中隔离观察点"),
    ("朱堵村党支部", "朱堵村入户排查组"),
]


def _oaths(zone, committee, village_orgs, memberships, today) -> None:
    """A few oath events (宣誓): members and activists of the organisation present."""
    rng = zone.rng
    by_name = {o.name: o for o in PartyOrg.objects.all()}
    current = [m for m in memberships if m.end_date is None]
    attendees = []
    for name, days_ago, place in OATHS:
        org = by_name[name]
        local = [m for m in current if m.org_id == org.pk] or [
            m for m in current if m.org.node_id == org.node_id or m.org_id == committee.pk
        ]
        oath = Oath.objects.create(
            org=org,
            held_on=today - timedelta(days=days_ago),
            place=place,
            note="新党员入党宣誓，老党员重温入党誓词",
            created_by=zone.users["town_leader"],
        )
        chosen = rng.sample(local, min(12, len(local)))
        attendees += [
            OathAttendee(oath=oath, resident_id=m.resident_id, status=m.status) for m in chosen
        ]
    OathAttendee.objects.bulk_create(attendees)


def _flags(zone, committee, village_orgs) -> None:
    """Every checkpoint flies the flag its 责任党支部 names (or its village's first branch,
    or the committee's); two more sites fly temporary branches' flags."""
    by_name = {o.name: o for o in PartyOrg.objects.filter(end_date__isnull=True)}
    first_at = {orgs[0].node_id: orgs[0] for orgs in village_orgs.values()}
    first_at.update({o.node_id: o for o in by_name.values() if o.node_id not in first_at})
    today = timezone.localdate()
    sites = []
    for checkpoint in Checkpoint.objects.select_related("node").order_by("pk"):
        org = by_name.get(checkpoint.party_branch) or first_at.get(checkpoint.node_id, committee)
        sites.append(
            FlagSite(
                org=org,
                checkpoint=checkpoint,
                node=checkpoint.node,
                name=checkpoint.name,
                since=today - timedelta(days=10),
            )
        )
    for org_name, site in OTHER_FLAG_SITES:
        org = by_name[org_name]
        sites.append(FlagSite(org=org, node=org.node, name=site, since=today - timedelta(days=10)))
    FlagSite.objects.bulk_create(sites)


def _posts(zone: DemoZone, village_orgs, rng) -> list[Post]:
    posts = []
    for name, village in zone.villages.items():
        org = village_orgs[name][0]
        for post_name in rng.sample(PIONEER_POSTS, 1 + (name in GENERAL_BRANCHES)):
            posts.append(Post(kind=PostKind.PIONEER_POST, name=post_name, node=village, org=org))
        for group in (1, 2):
            posts.append(Post(kind=PostKind.ZONE, name=f"{group}组责任区", node=village, org=org))
    return Post.objects.bulk_create(posts)


def _calls_and_pledges(
    zone, committee, village_orgs, enterprise_orgs, memberships, posts, today
) -> None:
    rng = zone.rng
    leader = zone.users["town_leader"]
    cadre = zone.users["cadre_sandian"]
    town_call = Call.objects.create(
        org=committee,
        title="致全区党员的倡议书：我是党员，我先上",
        text=CALL_TEXT,
        needs="卡口值守、入户排查、代购送餐、宣传劝导",
        days=30,
        issued_on=today - timedelta(days=6),
        created_by=leader,
    )
    # The seed: "75 个基层党组织发出倡议" — the committee and every branch below it issue
    # their own call; members answer their branch's call or the committee's.
    calls_of: dict[int, Call] = {}
    branches = PartyOrg.objects.exclude(kind=OrgKind.TEMPORARY).exclude(pk=committee.pk)
    for number, org in enumerate(branches.order_by("pk")):
        sandian = org.node_id == zone.villages["三店村"].pk
        calls_of[org.pk] = Call.objects.create(
            org=org,
            title=f"{org.name}倡议：守好家门口",
            text="卡点值守、入户排查、代购送餐都需要党员，请有意愿的同志递交请战书。",
            needs="卡口值守" if number % 2 else "入户排查、代购送餐",
            days=14,
            issued_on=today - timedelta(days=4 + number % 2),
            created_by=cadre if sandian else leader,
        )
    current = [m for m in memberships if m.end_date is None and m.status != "activist"]
    posts_by_node: dict[int, list[Post]] = {}
    for post in posts:
        posts_by_node.setdefault(post.node_id, []).append(post)
    # Two zones are left without anyone: the gaps the village must fill.
    empty = {p.pk for p in posts if p.kind == PostKind.ZONE}
    gaps = set(list(sorted(empty))[-2:])
    pledges, holders = [], set()
    for index, membership in enumerate(rng.sample(current, min(PLEDGES_TARGET, len(current)))):
        org = membership.org
        call = calls_of.get(org.pk, town_call) if index % 3 == 0 else town_call
        roll = rng.random()
        status, kind, post, note = PledgeStatus.PLEDGED, "", None, ""
        candidates = [p for p in posts_by_node.get(org.node_id, []) if p.pk not in gaps]
        if roll < 0.55:
            status = PledgeStatus.ASSIGNED
            if candidates and roll < 0.25:
                post = rng.choice(candidates)
                kind = (
                    AssignmentKind.PIONEER_POST
                    if post.kind == PostKind.PIONEER_POST
                    else AssignmentKind.ZONE
                )
                note = post.name
                holders.add((post.pk, membership.resident_id))
            else:
                kind = rng.choice([AssignmentKind.TEAM, AssignmentKind.SHIFT])
                note = "志愿巡逻队" if kind == AssignmentKind.TEAM else "村口卡点早班"
        elif roll < 0.85:
            status = PledgeStatus.RESERVE
        entered_by = cadre if rng.random() < 0.3 else leader
        pledges.append(
            Pledge(
                call=call,
                membership=membership,
                resident_id=membership.resident_id,
                availability=rng.choice(AVAILABILITY),
                skills=rng.choice(SKILLS),
                by_secretary=entered_by == cadre,
                status=status,
                assignment_kind=kind,
                post=post,
                assignment_note=note,
                entered_by=entered_by,
                idempotency_key=f"demo-{index}",
                created_at=timezone.now() - timedelta(days=rng.randint(0, 5), hours=index % 9),
            )
        )
    Pledge.objects.bulk_create(pledges, batch_size=1000)
    # Every post but the gaps has someone: those assigned, else a member of the village.
    for post in posts:
        if post.pk in gaps or any(p == post.pk for p, _ in holders):
            continue
        local = [m for m in current if m.org.node_id == post.node_id]
        if local:
            holders.add((post.pk, rng.choice(local).resident_id))
    PostHolder.objects.bulk_create(
        PostHolder(post_id=post, resident_id=resident, since=today - timedelta(days=5))
        for post, resident in holders
    )
