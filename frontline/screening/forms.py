"""Forms for screening: the visit record with its checklist and persons found, and set-up."""

from django import forms
from django.utils import timezone

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node, NodeKind, User
from frontline.core.temperature import TemperatureField
from frontline.core.uploads import SniffedFileField
from frontline.screening.models import FINDINGS_MAX, ChecklistItem
from frontline.screening.services import ASSIGNABLE_KINDS, PERSONS_MAX, PersonFound

PHOTO_MAX_BYTES = 8 * 1024 * 1024


class RecordForm(forms.Form):
    day = forms.DateField(label="排查日期", widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(
        label="发现的问题",
        required=False,
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：东门无人值守，已督促整改"}),
    )
    photo = SniffedFileField(
        label="现场照片（可选）",
        required=False,
        max_bytes=PHOTO_MAX_BYTES,
        stem="photo",
        too_big="照片不能超过 8 MB",
        wrong_kind="照片只能是 JPG、PNG 或 WebP 图片",
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, items: list[ChecklistItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        self.fields["day"].initial = timezone.localdate()
        for item in items:
            self.fields[f"check_{item.pk}"] = forms.BooleanField(label=item.label, required=False)

    def check_fields(self):
        return [self[f"check_{item.pk}"] for item in self.items]

    def checks(self) -> dict[int, bool]:
        return {item.pk: self.cleaned_data.get(f"check_{item.pk}", False) for item in self.items}


class PersonForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, required=False)
    origin = forms.CharField(label="来自", max_length=100, required=False)
    temperature = TemperatureField(required=False)
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def clean(self):
        data = super().clean()
        filled = any(data.get(key) for key in ("origin", "temperature", "reason"))
        if filled and not (data.get("name") or "").strip():
            self.add_error("name", "请填写需管控人员的姓名")
        return data

    def person(self) -> PersonFound | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return PersonFound(
            name=data["name"],
            origin=data.get("origin", ""),
            temperature=data.get("temperature"),
            reason=data.get("reason", ""),
        )


PersonFormSet = forms.formset_factory(
    PersonForm, extra=2, max_num=PERSONS_MAX, absolute_max=PERSONS_MAX, validate_max=True
)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name or obj.username}（{obj.username}）"


class AssignmentForm(forms.Form):
    node = NodeChoiceField(label="排查对象（村、网格或企业）", queryset=Node.objects.none())
    assignee = UserChoiceField(label="责任人", queryset=User.objects.none())

    def __init__(self, *args, nodes, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(
            is_active=True, kind__in=ASSIGNABLE_KINDS
        ).order_by("path")
        self.fields["assignee"].queryset = users


class ChecklistItemForm(forms.Form):
    node = NodeChoiceField(label="适用辖区", queryset=Node.objects.none())
    label = forms.CharField(label="检查项", max_length=50)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(
            is_active=True, kind__in=[NodeKind.DISTRICT, NodeKind.TOWN, NodeKind.VILLAGE]
        ).order_by("path")
