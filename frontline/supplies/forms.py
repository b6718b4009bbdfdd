"""Forms for the supplies pages; every choice is limited to what the user may act on."""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from frontline.core.forms import NodeChoiceField
from frontline.supplies.models import (
    MONEY_MAX,
    QTY_MAX,
    DonorKind,
    ItemCode,
    MoveKind,
    RequesterKind,
    Source,
)

QTY_FIELD = {"max_digits": 15, "decimal_places": 3}


class _Named(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        node = getattr(obj, "node", None)
        return f"{obj.name}（{node.name}）" if node is not None else obj.name


class MoveForm(forms.Form):
    """One ledger move as a keeper types it."""

    kind = forms.ChoiceField(label="类型", choices=MoveKind.choices)
    warehouse = _Named(label="仓库", queryset=None)
    item = _Named(label="物资", queryset=None)
    quantity = forms.DecimalField(
        label="数量",
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("-999999999")), MaxValueValidator(QTY_MAX)],
        help_text="盘点调整时，盘亏填负数",
    )
    unit = forms.CharField(
        label="单位",
        max_length=8,
        required=False,
        help_text="留空为基本单位，如 只、盒、箱、kg、吨",
    )
    source = forms.ChoiceField(
        label="来源（入库）", choices=[("", "—"), *Source.choices], required=False
    )
    to_warehouse = _Named(label="调入仓库（调拨）", queryset=None, required=False)
    recipient_node = NodeChoiceField(label="领用单位（出库）", queryset=None, required=False)
    reason = forms.CharField(label="说明（盘点调整须写原因）", max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, warehouses, items, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["to_warehouse"].queryset = warehouses
        self.fields["item"].queryset = items
        self.fields["recipient_node"].queryset = nodes


class ThresholdForm(forms.Form):
    warehouse = _Named(label="仓库", queryset=None)
    item = _Named(label="物资", queryset=None)
    threshold = forms.DecimalField(
        label="低库存线（基本单位）",
        max_digits=15,
        decimal_places=3,
        min_value=0,
        max_value=QTY_MAX,
    )

    def __init__(self, *args, warehouses, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses
        self.fields["item"].queryset = items


class DonationForm(forms.Form):
    """A donation: cash, and/or one line of goods received into a warehouse."""

    node = NodeChoiceField(label="接收辖区", queryset=None)
    donor_kind = forms.ChoiceField(label="捐赠人类型", choices=DonorKind.choices)
    donor_name = forms.CharField(label="捐赠人", max_length=100, required=False)
    masked = forms.BooleanField(label="公示时隐去姓名", required=False)
    drive = _Named(label="募捐活动", queryset=None, required=False)
    cash = forms.DecimalField(
        label="捐款（元）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MONEY_MAX,
        required=False,
    )
    item = _Named(label="捐赠物资", queryset=None, required=False)
    quantity = forms.DecimalField(
        label="物资数量",
        max_digits=15,
        decimal_places=3,
        min_value=0,
        max_value=QTY_MAX,
        required=False,
    )
    unit = forms.CharField(label="单位", max_length=8, required=False)
    value = forms.DecimalField(
        label="物资折价（元）",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        max_value=MONEY_MAX,
        required=False,
    )
    warehouse = _Named(label="入库仓库", queryset=None, required=False)
    received_on = forms.DateField(label="捐赠日期", widget=forms.DateInput(attrs={"type": "date"}))
    purpose = forms.CharField(label="用途", max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, nodes, drives, items, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["drive"].queryset = drives
        self.fields["item"].queryset = items
        self.fields["warehouse"].queryset = warehouses
        self.fields["received_on"].widget.input_type = "date"


class RequestForm(forms.Form):
    """A request with up to three lines."""

    node = NodeChoiceField(label="申请单位", queryset=None)
    kind = forms.ChoiceField(label="申请方", choices=RequesterKind.choices)
    needed_by = forms.DateField(label="需要日期", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="用途", max_length=200)
    item1 = _Named(label="物资一", queryset=None)
    quantity1 = forms.DecimalField(
        label="数量一", max_digits=15, decimal_places=3, min_value=0, max_value=QTY_MAX
    )
    unit1 = forms.CharField(label="单位一", max_length=8, required=False)
    item2 = _Named(label="物资二", queryset=None, required=False)
    quantity2 = forms.DecimalField(
        label="数量二",
        max_digits=15,
        decimal_places=3,
        min_value=0,
        max_value=QTY_MAX,
        required=False,
    )
    unit2 = forms.CharField(label="单位二", max_length=8, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, nodes, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["item1"].queryset = items
        self.fields["item2"].queryset = items
        self.fields["needed_by"].widget.input_type = "date"


class AllocationRunForm(forms.Form):
    warehouse = _Named(label="从哪个仓库分配", queryset=None)

    def __init__(self, *args, warehouses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["warehouse"].queryset = warehouses


class FundReceiptForm(forms.Form):
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MONEY_MAX,
    )
    donor_name = forms.CharField(label="捐款人", max_length=100, required=False)
    received_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].widget.input_type = "date"


class DisbursementForm(forms.Form):
    resident = forms.ModelChoiceField(label="受助人", queryset=None)
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=MONEY_MAX,
    )
    reason = forms.CharField(label="事由", max_length=200)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda r: f"{r.name}（{r.node.name}）"


class DisclosureForm(forms.Form):
    node = NodeChoiceField(label="公示范围", queryset=None)
    start = forms.DateField(label="开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="结束日期", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label="链接有效天数", min_value=1, max_value=30, initial=7)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        for name in ("start", "end"):
            self.fields[name].widget.input_type = "date"

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期")
        return data


UNIT_SEPARATORS = re.compile(r"[，,；;、\s]+")


class ItemForm(forms.Form):
    """A catalogue entry; its other units typed on one line (盒=50，箱=2000)."""

    # Which node keeps a new entry (its keepers may edit it later); not asked on edit.
    node = NodeChoiceField(label="维护单位", queryset=None)
    name = forms.CharField(label="物资名称", max_length=50)
    base_unit = forms.CharField(label="基本单位", max_length=8, help_text="如 只、套、kg、L")
    units = forms.CharField(
        label="换算单位",
        max_length=200,
        required=False,
        help_text="每个单位折合多少基本单位，如 盒=50，箱=2000（1盒 = 50只）",
    )
    code = forms.ChoiceField(label="统计类别", choices=ItemCode.choices, initial=ItemCode.OTHER)
    countable = forms.BooleanField(label="按件计入捐赠物资件数", required=False, initial=True)

    def __init__(self, *args, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if nodes is None:
            del self.fields["node"]
        else:
            self.fields["node"].queryset = nodes

    def clean_units(self) -> list[tuple[str, Decimal]]:
        found = []
        for part in UNIT_SEPARATORS.split(self.cleaned_data["units"].strip()):
            if not part:
                continue
            name, sep, factor = part.replace("＝", "=").partition("=")
            if not sep or not name.strip():
                raise ValidationError(f"“{part}”看不懂，请写成 单位=数量，如 盒=50")
            try:
                value = Decimal(factor.strip())
            except InvalidOperation:
                raise ValidationError(f"“{part}”的数量须为数字") from None
            if not value.is_finite() or value <= 0 or value > Decimal(1_000_000):
                raise ValidationError(f"“{part}”的数量须在 0.001 到 1000000 之间")
            if len(name.strip()) > 8:
                raise ValidationError(f"单位“{name.strip()}”太长（最多 8 个字）")
            found.append((name.strip(), value))
        if len(found) > 10:
            raise ValidationError("换算单位最多 10 个")
        return found


def units_text(item) -> str:
    """An item's other units as the form shows them (盒=50，箱=2000)."""
    return "，".join(f"{u.name}={u.factor.normalize():f}" for u in item.units.all())


class PlaceForm(forms.Form):
    """A store, a drive or a fund: a name at a node."""

    node = NodeChoiceField(label="所属辖区", queryset=None)
    name = forms.CharField(label="名称", max_length=50)

    def __init__(self, *args, nodes, name_label: str = "名称", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["name"].label = name_label
