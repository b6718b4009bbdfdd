"""Forms for checkpoints, rosters and the passer screen; choices limited to the user's scope."""

from django import forms
from django.utils import timezone

from frontline.checkpoints.models import (
    PEOPLE_MAX,
    CheckpointKind,
    Direction,
    MemberKind,
    Outcome,
    PasserKind,
    ShiftTemplate,
)
from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node, NodeKind, User
from frontline.core.plates import plate_validate
from frontline.core.temperature import TemperatureField

CHECKPOINT_NODE_KINDS = [NodeKind.TOWN, NodeKind.VILLAGE, NodeKind.GRID, NodeKind.ENTERPRISE]


class CheckpointForm(forms.Form):
    node = NodeChoiceField(label="所属辖区", queryset=Node.objects.none())
    name = forms.CharField(label="卡口名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CheckpointKind.choices)
    location = forms.CharField(label="位置", max_length=200, required=False)
    party_branch = forms.CharField(
        label="责任党支部（党旗插在这里）", max_length=100, required=False
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(
            is_active=True, kind__in=CHECKPOINT_NODE_KINDS
        ).order_by("path")


class CheckpointEditForm(forms.Form):
    name = forms.CharField(label="卡口名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CheckpointKind.choices)
    location = forms.CharField(label="位置", max_length=200, required=False)
    party_branch = forms.CharField(label="责任党支部", max_length=100, required=False)
    is_open = forms.TypedChoiceField(
        label="状态",
        choices=[("1", "运行中"), ("0", "已关闭")],
        coerce=lambda value: value == "1",
    )


class ShiftTemplateForm(forms.Form):
    node = NodeChoiceField(label="适用辖区", queryset=Node.objects.none())
    name = forms.CharField(label="名称", max_length=30, help_text="如 早班、中班、夜班")
    start = forms.TimeField(label="开始", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label="结束",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="早于开始时间表示到次日，如 22:00–06:00",
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(
            is_active=True, kind__in=[NodeKind.DISTRICT, *CHECKPOINT_NODE_KINDS]
        ).order_by("path")


class ShiftForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    template = forms.ModelChoiceField(
        label="班次",
        queryset=ShiftTemplate.objects.none(),
        required=False,
        empty_label="自定义时间",
    )
    start = forms.TimeField(
        label="开始（自定义时）", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end = forms.TimeField(
        label="结束（自定义时）", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ShiftTemplate.objects.filter(
            pk__in=[t.pk for t in templates]
        )
        # ISO text: a localised date would not fill an <input type="date">.
        self.fields["day"].initial = timezone.localdate().isoformat()

    def clean(self):
        data = super().clean()
        template = data.get("template")
        if template is not None:
            data["start"], data["end"] = template.start, template.end
        elif not (data.get("start") and data.get("end")):
            raise forms.ValidationError("请选择班次，或填写开始和结束时间")
        elif data["start"] == data["end"]:
            self.add_error("end", "结束时间不能等于开始时间")
        return data


class MemberUserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class MemberForm(forms.Form):
    user = MemberUserChoice(
        label="账号", queryset=User.objects.none(), required=False, empty_label="（无账号，填姓名）"
    )
    name = forms.CharField(label="姓名（无账号的志愿者）", max_length=50, required=False)
    kind = forms.ChoiceField(label="身份", choices=MemberKind.choices, required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("name") or "").strip():
            raise forms.ValidationError("请选择账号，或填写志愿者姓名")
        return data


class PasserForm(forms.Form):
    """The barrier form: the outcome buttons submit it, so one tap logs the entry."""

    kind = forms.ChoiceField(label="类型", choices=PasserKind.choices, widget=forms.RadioSelect)
    plate = forms.CharField(label="车牌", max_length=16, required=False)
    temperature = TemperatureField(required=False)
    people = forms.IntegerField(label="人数", min_value=1, max_value=PEOPLE_MAX, initial=1)
    direction = forms.ChoiceField(label="方向", choices=Direction.choices, widget=forms.RadioSelect)
    origin = forms.CharField(label="来自", max_length=100, required=False)
    destination = forms.CharField(label="去往", max_length=100, required=False)
    name = forms.CharField(label="姓名（转重点人员时填写）", max_length=50, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)
    outcome = forms.ChoiceField(label="处置", choices=Outcome.choices)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def clean_plate(self) -> str:
        plate = self.cleaned_data.get("plate", "")
        if self.data.get("kind") == PasserKind.VEHICLE:
            return plate_validate(plate)
        return ""
