"""Objects in 郑园村 for every id-taking route of the control app."""

from frontline.control import services
from frontline.control.tests.conftest import isolate
from frontline.core.roles import Role
from frontline.core.tests.fixtures import make_user
from frontline.core.tests.scope_registry import ScopeTarget
from frontline.people.tests.factories import resident_make


def _isolation(world):
    return isolate(world, world.zhengyuan_grid, "郑大力")


def _person(world) -> dict:
    return {"pk": _isolation(world).key_person_id}


def _isolation_kwargs(world) -> dict:
    return {"pk": _isolation(world).pk}


def _alert(world) -> dict:
    isolation = _isolation(world)
    health = make_user("health_zy", (Role.HEALTH_WORKER, world.zhengyuan))
    reading, _ = services.reading_record(actor=health, isolation=isolation, value="38.0", slot="am")
    return {"pk": reading.alert.pk}


def _resident(world) -> dict:
    return {"resident_pk": resident_make(node=world.zhengyuan, name="郑二").pk}


def _referral(world) -> dict:
    from frontline.screening.services import referral_create

    referral = referral_create(
        actor=world.cadre_zhengyuan, node=world.zhengyuan, name="郑二", reason="排查发现"
    )
    return {"pk": referral.pk}


def _lead(world) -> dict:
    from frontline.core.staged_import.models import StagedImport

    lead = StagedImport.objects.create(
        importer="control.lead_list", node=world.zhengyuan, created_by=world.users["zhengyuan_all"]
    )
    return {"pk": lead.pk}


TARGETS = {
    "control:lead_preview": ScopeTarget(_lead, methods=("get",)),
    "control:lead_errors": ScopeTarget(_lead, methods=("get",)),
    "control:lead_commit": ScopeTarget(_lead, methods=("post",)),
    "control:referral_accept": ScopeTarget(_referral),
    "control:key_person_register": ScopeTarget(_resident),
    "control:key_person_detail": ScopeTarget(_person, methods=("get",)),
    "control:key_person_control": ScopeTarget(_person),
    "control:key_person_note": ScopeTarget(_person, methods=("post",)),
    "control:key_person_close": ScopeTarget(_person, methods=("post",)),
    "control:isolation_start": ScopeTarget(_person),
    "control:isolation_six": ScopeTarget(_isolation_kwargs),
    "control:isolation_release": ScopeTarget(_isolation_kwargs, methods=("post",)),
    "control:isolation_end": ScopeTarget(_isolation_kwargs),
    "control:round_reading": ScopeTarget(_isolation_kwargs, methods=("post",)),
    "control:alert_handle": ScopeTarget(_alert),
    "api:control_key_person_detail": ScopeTarget(
        lambda world: {"key_person_id": _isolation(world).key_person_id}, methods=("get",)
    ),
    "api:control_isolation_detail": ScopeTarget(
        lambda world: {"isolation_id": _isolation(world).pk}, methods=("get",)
    ),
}
