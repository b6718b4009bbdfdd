"""Objects in 郑园村 for every id-taking route of the supervision app."""

from datetime import timedelta

from django.utils import timezone

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.supervision import services
from frontline.supervision.models import HonourKind, Ranking, Rubric, TargetKind
from frontline.supervision.tests.factories import (
    finding_spec,
    full_scores,
    group_make,
    inspection_make,
    rubric_of,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


def _group(world):
    owner = world.users["zhengyuan_all"]
    return group_make(world.town, [owner], [world.zhengyuan])


def _inspection(world, photo: bool = False):
    owner = world.users["zhengyuan_all"]
    spec = finding_spec(owner)
    if photo:
        spec["photo"] = PNG
    return inspection_make(
        inspector=owner, group=_group(world), target=world.zhengyuan, findings=[spec]
    )


def _inspection_pk(world) -> dict:
    return {"pk": _inspection(world).pk}


def _finding(world) -> dict:
    return {"pk": _inspection(world).findings.get().pk}


def _finding_rectify(world) -> Call:
    return Call(_finding(world), body={"evidence": "已整改，附签到表"})


def _finding_photo(world) -> dict:
    return {"pk": _inspection(world, photo=True).findings.get().pk, "which": "finding"}


def _finding_reinspect(world) -> Call:
    deadline = (timezone.localdate() + timedelta(days=3)).isoformat()
    return Call(_finding(world), body={"deadline": deadline})


def _inspection_new_get(world) -> Call:
    _group(world)
    return Call(query={"rubric_id": rubric_of(TargetKind.VILLAGE).pk})


def _inspection_new_post(world) -> Call:
    group = _group(world)
    rubric = rubric_of(TargetKind.VILLAGE)
    body = {"group": group.pk, "target": world.zhengyuan.pk, "idempotency_key": "walk-page"}
    body.update({f"score_{k}": v for k, v in full_scores(rubric).items()})
    body.update(
        {
            "finding": "台账不全",
            "owner": world.users["zhengyuan_all"].pk,
            "deadline": (timezone.localdate() + timedelta(days=2)).isoformat(),
        }
    )
    return Call(query={"rubric_id": rubric.pk}, body=body)


def _ranking(world):
    published = Ranking.objects.filter(node=world.zhengyuan, published_at__isnull=False).first()
    return published or services.ranking_publish(
        actor=world.users["zhengyuan_all"],
        node=world.zhengyuan,
        period_kind="week",
        start=timezone.localdate() - timedelta(days=14),
    )


def _ranking_pk(world) -> dict:
    return {"pk": _ranking(world).pk}


def _ranking_grant(world) -> Call:
    kind = HonourKind.objects.get(name="示范村")
    return Call(
        _ranking_pk(world), body={"kind": kind.pk, "target": f"village:{world.zhengyuan.pk}"}
    )


def _cadre_record_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "kind": "interview",
        "cadre_name": "郑某",
        "day": timezone.localdate().isoformat(),
        "reason": "卡口夜班脱岗",
    }
    return Call(body=body)


def _duty_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "cadre_name": "郑海波",
        "day": timezone.localdate().isoformat(),
        "place": "郑园村委会",
    }
    return Call(body=body)


def _api_inspection_create(world) -> Call:
    group = _group(world)
    rubric = rubric_of(TargetKind.VILLAGE)
    body = {
        "group_id": group.pk,
        "rubric_id": rubric.pk,
        "target_kind": "village",
        "target_id": world.zhengyuan.pk,
        "scores": full_scores(rubric),
        "findings": [{"text": "台账不全", "owner_id": world.users["zhengyuan_all"].pk}],
        "idempotency_key": "walk-api",
    }
    return Call(body=body)


def _api_inspection(world) -> Call:
    return Call({"inspection_id": _inspection(world).pk})


def _api_rectify(world) -> Call:
    return Call({"finding_id": _finding(world)["pk"]}, body={"evidence": "已整改"})


def _api_honour(world) -> Call:
    body = {
        "ranking_id": _ranking(world).pk,
        "honour": "示范村",
        "target_kind": "village",
        "target_id": world.zhengyuan.pk,
    }
    return Call(body=body)


def _api_cadre_record(world) -> Call:
    body = {
        "node_id": world.zhengyuan.pk,
        "kind": "promoted",
        "cadre_name": "郑某某",
        "day": timezone.localdate().isoformat(),
        "reason": "疫情防控表现突出",
        "inspection_id": _inspection(world).pk,
    }
    return Call(body=body)


def _village_group(world):
    owner = world.users["zhengyuan_all"]
    return group_make(world.zhengyuan, [owner], [world.zhengyuan])


def _group_edit_get(world) -> dict:
    return {"pk": _village_group(world).pk}


