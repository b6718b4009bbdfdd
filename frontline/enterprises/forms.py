"""Forms for enterprise resumption; choices limited to what the user may act on, numbers
bounded as in the models and the API schemas."""

from django import forms

from frontline.core.forms import NodeChoiceField
from frontline.core.temperature import TemperatureField
from frontline.core.uploads import IMAGES, SniffedFileField
from frontline.enterprises.models import (
    MAX_AMOUNT,
    MAX_HEADCOUNT,
    Commute,
    Heading,
    TicketKind,
)

# Yes/no as a select: the shared field template draws selects and text boxes, and a
# select is as quick to tap on a phone.
YES_NO = [("0", "否"), ("1", "是")]


def _yes(value: str) -> bool:
    return value == "1"


class EnterpriseEditForm(forms.Form):
    """An enterprise's record; its contact changes only the headcounts (`full=False`)."""

    uscc = forms.CharField(label="统一社会信用代码", max_length=30)
    sector = forms.ModelChoiceField(label="行业", queryset=None, empty_label=None)
    planned_headcount = forms.IntegerField(
        label="计划复工人数", min_value=0, max_value=MAX_HEADCOUNT
    )
    onsite_headcount = forms.IntegerField(label="在岗人数", min_value=0, max_value=MAX_HEADCOUNT)
    party_branch = forms.CharField(label="党支部", max_length=100, required=False)

    def __init__(self, *args, sectors, full: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors
        if not full:
            for name in ("uscc", "sector", "party_branch"):
                del self.fields[name]


class EnterpriseForm(EnterpriseEditForm):
    """Registering an enterprise node that has no record yet."""

    node = NodeChoiceField(label="企业", queryset=None)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.order_fields(["node"])


EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


class HeadcountForm(forms.Form):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    onsite = forms.IntegerField(label="在岗人数", min_value=0, max_value=MAX_HEADCOUNT)


class AnswerForm(forms.Form):
    meets = forms.BooleanField(label="已落实", required=False)
    evidence = forms.CharField(label="佐证说明", max_length=500, required=False)
    evidence_file = SniffedFileField(
        label="佐证附件（照片或 PDF）",
        required=False,
        max_bytes=EVIDENCE_MAX_BYTES,
        kinds=IMAGES | {"pdf"},
        stem="evidence",
        too_big="佐证附件不能超过 10 MB",
        wrong_kind="佐证附件只能是 JPG、PNG、WebP 图片或 PDF 文件",
    )


class ItemForm(forms.Form):
    node = NodeChoiceField(label="适用辖区", queryset=None)
    heading = forms.TypedChoiceField(label="类别", choices=Heading.choices, coerce=int)
    text = forms.CharField(label="检查项", max_length=200)
    evidence_required = forms.TypedChoiceField(
        label="是否须附佐证",
        choices=YES_NO[::-1],
        coerce=_yes,
        initial="1",
        required=False,
        empty_value=True,
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class EmployeeForm(forms.Form):
    # Name and ID together, as on the employee's own ID card: an ID number alone would let
    # anyone look up whether a stranger is registered, and their health colour.
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号",
        max_length=30,
        help_text="姓名和身份证号须与居民库登记的一致；未登记的请联系所在村登记",
    )
    origin = forms.CharField(label="从何地返回", max_length=100, required=False)
    from_affected_area = forms.TypedChoiceField(
        label="是否来自疫情地区",
        choices=YES_NO,
        coerce=_yes,
        initial="0",
        required=False,
        empty_value=False,
    )
    return_date = forms.DateField(
        label="返岗日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    commute = forms.ChoiceField(label="住宿/通勤", choices=Commute.choices)


class GateForm(forms.Form):
    """A card's short code typed, or its QR token read by the phone's camera."""

    code = forms.CharField(label="健康码短码", max_length=20, required=False)
    # Filled by gate.js from the camera; a signed token is about 60 characters.
    token = forms.CharField(max_length=300, required=False, widget=forms.HiddenInput)
    temperature = TemperatureField(label="体温（°C）", required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("code") or data.get("token")) and "code" not in self.errors:
            self.add_error("code", "请扫码或输入健康码短码")
        return data


class TicketForm(forms.Form):
    kind = forms.ChoiceField(label="困难类型", choices=TicketKind.choices)
    description = forms.CharField(label="困难说明", max_length=500, widget=forms.Textarea)


class ResolveForm(forms.Form):
    resolution = forms.CharField(label="办理结果", max_length=500)


class PolicyApplyForm(forms.Form):
    policy = forms.ModelChoiceField(label="扶持举措", queryset=None, empty_label=None)
    amount = forms.DecimalField(
        label="申请金额（元）", min_value=1, max_value=MAX_AMOUNT, decimal_places=2
    )

    def __init__(self, *args, policies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["policy"].queryset = policies


class SlotForm(forms.Form):
    """A service-hall time the town opens for bookings."""

    node = NodeChoiceField(label="服务大厅所属", queryset=None)
    starts_at = forms.DateTimeField(
        label="开始时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    capacity = forms.IntegerField(label="可约数", min_value=1, max_value=200, initial=5)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class PolicyForm(forms.Form):
    """A support measure with its cap per enterprise."""

    node = NodeChoiceField(label="发布辖区", queryset=None)
    name = forms.CharField(label="举措", max_length=100)
    document = forms.CharField(label="政策文件", max_length=100, required=False)
    cap = forms.DecimalField(
        label="单户上限（元）", min_value=0, max_value=MAX_AMOUNT, decimal_places=2
    )

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes


class DecideForm(forms.Form):
    grant = forms.TypedChoiceField(
        label="决定", choices=[("1", "批准"), ("0", "不批准")], coerce=lambda v: v == "1"
    )
    amount = forms.DecimalField(
        label="批准金额（元）", min_value=1, max_value=MAX_AMOUNT, decimal_places=2, required=False
    )
