"""A grid worker screens the units of their grid by default; assignments refine that."""

import json

from django.urls import reverse
from django.utils import timezone

from frontline.screening.models import ScreeningRecord
from frontline.screening.tests.factories import assignment_make, checklist_make, record_make


def _api_record(client, unit, key="grid-1"):
    body = {"unit_id": unit.pk, "checks": {}, "findings": "正常", "idempotency_key": key}
    return client.post(
        reverse("api:screening_record_create"), json.dumps(body), content_type="application/json"
    )


def test_the_grid_worker_of_sandian_picks_the_village_of_their_grid(world, login):
    page = login(world.grid_sandian).get(reverse("screening:record_create"))
    html = page.content.decode()
    assert "三店村" in html and "没有可排查的村或企业" not in html
    assert "郑园村" not in html


def test_the_grid_worker_files_a_visit_and_opens_it_afterwards(world, login):
    checklist_make(world.town, "出入口管控")
    client = login(world.grid_sandian)
    response = client.post(
        reverse("screening:record_create") + f"?unit={world.sandian.pk}",
        {
            "day": timezone.localdate().isoformat(),
            "findings": "外来人员已登记",
            "idempotency_key": "grid-web-1",
            "person-TOTAL_FORMS": "0",
            "person-INITIAL_FORMS": "0",
            "person-MIN_NUM_FORMS": "0",
            "person-MAX_NUM_FORMS": "20",
        },
    )
    record = ScreeningRecord.objects.get()
    assert response.status_code == 302 and record.screened_by == world.grid_sandian
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "外来人员已登记" in detail.content.decode()


def test_the_grid_worker_files_through_the_api_but_not_for_another_village(world, login):
    client = login(world.grid_sandian)
    assert _api_record(client, world.sandian).status_code == 201
    assert _api_record(client, world.zhengyuan, key="grid-2").status_code == 404
    assert ScreeningRecord.objects.count() == 1


def test_someone_elses_visit_marks_the_village_screened_for_the_grid_worker(world, login):
    record_make(world.sandian, world.cadre_sandian)
    html = login(world.grid_sandian).get(reverse("screening:record_create")).content.decode()
    assert "今天已排查" in html


def test_an_assignment_adds_a_unit_and_puts_it_first(world, login):
    assignment_make(world.enterprise, world.grid_sandian)
    client = login(world.grid_sandian)
    html = client.get(reverse("screening:record_create")).content.decode()
    assert "我的责任" in html
    assert html.index(world.enterprise.name) < html.index("三店村")
    assert _api_record(client, world.enterprise).status_code == 201


def test_a_grid_worker_without_an_assignment_there_cannot_file_for_an_enterprise(world, login):
    assert _api_record(login(world.grid_sandian), world.enterprise).status_code == 404
