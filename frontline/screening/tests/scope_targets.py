"""Objects in 郑园村 for every id-taking route of the screening app."""

from frontline.core.tests.scope_registry import ScopeTarget
from frontline.screening.tests.factories import assignment_make, checklist_make, record_make


def _record(world) -> dict:
    return {"pk": record_make(world.zhengyuan, world.cadre_zhengyuan).pk}


def _assignment(world) -> dict:
    return {"pk": assignment_make(world.zhengyuan, world.cadre_zhengyuan).pk}


def _item(world) -> dict:
    return {"pk": checklist_make(world.zhengyuan, "村口值守")[0].pk}


TARGETS = {
    "screening:record_detail": ScopeTarget(_record, methods=("get",)),
    "screening:assignment_delete": ScopeTarget(_assignment, methods=("post",)),
    "screening:checklist_toggle": ScopeTarget(_item, methods=("post",)),
    "api:screening_record_detail": ScopeTarget(
        lambda world: {"record_id": record_make(world.zhengyuan, world.cadre_zhengyuan).pk},
        methods=("get",),
    ),
}


def _record_with_photo(world) -> dict:
    from django.core.files.base import ContentFile

    photo = ContentFile(b"\xff\xd8\xff\xe0" + b"0" * 64, name="photo.jpg")
    record = record_make(world.zhengyuan, world.cadre_zhengyuan, photo=photo)
    return {"pk": record.pk}


TARGETS["screening:record_photo"] = ScopeTarget(_record_with_photo, methods=("get",))
