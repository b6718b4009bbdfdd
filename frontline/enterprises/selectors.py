"""Reads for enterprise resumption, already scoped to the user: an enterprise contact holds
its roles at its own enterprise node, so it sees that enterprise and nothing else."""

from datetime import date

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from frontline.core.models import Node, NodeKind, User
from frontline.core.roles import roles_with
from frontline.core.scoping import (
    get_visible_or_404,
    in_scope,
    path_filter,
    scope_paths,
    user_can,
)
from frontline.enterprises.models import (
    Answer,
    Application,
    Appointment,
    AppState,
    ChecklistItem,
    Employee,
    Enterprise,
    Headcount,
    Policy,
    PolicyApplication,
    Sector,
    ServiceSlot,
    Ticket,
)

# The status filter of the list: the application's state, or "none" for not yet filed.
NOT_FILED = "none"
STATUS_CHOICES = [(NOT_FILED, "未申请"), *AppState.choices]


def enterprises_for(user: User, permission: str = "enterprises.view") -> QuerySet[Enterprise]:
    """Registered enterprises where the user holds the permission."""
    return in_scope(
        Enterprise.objects.select_related("node", "node__parent", "sector", "application"),
        user,
        permission,
    )


def enterprises_filtered(
    user: User,
    *,
    node: Node | None = None,
    sector: int | None = None,
    status: str = "",
    until: date | None = None,
    q: str = "",
) -> QuerySet[Enterprise]:
    """The list's filters: a grid (or any node) of the user's, a sector, the application's
    state ("none": not filed), approved by a date (the dashboard's figure), a name."""
    qs = enterprises_for(user)
    if node is not None:
        qs = qs.filter(path_filter([node.path], "node__path"))
    if sector:
        qs = qs.filter(sector_id=sector)
    if status == NOT_FILED:
        qs = qs.filter(application__isnull=True)
    elif status:
        qs = qs.filter(application__state=status)
    if until is not None:
        qs = qs.filter(application__approved_on__lte=until)
    if q:
        qs = qs.filter(node__name__contains=q.strip())
    return qs.order_by("node__path")


def headcounts_of(enterprise: Enterprise) -> QuerySet[Headcount]:
    """The enterprise's dated on-site figures, newest first."""
    return enterprise.headcounts.order_by("-day")


def unregistered_nodes(user: User) -> QuerySet[Node]:
    """Enterprise nodes the user may register that have no record yet."""
    return in_scope(
        Node.objects.filter(kind=NodeKind.ENTERPRISE, is_active=True, enterprise_record=None),
        user,
        "enterprises.manage",
        node_field="self",
    )


def sectors() -> QuerySet[Sector]:
    return Sector.objects.all()


def checklist_for(enterprise: Enterprise) -> list[ChecklistItem]:
    """The active items offered to an enterprise: those of its node and every node above."""
    return list(
        ChecklistItem.objects.filter(
            node_id__in=enterprise.node.ancestor_ids(), is_active=True
        ).order_by("heading", "order", "pk")
    )


def items_managed_by(user: User) -> QuerySet[ChecklistItem]:
    return in_scope(ChecklistItem.objects.select_related("node"), user, "enterprises.manage")


def application_of(enterprise: Enterprise) -> Application | None:
    return Application.objects.filter(enterprise=enterprise).select_related("filed_by").first()


def applications_for(user: User, permission: str = "enterprises.view") -> QuerySet[Application]:
    return in_scope(
        Application.objects.select_related("enterprise__node", "filed_by"),
        user,
        permission,
        node_field="enterprise__node",
    )


def application_to_return(user: User, pk: int) -> Application:
    """An application the user may send back now: the grid's while it waits for review,
    the town's while it waits for approval; any other is not found (404)."""
    app = get_visible_or_404(applications_for(user), pk=pk)
    needed = "enterprises.review" if app.state == AppState.SUBMITTED else "enterprises.approve"
    if not user_can(user, needed, app.enterprise.node):
        raise Http404("未找到")
    return app


def evidence_files_for(user: User) -> QuerySet[Answer]:
    """Answers with an evidence file whose application the user may see."""
    return in_scope(
        Answer.objects.exclude(evidence_file="").select_related("application__enterprise__node"),
        user,
        "enterprises.view",
        node_field="application__enterprise__node",
    )


