"""Pages for party organisations: the tree, members and transfers, calls and pledges, pioneer
posts and responsibility zones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.checkpoints import public as checkpoints
from frontline.core.forms import (
    action_submit,
    form_action_submit,
    form_status,
    form_submit,
    idempotency_key_new,
)
from frontline.core.lists import list_node, list_span
from frontline.core.paging import capped_page
from frontline.core.scoping import (
    get_visible_or_404,
    nodes_visible,
    require_permission_or_404,
    user_can,
)
from frontline.party import selectors, services
from frontline.party.forms import (
    ASSIGN_CHOICES,
    AccountForm,
    AssignForm,
    CallForm,
    FlagForm,
    HolderForm,
    MemberAddForm,
    OathForm,
    OrgEndForm,
    OrgForm,
    PledgeForm,
    PostForm,
    TransferForm,
)
from frontline.party.models import PartyOrg, PostKind
from frontline.party.services import PLEDGE_NOT_LINKED
from frontline.people import public as people


def _node(request: HttpRequest):
    return list_node(request.user, request.GET.get("node"), "party.view")


def _org(request: HttpRequest, pk: int, permission: str = "party.view") -> PartyOrg:
    return get_visible_or_404(selectors.orgs_for(request.user, permission), pk=pk)


def _shown(membership) -> dict:
    return {"m": membership, "person": people.resident_masked(membership.resident)}


@login_required
@require_GET
def org_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    node = _node(request)
    start, end = list_span(request)
    which = request.GET.get("set") if request.GET.get("set") in selectors.ORG_SETS else "all"
    qs = selectors.under(selectors.orgs_for(request.user), node, "node__path")
    rows = selectors.with_counts(selectors.org_rows(qs, which, start, end)).order_by(
        "node__path", "kind", "name"
    )
    page = capped_page(rows, request.GET.get("page"), per_page=50)
    return render(
        request,
        "party/org_list.html",
        {
            "page": page,
            "node": node,
            "title": selectors.ORG_SETS[which],
            "span": (start, end),
            "can_manage": user_can(request.user, "party.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.manage")
    form = OrgForm(
        request.POST or None,
        nodes=nodes_visible(request.user, "party.manage"),
        orgs=selectors.orgs_for(request.user, "party.manage"),
    )
    org = form_submit(request, form, lambda data: services.org_create(actor=request.user, **data))
    if org is not None:
        messages.success(request, f"已新建“{org.name}”")
        return redirect("party:org_detail", pk=org.pk)
    return _form_page(request, form, "新建党组织", ("party:org_list", None, "党组织"))


def _form_page(request, form, title: str, back: tuple, submit: str = "保存", extra=None):
    return render(
        request,
        "party/form.html",
        {"form": form, "title": title, "back": back, "submit": submit, **(extra or {})},
        status=form_status(request),
    )


@login_required
@require_GET
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    current, history = selectors.org_members(org)
    calls = list(org.calls.order_by("-issued_on", "-pk"))
    counts = selectors.call_counts(calls)
    totals = selectors.CallCounts(
        *(sum(getattr(c, name) for c in counts.values()) for name in selectors.COUNT_NAMES)
    )
    can_manage = not org.is_ended and user_can(request.user, "party.manage", org.node)
    return render(
        request,
        "party/org_detail.html",
        {
            "org": org,
            "members": [_shown(m) for m in current],
            "history": [_shown(m) for m in history],
            "calls": [(c, counts[c.pk]) for c in calls[:20]],
            "totals": totals,
            "children": list(selectors.orgs_for(request.user).filter(parent=org)),
            "oath_count": org.oaths.count(),
            "flags": list(org.flag_sites.order_by("name")[:50]),
            "can_manage": can_manage,
            "end_form": OrgEndForm() if can_manage else None,
        },
    )


@login_required
@require_POST
def org_end(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "party.manage")
    form_action_submit(
        request,
        OrgEndForm(request.POST),
        lambda data: services.org_end(actor=request.user, org=org, **data),
        f"“{org.name}”已撤销，记录保留只读",
    )
    return redirect("party:org_detail", pk=org.pk)


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "party.manage")
    if people.personal_query_dropped(request):
        return redirect("party:member_add", pk=org.pk)
    q = (request.GET.get("q") or "").strip()
    residents = people.residents_for(request.user, "party.manage").select_related("node__parent")
    form = MemberAddForm(request.POST or None, residents=residents)
    found = people.resident_find(request.user, q, permission="party.manage") if q else []
    membership = form_submit(
        request,
        form,
        lambda data: services.member_add(actor=request.user, org=org, **data),
    )
    if membership is not None:
        messages.success(request, f"已登记：{membership.resident.name}")
        return redirect("party:org_detail", pk=org.pk)
    return render(
        request,
        "party/member_add.html",
        {
            "org": org,
            "form": form,
            "q": q,
            "found": [people.resident_masked(r) for r in found],
        },
        status=form_status(request),
    )


@login_required
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    node = _node(request)
    which = request.GET.get("set") if request.GET.get("set") in selectors.MEMBER_SETS else "all"
    qs = selectors.under(selectors.memberships_for(request.user), node, "org__node__path")
    rows = selectors.member_rows(qs, which).order_by(
        "org__node__path", "org__name", "resident__name"
    )
    page = capped_page(rows, request.GET.get("page"), per_page=50)
    return render(
        request,
        "party/member_list.html",
        {
            "page": page,
            "rows": [_shown(m) for m in page.object_list],
            "node": node,
            "title": selectors.MEMBER_SETS[which],
            "can_import": user_can(request.user, "party.manage"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_visible_or_404(selectors.memberships_for(request.user, "party.manage"), pk=pk)
    form = TransferForm(request.POST or None, orgs=selectors.orgs_for(request.user, "party.manage"))
    moved = form_submit(
        request,
        form,
        lambda data: services.member_transfer(actor=request.user, membership=membership, **data),
    )
    if moved is not None:
        messages.success(request, f"{moved.resident.name} 的组织关系已转至{moved.org.name}")
        return redirect("party:org_detail", pk=moved.org_id)
    history = selectors.history_of(membership)
    return _form_page(
        request,
        form,
        f"转接组织关系：{membership.resident.name}",
        ("party:org_detail", membership.org_id, membership.org.name),
        "转接",
        {"history": history},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_account(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_visible_or_404(
        selectors.memberships_for(request.user, "party.manage").filter(end_date__isnull=True),
        pk=pk,
    )
    form = AccountForm(request.POST or None, accounts=selectors.accounts_linkable(membership))
    person = people.resident_masked(membership.resident)
    linked = form_submit(
        request,
        form,
        lambda data: services.membership_account_set(
            actor=request.user, membership=membership, account=data["account"]
        ),
    )
    if linked is not None:
        messages.success(request, f"已将账号“{linked.account}”绑定为 {person['name']} 本人")
        return redirect("party:member_account", pk=membership.pk)
    return render(
        request,
        "party/member_account.html",
        {"m": membership, "person": person, "form": form},
        status=form_status(request),
    )


@login_required
@require_POST
def member_account_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_visible_or_404(selectors.memberships_for(request.user, "party.manage"), pk=pk)
    action_submit(
        request,
        lambda: services.membership_account_set(
            actor=request.user, membership=membership, account=None
        ),
        "已解除绑定：这名党员的请战书由书记代填，直到再绑定账号",
    )
    return redirect("party:member_account", pk=membership.pk)


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    calls = list(selectors.calls_for(request.user)[:100])
    counts = selectors.call_counts(calls)
    return render(
        request,
        "party/call_list.html",
        {"rows": [(c, counts[c.pk]) for c in calls]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "party.manage")
    form = CallForm(request.POST or None)
    call = form_submit(
        request, form, lambda data: services.call_create(actor=request.user, org=org, **data)
    )
    if call is not None:
        messages.success(request, f"已发出倡议“{call.title}”")
        return redirect("party:call_detail", pk=call.pk)
    return _form_page(
        request, form, f"{org.name}发出倡议", ("party:org_detail", org.pk, org.name), "发出"
    )


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_or_404(selectors.calls_for(request.user), pk=pk)
    pledges = list(
        selectors.pledges_for(request.user)
        .filter(call=call)
        .order_by("status", "resident__name")[:300]
    )
    can_manage = user_can(request.user, "party.manage", call.org.node)
    posts = selectors.posts_for(request.user, "party.manage") if can_manage else None
    return render(
        request,
        "party/call_detail.html",
        {
            "call": call,
            "counts": selectors.call_counts([call])[call.pk],
            "pledges": [(p, people.resident_masked(p.resident)) for p in pledges],
            # A secretary enters anyone's; anyone else only as the member linked to them.
            "can_pledge": user_can(request.user, "party.manage")
            or (
                user_can(request.user, "party.pledge")
                and selectors.membership_of_account(request.user) is not None
            ),
            "can_manage": can_manage,
            "assign_kinds": ASSIGN_CHOICES,
            "posts": list(posts.order_by("kind", "name")[:200]) if can_manage else [],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_visible_or_404(selectors.calls_for(request.user, "party.pledge"), pk=pk)
    title, back = f"请战书：{call.title}", ("party:call_detail", call.pk, call.title)
    extra: dict = {}
    if user_can(request.user, "party.manage"):
        members = selectors.current_members_picker(request.user, "party.manage", call.org)
        form, named = PledgeForm(request.POST or None, members=members), None
    else:
        # Anyone else writes as the member their login is linked to: no picker of others.
        own = selectors.membership_of_account(request.user)
        if own is None:
            return _form_page(request, None, title, back, extra={"refusal": PLEDGE_NOT_LINKED})
        form, named = PledgeForm(request.POST or None), own
        if request.POST.get("member"):
            # The page sends no member; a crafted one goes to the service, which refuses it.
            named = get_visible_or_404(
                selectors.current_members_picker(request.user, "party.pledge"),
                pk=request.POST.get("member"),
            )
        extra["writing_as"] = people.resident_masked(own.resident)["name"]
    # A double tap or a resend from a phone stores one pledge (the key is the page's).
    key = request.POST.get("idempotency_key") or idempotency_key_new()
    done = form_submit(
        request,
        form,
        lambda data: services.pledge_submit(
            actor=request.user,
            call=call,
            membership=data.pop("member", named),
            idempotency_key=key,
            **data,
        ),
    )
    if done is not None:
        messages.success(request, f"已收到 {done[0].resident.name} 的请战书")
        return redirect("party:call_detail", pk=call.pk)
    return _form_page(request, form, title, back, "提交", {"idempotency_key": key, **extra})


@login_required
@require_POST
def pledge_assign(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = get_visible_or_404(selectors.pledges_for(request.user, "party.manage"), pk=pk)
    form = AssignForm(request.POST, posts=selectors.posts_for(request.user, "party.manage"))
    form_action_submit(
        request,
        form,
        lambda data: services.pledge_assign(actor=request.user, pledge=pledge, **data),
        lambda p: f"已安排 {p.resident.name}：{p.get_status_display()} {p.assignment_note}",
    )
    return redirect("party:call_detail", pk=pledge.call_id)


@login_required
@require_GET
def pledge_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    node = _node(request)
    start, end = list_span(request)
    qs = selectors.under(selectors.pledges_for(request.user), node, "membership__org__node__path")
    page = capped_page(selectors.pledge_rows(qs, start, end), request.GET.get("page"), per_page=50)
    # A village's members answer the town's call too: link only the calls the user may open.
    call_ids = {p.call_id for p in page.object_list}
    openable = set(
        selectors.calls_for(request.user).filter(pk__in=call_ids).values_list("pk", flat=True)
    )
    return render(
        request,
        "party/pledge_list.html",
        {
            "page": page,
            "rows": [(p, people.resident_masked(p.resident)) for p in page.object_list],
            "openable": openable,
            "node": node,
            "span": (start, end),
        },
    )


@login_required
@require_GET
def post_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    node = _node(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in PostKind.values else None
    qs = selectors.under(selectors.posts_for(request.user), node, "node__path")
    posts = list(selectors.post_rows(qs, kind).order_by("node__path", "kind", "name")[:500])
    holders = selectors.holders_of(posts)
    can_manage = user_can(request.user, "party.manage")
    return render(
        request,
        "party/post_list.html",
        {
            "rows": [(p, holders[p.pk]) for p in posts],
            "gaps": sum(1 for p in posts if p.kind == PostKind.ZONE and not holders[p.pk]),
            "node": node,
            "kind": kind,
            "kinds": PostKind.choices,
            "can_manage": can_manage,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_create(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.manage")
    form = PostForm(
        request.POST or None,
        nodes=nodes_visible(request.user, "party.manage"),
        orgs=selectors.orgs_for(request.user, "party.manage"),
    )
    post = form_submit(request, form, lambda data: services.post_create(actor=request.user, **data))
    if post is not None:
        messages.success(request, f"已设立“{post.name}”")
        return redirect("party:post_list")
    return _form_page(
        request, form, "设立先锋岗/责任区", ("party:post_list", None, "先锋岗和责任区")
    )


@login_required
@require_http_methods(["GET", "POST"])
def post_holder_add(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_visible_or_404(selectors.posts_for(request.user, "party.manage"), pk=pk)
    members = selectors.current_members_picker(request.user, "party.manage").filter(
        org__node__path__startswith=post.node.path
    )
    form = HolderForm(request.POST or None, members=members)
    holder = form_submit(
        request,
        form,
        lambda data: services.post_holder_add(
            actor=request.user, post=post, membership=data["member"]
        ),
    )
    if holder is not None:
        messages.success(request, f"已安排上岗：{post.name}")
        return redirect("party:post_list")
    return _form_page(
        request, form, f"安排党员上岗：{post.name}", ("party:post_list", None, "先锋岗和责任区")
    )


@login_required
@require_GET
def oath_list(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk)
    oaths = selectors.oaths_of(org)
    return render(
        request,
        "party/oath_list.html",
        {
            "org": org,
            "rows": [
                (o, [(a, people.resident_masked(a.resident)) for a in o.attendees.all()])
                for o in oaths
            ],
            "can_manage": not org.is_ended and user_can(request.user, "party.manage", org.node),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def oath_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "party.manage")
    members = selectors.oath_members_picker(request.user, org)
    form = OathForm(request.POST or None, members=members)
    oath = form_submit(
        request, form, lambda data: services.oath_record(actor=request.user, org=org, **data)
    )
    if oath is not None:
        messages.success(request, f"已记录 {oath.held_on:%Y-%m-%d} 的宣誓")
        return redirect("party:oath_list", pk=org.pk)
    return _form_page(
        request, form, f"记录宣誓：{org.name}", ("party:oath_list", org.pk, "宣誓"), "记录"
    )


@login_required
@require_GET
def flag_list(request: HttpRequest) -> HttpResponse:
    require_permission_or_404(request.user, "party.view")
    node = _node(request)
    _start, end = list_span(request)
    qs = selectors.under(selectors.flag_sites_for(request.user), node, "node__path")
    sites = list(selectors.flag_rows(qs, end).order_by("node__path", "name")[:500])
    # A village sees the town committee's flag at its gate: link only what the user may open.
    openable = set(
        selectors.orgs_for(request.user)
        .filter(pk__in={s.org_id for s in sites})
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "party/flag_list.html",
        {"sites": sites, "openable": openable, "node": node, "end": end},
    )


@login_required
@require_http_methods(["GET", "POST"])
def flag_create(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org(request, pk, "party.manage")
    choices = [
        (cid, f"{node.name} · {name}")
        for cid, name, node in checkpoints.checkpoints_under(org.node)
        if user_can(request.user, "party.manage", node)
    ]
    form = FlagForm(request.POST or None, checkpoints=choices)
    site = form_submit(
        request, form, lambda data: services.flag_plant(actor=request.user, org=org, **data)
    )
    if site is not None:
        messages.success(request, f"{org.name}的旗帜已插在{site.name}")
        return redirect("party:flag_list")
    return _form_page(
        request, form, f"插旗：{org.name}", ("party:org_detail", org.pk, org.name), "保存"
    )
