"""Forms for community work; places are limited to the user's, residents found by name."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from frontline.community.models import FamilyEventKind
from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node
from frontline.core.temperature import TemperatureField
from frontline.errands import public as errands
from frontline.people import public as people

DATE = forms.DateInput(attrs={"type": "date"})


class _PlaceForm(forms.Form):
    node = NodeChoiceField(label="村/社区", queryset=Node.objects.none())

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.order_by("path")


class PublicityForm(_PlaceForm):
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    leaflets = forms.IntegerField(label="发放宣传单（份）", min_value=0, max_value=100000)
    posters = forms.IntegerField(
        label="张贴标语海报（张）", min_value=0, max_value=10000, initial=0
    )
    loudspeaker_routes = forms.IntegerField(
        label="大喇叭/流动喇叭线路（条）",
        min_value=0,
        max_value=100,
        initial=0,
        help_text="队伍已在活动日志里登记的小喇叭宣传会自动计入，这里只填其余的",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


WHOLE_NUMBER_REFUSED = "请输入姓名或手机尾号（4 位）：完整的手机号或身份证号不能在这里查找"


class ResidentForm(forms.Form):
    """A resident chosen by the start of the name or the phone's last four digits."""

    resident_name = forms.CharField(label="姓名或手机尾号（4 位）", max_length=50)

    def clean_resident_name(self) -> str:
        text = self.cleaned_data["resident_name"].strip()
        # Whoever records here may not hold the roster: a whole number looked up would tell
        # them whose it is and where they live. Refused before any lookup, in the same words
        # whether or not such a person exists.
        if people.query_is_personal(text):
            raise forms.ValidationError(WHOLE_NUMBER_REFUSED)
        return text


class FamilyEventForm(ResidentForm):
    kind = forms.ChoiceField(label="类别", choices=FamilyEventKind.choices)
    planned_on = forms.DateField(label="原定日期", widget=DATE)
    new_date = forms.DateField(label="延至（延办时填）", widget=DATE, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class CareVisitForm(ResidentForm):
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    visitor_name = forms.CharField(label="志愿者", max_length=50)
    temperature = TemperatureField(required=False)
    disinfected = forms.BooleanField(label="已消毒", required=False)
    needs = forms.CharField(label="发现的需求", max_length=300, required=False)


class FamilyHelpForm(_PlaceForm):
    worker_name = forms.CharField(label="一线人员", max_length=50)
    difficulty = forms.CharField(label="家庭困难", max_length=300)
    helper_name = forms.CharField(label="帮扶人", max_length=50)
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)


class ExemplarForm(_PlaceForm):
    name = forms.CharField(label="人物或团队", max_length=50)
    is_team = forms.BooleanField(label="这是一个团队", required=False)
    title = forms.CharField(label="称号/事迹标题", max_length=100)
    story = forms.CharField(label="事迹", max_length=3000, widget=forms.Textarea)
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)


class CareErrandForm(forms.Form):
    """A need found on a visit, asked for as an errand (代购) for the household."""

    category = forms.ChoiceField(label="类别", choices=())
    text = forms.CharField(label="要买的东西", max_length=100)
    budget = forms.DecimalField(
        label="预算（元）", min_value=0, max_value=2000, max_digits=8, decimal_places=2
    )
    deliver_by = forms.DateTimeField(
        label="最晚送达", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args, needs: str, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "text": needs[:100],
                "category": errands.LineCategory.OTHER,
                "deliver_by": (timezone.localtime() + timedelta(hours=4)).strftime(
                    "%Y-%m-%dT%H:%M"
                ),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = errands.LineCategory.choices


class CareServiceForm(forms.Form):
    """A need found on a visit, met by a 五送 service."""

    kind_name = forms.ChoiceField(label="五送服务类别", choices=())
    delivered_on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    quantity = forms.IntegerField(
        label="数量（不计数量填 0）", min_value=0, max_value=1000, initial=0
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind_name"].choices = [(name, name) for name in kinds]
