"""The demo's key-person control as its users meet it."""

from django.core.management import call_command

from frontline.control.models import Responsible
from frontline.control.selectors import isolations_for, key_person_count
from frontline.core.models import User


def test_each_of_the_six_can_open_the_case_they_answer_for(db):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    six = Responsible.objects.filter(user__isnull=False).select_related("user", "isolation")
    assert six.count() >= 20
    for one in six:
        assert isolations_for(one.user).filter(pk=one.isolation_id).exists(), (
            one.user.username,
            one.role,
        )
    # The grid worker's 网格走访 has the people of her grid to visit.
    assert key_person_count(User.objects.get(username="grid_sandian")) >= 4
