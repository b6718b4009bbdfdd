"""Forms for teams; every choice is limited to the user's scope."""

from django import forms
from django.utils.timezone import localtime

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node
from frontline.teams.models import ActivityKind, TeamKind

DATE = forms.DateInput(attrs={"type": "date"})


class TeamForm(forms.Form):
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())
    kind = forms.ModelChoiceField(label="类型", queryset=TeamKind.objects.none())
    name = forms.CharField(label="队名", max_length=100)

    def __init__(self, *args, nodes, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(is_active=True).order_by("path")
        self.fields["kind"].queryset = kinds


class MemberAddForm(forms.Form):
    resident = forms.ModelChoiceField(label="居民", queryset=None, required=False)
    user = forms.ModelChoiceField(label="账号", queryset=None, required=False)
    is_leader = forms.BooleanField(label="队长", required=False)

    def __init__(self, *args, residents, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["user"].queryset = users


class VehicleForm(forms.Form):
    plate = forms.CharField(label="车牌", max_length=12)
    note = forms.CharField(label="说明", max_length=100, required=False)


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=ActivityKind.choices)
    day = forms.DateField(label="日期", widget=DATE)
    hours = forms.DecimalField(
        label="时长（小时）",
        min_value=0.1,
        max_value=24,
        decimal_places=1,
        required=False,
        help_text="小喇叭宣传可只填分钟",
    )
    participants = forms.ModelMultipleChoiceField(
        label="参加队员", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    area = forms.CharField(label="区域/路线", max_length=200, required=False)
    gatherings_dispersed = forms.IntegerField(
        label="劝散聚集（处）", min_value=0, max_value=1000, required=False
    )
    persuaded_home = forms.IntegerField(
        label="劝导回家（人）", min_value=0, max_value=10000, required=False
    )
    villages_covered = forms.CharField(label="覆盖村庄", max_length=200, required=False)
    minutes = forms.IntegerField(label="宣传分钟", min_value=0, max_value=1440, required=False)
    households = forms.IntegerField(label="服务户数", min_value=0, max_value=10000, required=False)
    shift_id = forms.TypedChoiceField(
        label="卡口班次",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="卡口值守选所值守的班次：日期、时长和卡口都从班次来，不用再填",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    COUNTS = ("gatherings_dispersed", "persuaded_home", "minutes", "households")

    def __init__(self, *args, members, shifts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift_id"].choices = [
            ("", "（不是卡口值守）"),
            *(
                (
                    s.id,
                    f"{s.day:%m-%d} {s.checkpoint} {localtime(s.starts_at):%H:%M}–"
                    f"{localtime(s.ends_at):%H:%M}",
                )
                for s in shifts
            ),
        ]
        self.fields["participants"].queryset = members
        self.fields["participants"].label_from_instance = lambda m: m.display_name

    def clean(self) -> dict:
        data = super().clean()
        # A count left empty on the phone is none at all.
        for name in self.COUNTS:
            if data.get(name) is None:
                data[name] = 0
        return data


class KindForm(forms.Form):
    code = forms.SlugField(label="代码（英文）", max_length=30)
    name = forms.CharField(label="名称", max_length=30)
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=1000, initial=100)
