"""Forms for community work; places are limited to the user's, residents found by name."""

from django import forms
from django.utils import timezone

from frontline.community.models import FamilyEventKind
from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node
from frontline.core.temperature import TemperatureField

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
        label="大喇叭/流动喇叭线路（条）", min_value=0, max_value=100, initial=0
    )
    note = forms.CharField(label="说明", max_length=200, required=False)


class ResidentForm(forms.Form):
    """A resident chosen by the start of the name or the phone's last four digits."""

    resident_name = forms.CharField(label="姓名或手机尾号（4 位）", max_length=50)


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
