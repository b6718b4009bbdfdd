"""Objects in 郑园村 for every id-taking route of the community app."""

from datetime import timedelta

from django.utils import timezone

from frontline.core.tests.scope_registry import Call, ScopeTarget
from frontline.people.tests.factories import resident_make

FORM_CHOICE = 422  # another village's place is "not one of the choices" of the form
EMPTY_FORM = "shows the empty form; the place comes with the POST"


def _today() -> str:
    return timezone.localdate().isoformat()


def _publicity(world) -> Call:
    return Call(
        body={
            "node": world.zhengyuan.pk,
            "day": _today(),
            "leaflets": 50,
            "posters": 0,
            "loudspeaker_routes": 0,
        }
    )


def _family_help(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "worker_name": "郑医生",
        "difficulty": "老人无人照看",
        "helper_name": "郑海波",
        "day": _today(),
    }
    return Call(body=body)


def _exemplar(world) -> Call:
    body = {
        "node": world.zhengyuan.pk,
        "name": "郑园朝阳青年志愿服务队",
        "title": "青年突击队",
        "story": "值守卡口。",
        "day": _today(),
    }
    return Call(body=body)


def _api_node(body):
    def make(world) -> Call:
        return Call(body={"node_id": world.zhengyuan.pk, **body})

    return make


def _api_resident(body):
    def make(world) -> Call:
        resident = resident_make(world.zhengyuan_grid, name="郑老汉")
        return Call(body={"resident_id": resident.pk, **body})

    return make


def _visit(world):
    from frontline.community import services

    resident = resident_make(world.zhengyuan_grid, name="郑奶奶")
    return services.care_visit_record(
        actor=world.users["zhengyuan_all"],
        resident=resident,
        day=timezone.localdate(),
        visitor_name="郑志愿",
        needs="降压药快吃完了",
    )


def _visit_pk(world) -> dict:
    return {"pk": _visit(world).pk}


def _visit_errand(world) -> Call:
    deliver_by = (timezone.localtime() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")
    body = {"category": "medicine", "text": "降压药", "budget": "50", "deliver_by": deliver_by}
    return Call(_visit_pk(world), body=body)


def _visit_service(world) -> Call:
    from frontline.control import public as control

    body = {"kind_name": control.five_service_kinds()[0], "delivered_on": _today(), "quantity": 0}
    return Call(_visit_pk(world), body=body)


TODAY = timezone.localdate().isoformat()


def _list(world) -> Call:
    """A list narrowed to a place (a figure's link): another village's node is 404."""
    return Call(query={"node": world.zhengyuan.pk})


TARGETS = {
    "community:publicity": ScopeTarget("community.view", get=_list),
    "community:family_events": ScopeTarget("community.view", get=_list),
    "community:care_visits": ScopeTarget("community.care", get=_list),
    "community:care_volunteers": ScopeTarget("community.view", get=_list),
    "community:exemplars": ScopeTarget("community.view", get=_list),
    "community:publicity_new": ScopeTarget(
        "community.record", post=_publicity, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "community:family_help_new": ScopeTarget(
        "community.record", post=_family_help, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "community:exemplars_new": ScopeTarget(
        "community.record", post=_exemplar, refused=FORM_CHOICE, idless={"get": EMPTY_FORM}
    ),
    "community:care_visit_errand": ScopeTarget(
        "community.record", get=_visit_pk, post=_visit_errand
    ),
    "community:care_visit_service": ScopeTarget(
        "community.record", get=_visit_pk, post=_visit_service
    ),
    "api:community_publicity_create": ScopeTarget(
        "community.record", post=_api_node({"day": TODAY, "leaflets": 10})
    ),
    "api:community_family_help_create": ScopeTarget(
        "community.record",
        post=_api_node(
            {
                "worker_name": "郑医生",
                "difficulty": "无人照看",
                "helper_name": "郑海波",
                "day": TODAY,
            }
        ),
    ),
    "api:community_exemplars_create": ScopeTarget(
        "community.record",
        post=_api_node(
            {"name": "董皓", "title": "最美志愿者", "story": "连续值守。", "day": TODAY}
        ),
    ),
    "api:community_family_events_create": ScopeTarget(
        "community.record",
        post=_api_resident({"kind": "funeral_simplified", "planned_on": TODAY}),
    ),
    "api:community_care_visits_create": ScopeTarget(
        "community.record",
        post=_api_resident({"day": TODAY, "visitor_name": "郑志愿", "temperature": "36.5"}),
    ),
}