def _group_edit_post(world) -> Call:
    group = _village_group(world)
    body = {
        "name": "郑园督察组",
        "members": [world.users["zhengyuan_all"].pk],
        "scope": [world.zhengyuan.pk],
    }
    return Call({"pk": group.pk}, body=body)


def _group_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "name": "郑园村督察组",
        "members": [world.users["zhengyuan_all"].pk],
        "scope": [world.zhengyuan.pk],
    }
    return Call(body=body)


def _rubric(world):
    return services.rubric_create(
        actor=None,
        node=world.zhengyuan,
        target_kind=TargetKind.CHECKPOINT,
        name=f"郑园卡口评分表{Rubric.objects.count()}",
        items=[("人员在岗", 60), ("登记完整", 40)],
    )


def _rubric_edit_get(world) -> dict:
    return {"pk": _rubric(world).pk}


def _rubric_edit_post(world) -> Call:
    body = {"name": "郑园卡口评分表（修订）", "items": "人员在岗 50\n登记完整 50"}
    body["is_active"] = "on"
    return Call({"pk": _rubric(world).pk}, body=body)


def _rubric_new(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "target_kind": "checkpoint",
        "name": "郑园卡口夜查表",
        "items": "人员在岗 60\n登记完整 40",
    }
    return Call(body=body)


def _api_publish(world) -> Call:
    handle = services.ranking_handle(
        node=world.zhengyuan,
        period_kind="week",
        day=timezone.localdate() - timedelta(days=14),
    )
    return Call({"ranking_id": handle.pk})


FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"
FIXED_NODE = "the edit form drops its node field: a group or rubric stays where it was set up"
RUBRICS = "the seeded rubrics serve every town: nothing of a village to hide"


def _place(world) -> Call:
    """A list narrowed to a place (a figure's link): another village's node is 404."""
    return Call(query={"node": world.zhengyuan.pk})


def _findings_of_place(world) -> Call:
    """The overdue findings of a place (a figure's link): another village's node is 404."""
    _inspection(world)
    return Call(query={"node": world.zhengyuan.pk, "show": "overdue"})


TARGETS = {
    "supervision:findings": ScopeTarget("supervision.view", get=_findings_of_place),
    "supervision:groups": ScopeTarget("supervision.view", get=_place),
    "supervision:honours": ScopeTarget("supervision.view", get=_place),
    "supervision:duty": ScopeTarget("supervision.view", get=_place),
    "supervision:cadre_records": ScopeTarget("supervision.cadre_records", get=_place),
    "supervision:inspection_detail": ScopeTarget("supervision.view", get=_inspection_pk),
    "supervision:inspection_new": ScopeTarget(
        "supervision.inspect", get=_inspection_new_get, post=_inspection_new_post
    ),
    "supervision:finding_detail": ScopeTarget(
        {"get": "supervision.view", "post": "supervision.rectify"},
        get=_finding,
        post=_finding_rectify,
    ),
    "supervision:finding_photo": ScopeTarget("supervision.view", get=_finding_photo),
    "supervision:finding_reinspect": ScopeTarget("supervision.inspect", post=_finding_reinspect),
    "supervision:ranking_detail": ScopeTarget(
        {"get": "supervision.view", "post": "supervision.manage"},
        get=_ranking_pk,
        post=_ranking_grant,
    ),
    "supervision:cadre_record_new": ScopeTarget(
        "supervision.cadre_records",
        post=_cadre_record_new,
        refused=FORM_CHOICE,
        idless={"get": EMPTY_FORM},
    ),
    "supervision:duty_new": ScopeTarget(
        "supervision.duty", post=_duty_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supervision:group_edit": ScopeTarget(
        "supervision.manage",
        get=_group_edit_get,
        post=_group_edit_post,
        unscoped={"node": FIXED_NODE},
    ),
    "supervision:group_new": ScopeTarget(
        "supervision.manage", post=_group_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "supervision:rubric_edit": ScopeTarget(
        "supervision.manage",
        get=_rubric_edit_get,
        post=_rubric_edit_post,
        unscoped={"node": FIXED_NODE},
    ),
    "supervision:rubric_new": ScopeTarget(
        "supervision.manage", post=_rubric_new, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "api:rankings_publish": ScopeTarget("supervision.manage", post=_api_publish),
    "api:inspections_create": ScopeTarget(
        "supervision.inspect", post=_api_inspection_create, unscoped={"rubric_id": RUBRICS}
    ),
    "api:inspections_detail": ScopeTarget("supervision.view", get=_api_inspection),
    "api:findings_rectify": ScopeTarget("supervision.rectify", post=_api_rectify),
    "api:honours_grant": ScopeTarget("supervision.manage", post=_api_honour),
    "api:cadre_records_create": ScopeTarget("supervision.cadre_records", post=_api_cadre_record),
}