def answers_by_round(application: Application) -> dict[int, list[Answer]]:
    """Every round's answers, newest round first: the history of what was fixed."""
    rounds: dict[int, list[Answer]] = {}
    for answer in application.answers.select_related("item").order_by(
        "-round", "item__heading", "item__order", "item_id"
    ):
        rounds.setdefault(answer.round, []).append(answer)
    return rounds


def employees_for(user: User, permission: str = "enterprises.view") -> QuerySet[Employee]:
    return in_scope(
        Employee.objects.select_related("enterprise__node", "resident"),
        user,
        permission,
        node_field="enterprise__node",
    )


def slots_for(user: User, enterprise: Enterprise | None = None) -> QuerySet[ServiceSlot]:
    """Future slots: those serving the enterprise (its node or above), else those the
    user's places reach, each with its count of live bookings."""
    qs = ServiceSlot.objects.filter(starts_at__gt=timezone.now()).select_related("node")
    if enterprise is not None:
        qs = qs.filter(node_id__in=enterprise.node.ancestor_ids())
    else:
        paths = scope_paths(user, "enterprises.view")
        ancestors = {int(p[i : i + 10]) for p in paths for i in range(0, len(p), 10)}
        qs = qs.filter(Q(node_id__in=ancestors) | path_filter(paths, "node__path"))
    return qs.annotate(
        booked=Count("appointments", filter=Q(appointments__cancelled_at__isnull=True))
    ).order_by("starts_at")


def enterprise_filing_for(user: User, pk: int | None) -> Enterprise | None:
    """The enterprise a page books for: the one named (404 outside the user's filing
    scope), else the user's only one (an enterprise contact's own), else none."""
    qs = enterprises_for(user, "enterprises.file")
    if pk is not None:
        return get_visible_or_404(qs, pk=pk)
    found = list(qs[:2])
    return found[0] if len(found) == 1 else None


def slot_bookable(user: User, pk: int) -> ServiceSlot | None:
    return slots_for(user).filter(pk=pk).first()


def appointments_for(user: User, permission: str = "enterprises.view") -> QuerySet[Appointment]:
    return in_scope(
        Appointment.objects.select_related("slot", "enterprise__node"),
        user,
        permission,
        node_field="enterprise__node",
    ).order_by("-slot__starts_at")


def policies_for(user: User, enterprise: Enterprise | None = None) -> QuerySet[Policy]:
    """Measures offered where the user works (their nodes and the nodes above), with the
    totals asked and granted."""
    if enterprise is not None:
        qs = Policy.objects.filter(node_id__in=enterprise.node.ancestor_ids())
    else:
        paths = scope_paths(user, "enterprises.view")
        ancestors = {int(p[i : i + 10]) for p in paths for i in range(0, len(p), 10)}
        qs = Policy.objects.filter(Q(node_id__in=ancestors) | path_filter(paths, "node__path"))
    return qs.annotate(
        applied=Count("applications"),
        pending=Count("applications", filter=Q(applications__status="pending")),
        asked_total=Sum("applications__amount"),
        granted_total=Sum("applications__granted"),
    ).order_by("pk")


def policy_applications_for(
    user: User, permission: str = "enterprises.view"
) -> QuerySet[PolicyApplication]:
    return in_scope(
        PolicyApplication.objects.select_related("policy", "enterprise__node"),
        user,
        permission,
        node_field="enterprise__node",
    )


def tickets_for(user: User, permission: str = "enterprises.view") -> QuerySet[Ticket]:
    return in_scope(
        Ticket.objects.select_related("enterprise__node", "owner"),
        user,
        permission,
        node_field="enterprise__node",
    ).annotate(
        overdue=ExpressionWrapper(
            Q(resolved_at__isnull=True) & Q(due_date__lt=timezone.localdate()),
            output_field=BooleanField(),
        ),
    )


def ticket_owners(ticket: Ticket) -> QuerySet[User]:
    """Users who may own a ticket: those holding enterprises.tickets at or above its
    enterprise."""
    node = ticket.enterprise.node
    roles = roles_with("enterprises.tickets")
    return User.objects.filter(
        is_active=True,
        roles__role__in=roles,
        roles__node_id__in=node.ancestor_ids(),
    ).distinct()


def status_counts(user: User) -> dict[str, int]:
    """How many visible enterprises are in each state (not filed included)."""
    rows = enterprises_for(user).values(state=F("application__state")).annotate(n=Count("pk"))
    counts = {code: 0 for code, _ in STATUS_CHOICES}
    for row in rows:
        counts[row["state"] or NOT_FILED] += row["n"]
    return counts
