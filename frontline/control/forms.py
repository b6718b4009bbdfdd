"""Forms for key persons, isolation, 六包一, readings, alerts and 五送."""

from django import forms
from django.conf import settings
from django.utils import timezone

from frontline.control.models import (
    PLANNED_DAYS_MAX,
    QUANTITY_MAX,
    SIX_RESIDENT_ROLES,
    AlertAction,
    FoundVia,
    IsolationStatus,
    KeyPersonCategory,
    ServiceKind,
    SixRole,
    Slot,
)
from frontline.core.models import User


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class KeyPersonForm(forms.Form):
    category = forms.ModelChoiceField(label="类别", queryset=KeyPersonCategory.objects.none())
    found_via = forms.ChoiceField(label="发现途径", choices=FoundVia.choices)
    origin = forms.CharField(
        label="来源地", max_length=100, required=False, help_text="如：湖北省武汉市"
    )
    arrival_date = forms.DateField(
        label="抵达日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = KeyPersonCategory.objects.filter(is_active=True)

    def clean_arrival_date(self):
        value = self.cleaned_data["arrival_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("抵达日期不能晚于今天")
        return value


class ReferralAcceptForm(forms.Form):
    resident = forms.IntegerField(widget=forms.HiddenInput)
    category = forms.ModelChoiceField(label="类别", queryset=KeyPersonCategory.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = KeyPersonCategory.objects.filter(is_active=True)


class ReferralAcceptUnidentifiedForm(forms.Form):
    """Accepting a hand-over of a person met without papers: the ID number comes later."""

    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    plate = forms.CharField(label="车牌", max_length=10, required=False)
    category = forms.ModelChoiceField(label="类别", queryset=KeyPersonCategory.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = KeyPersonCategory.objects.filter(is_active=True)


class IdentifyForm(forms.Form):
    id_number = forms.CharField(label="身份证号", max_length=30)


class ControlForm(forms.Form):
    leader = UserChoiceField(label="责任领导", queryset=User.objects.none(), required=False)
    team = forms.CharField(
        label="工作专班",
        max_length=100,
        required=False,
        help_text="如：三店村第一专班（村干部、网格员、卫生员）",
    )
    plan = forms.CharField(
        label="管控方案", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders


class IsolationStartForm(forms.Form):
    address = forms.CharField(label="隔离地址", max_length=200)
    start_date = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    planned_days = forms.IntegerField(label="计划天数", min_value=1, max_value=PLANNED_DAYS_MAX)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("start_date", timezone.localdate().isoformat())
        kwargs["initial"].setdefault("planned_days", settings.ISOLATION_DAYS)
        super().__init__(*args, **kwargs)


class SixForm(forms.Form):
    """One picker per 六包一 role: the staff of this village who hold that role (accounts),
    and for the party-member volunteer also the village's party members without an
    account. Values are "u<id>" or "r<id>"."""

    def __init__(self, *args, candidates, residents, **kwargs):
        super().__init__(*args, **kwargs)
        for role in SixRole:
            choices = [
                ("", "（空缺）"),
                (
                    "有账号的人员",
                    [(f"u{u.pk}", u.full_name or u.username) for u in candidates[role.value]],
                ),
            ]
            if role in SIX_RESIDENT_ROLES:
                choices.append(("本村党员（无账号）", [(f"r{r.pk}", r.name) for r in residents]))
            self.fields[role.value] = forms.ChoiceField(
                label=role.label,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select", "data_grouped": "1"}),
            )


class ReadingForm(forms.Form):
    # The round card shows one line of refusal: the common one says what to do.
    value = forms.CharField(label="体温", max_length=12, error_messages={"required": "请填写体温"})
    slot = forms.ChoiceField(label="时段", choices=Slot.choices)
    symptoms = forms.CharField(label="症状", max_length=200, required=False)
    # Entering a slot after its window closed: the time it was measured today.
    taken_time = forms.TimeField(
        label="测量时间", required=False, error_messages={"invalid": "测量时间格式不对，如 09:30"}
    )
    idempotency_key = forms.CharField(max_length=64, required=False)


class AlertHandleForm(forms.Form):
    action = forms.ChoiceField(label="处置方式", choices=AlertAction.choices)
    retest_value = forms.CharField(
        label="复测体温", max_length=12, required=False, help_text="选择“复测”时填写"
    )
    note = forms.CharField(
        label="处置说明", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class IsolationEndForm(forms.Form):
    status = forms.ChoiceField(
        label="结束方式",
        choices=[(IsolationStatus.ENDED_EARLY, "提前结束"), (IsolationStatus.TRANSFERRED, "转运")],
    )
    reason = forms.CharField(
        label="原因", max_length=300, help_text="如：转发热门诊、转集中隔离、核酸结果阴性提前解除"
    )


class CloseForm(forms.Form):
    reason = forms.CharField(label="解除管控原因", max_length=300)


class NoteForm(forms.Form):
    text = forms.CharField(
        label="工作记录", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ServiceForm(forms.Form):
    resident = forms.TypedChoiceField(label="服务对象", coerce=int, choices=())
    kind = forms.ModelChoiceField(label="服务类别", queryset=ServiceKind.objects.none())
    description = forms.CharField(
        label="内容", max_length=200, required=False, help_text="如：代购蔬菜一份、送宣传单"
    )
    quantity = forms.IntegerField(
        label="数量", min_value=0, max_value=QUANTITY_MAX, required=False, initial=0
    )
    delivered_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, residents, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("delivered_on", timezone.localdate().isoformat())
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = residents
        self.fields["kind"].queryset = ServiceKind.objects.filter(is_active=True)


class ListItemForm(forms.Form):
    """One kind of key person or of 五送 service: added (no item) or changed (its id)."""

    which = forms.ChoiceField(choices=[("category", "重点人员类别"), ("kind", "五送服务类别")])
    item_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    name = forms.CharField(label="名称", max_length=50)
    quantity_label = forms.CharField(
        label="数量单位", max_length=20, required=False, help_text="如“份”；留空不计数量"
    )
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=999, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
