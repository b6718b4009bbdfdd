"""Forms for supervision; every choice is limited to what the user may reach."""

from django import forms
from django.utils import timezone

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node, User
from frontline.supervision.models import PHOTO_MAX_BYTES, CadreRecordKind, HonourKind, TargetKind

DATE = forms.DateInput(attrs={"type": "date"})


class PhotoField(forms.FileField):
    """An optional photo taken on the phone, read as bytes (the service checks its type)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError("照片不能超过 2 MB")
        return upload.read()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class InspectionForm(forms.Form):
    """Scores for each item of one rubric, and one finding (more through the API)."""

    group = forms.ModelChoiceField(label="督察组", queryset=None, empty_label=None)
    target = forms.TypedChoiceField(label="检查对象", coerce=int, choices=())
    note = forms.CharField(label="备注", max_length=300, required=False)
    finding = forms.CharField(
        label="发现的问题（没有可不填）",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = UserChoiceField(label="整改责任人", queryset=User.objects.none(), required=False)
    deadline = forms.DateField(label="整改期限", required=False, widget=DATE)
    photo = PhotoField(label="问题照片")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, rubric, groups, targets, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        self.fields["group"].queryset = groups
        self.fields["target"].choices = [("", "请选择"), *targets]
        self.fields["owner"].queryset = owners
        self.item_fields = []
        for item in rubric.items.all():
            name = f"score_{item.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{item.text}（满分 {item.points}）",
                min_value=0,
                max_value=item.points,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.item_fields.append(name)
        # Scores first, as an inspector works down the sheet.
        self.order_fields(["group", "target", *self.item_fields])

    def clean(self):
        data = super().clean()
        if data.get("finding") and not data.get("deadline"):
            self.add_error("deadline", "记录问题时请填写整改期限")
        return data

    def service_args(self) -> dict:
        data = self.cleaned_data
        findings = []
        if data.get("finding"):
            findings.append(
                {
                    "text": data["finding"],
                    "owner_id": data["owner"].pk if data.get("owner") else None,
                    "deadline": data.get("deadline"),
                    "photo": data.get("photo"),
                }
            )
        return {
            "group": data["group"],
            "target_id": data["target"],
            "scores": {name.removeprefix("score_"): data[name] for name in self.item_fields},
            "findings": findings,
            "note": data.get("note") or "",
            "idempotency_key": data["idempotency_key"],
        }


class RectifyForm(forms.Form):
    evidence = forms.CharField(
        label="整改情况（证据）", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = PhotoField(label="整改后照片")


class ReinspectForm(forms.Form):
    deadline = forms.DateField(label="新的整改期限", widget=DATE)


class HonourForm(forms.Form):
    kind = forms.ModelChoiceField(label="称号", queryset=HonourKind.objects.all(), empty_label=None)
    target = forms.CharField(label="对象", max_length=30)

    def split_target(self) -> tuple[str, int]:
        kind, _, pk = self.cleaned_data["target"].partition(":")
        try:
            return kind, int(pk)
        except ValueError:
            raise forms.ValidationError("对象不正确") from None


class CadreRecordForm(forms.Form):
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())
    kind = forms.ChoiceField(label="类别", choices=CadreRecordKind.choices)
    cadre_name = forms.CharField(label="干部姓名", max_length=50)
    position = forms.CharField(label="职务", max_length=50, required=False)
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="事由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.CharField(label="依据（前线记录、材料）", max_length=500, required=False)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class DutyForm(forms.Form):
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())
    cadre_name = forms.CharField(label="干部姓名", max_length=50)
    day = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    place = forms.CharField(label="值守地点", max_length=100)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class WeightsForm(forms.Form):
    """One whole-number weight per part of the formula and kind of target (each kind 100)."""

    def __init__(self, *args, current: dict, **kwargs):
        from frontline.supervision.models import TargetKind
        from frontline.supervision.ranking import PARTS, WEIGHTS

        super().__init__(*args, **kwargs)
        self.names: list[tuple[str, str, str]] = []
        for kind, parts in WEIGHTS.items():
            for part in parts:
                name = f"{kind}__{part}"
                self.fields[name] = forms.IntegerField(
                    label=f"{TargetKind(kind).label}·{PARTS[part]}（%）",
                    min_value=0,
                    max_value=100,
                    initial=current.get(str(kind), {}).get(part, 0),
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                )
                self.names.append((name, str(kind), part))

    def weights(self) -> dict:
        found: dict[str, dict[str, int]] = {}
        for name, kind, part in self.names:
            found.setdefault(kind, {})[part] = self.cleaned_data[name]
        return found


class NodesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Node) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class UsersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return obj.full_name or obj.username


class GroupForm(forms.Form):
    """A 督察组: where it is set up, its name, members and the places it inspects."""

    node = NodeChoiceField(label="设立辖区", queryset=Node.objects.none())
    name = forms.CharField(label="名称", max_length=50)
    members = UsersField(label="成员（督查人员）", queryset=User.objects.none())
    scope = NodesField(label="督查范围", queryset=Node.objects.none())

    def __init__(self, *args, nodes, places, inspectors, fixed_node: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["scope"].queryset = places
        self.fields["members"].queryset = inspectors
        if fixed_node:
            # A group stays where it was set up; its scope may change within that node.
            del self.fields["node"]


class RubricForm(forms.Form):
    """A rubric for one kind of target, its items typed one a line with their points."""

    node = NodeChoiceField(label="适用辖区", queryset=Node.objects.none())
    target_kind = forms.ChoiceField(label="检查对象", choices=TargetKind.choices)
    name = forms.CharField(label="名称", max_length=50)
    items = forms.CharField(
        label="评分项（每行一项：检查内容 分值）",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="例如：“卡口有人值守 30”。每项分值 1–100。",
    )
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, nodes=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Where a rubric applies and what it scores stay as set up.
            del self.fields["node"], self.fields["target_kind"]
        else:
            self.fields["node"].queryset = nodes
            del self.fields["is_active"]
