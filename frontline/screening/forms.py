"""Forms for screening: the visit record with its checklist and persons found, and set-up."""

from django import forms
from django.utils import timezone

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node, NodeKind, User
from frontline.core.temperature import TemperatureField
from frontline.screening.models import FINDINGS_MAX, ChecklistItem
from frontline.screening.services import ASSIGNABLE_KINDS, PERSONS_MAX, PersonFound

PHOTO_MAX_BYTES = 8 * 1024 * 1024
# What phones send: JPEG, PNG or WebP, known by their first bytes, not their names.
_IMAGE_SIGNATURES = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG\r\n\x1a\n", "png"))


def image_kind(head: bytes) -> str | None:
    """The image type of a file from its first bytes, or None when it is not a photo."""
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


class PhotoField(forms.FileField):
    """An optional site photo: a real image by its signature, at most 8 MB."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError("照片不能超过 8 MB")
        head = upload.read(12)
        upload.seek(0)
        kind = image_kind(head)
        if kind is None:
            raise forms.ValidationError("照片只能是 JPG、PNG 或 WebP 图片")
        upload.name = f"photo.{kind}"
        return upload


class RecordForm(forms.Form):
    day = forms.DateField(label="排查日期", widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(
        label="发现的问题",
        required=False,
        max_length=FINDINGS_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "如：东门无人值守，已督促整改"}),
    )
    photo = PhotoField(label="现场照片（可选）", required=False)
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
