"""Forms for errands: asking (a cadre for a household, or the household itself), buying,
settling, cancelling, enrolling a household and starting a daily 送餐."""

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone

from frontline.errands.models import BUDGET_MAX, COST_MAX, LineCategory, Settlement

LINE_FIELDS = [
    ("vegetables", LineCategory.VEGETABLES),
    ("grain_oil", LineCategory.GRAIN_OIL),
    ("medicine", LineCategory.MEDICINE),
    ("other", LineCategory.OTHER),
]


def _money(label: str, top, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_value=top, max_digits=8, decimal_places=2, required=required
    )


class ErrandAskForm(forms.Form):
    """What to buy, line by line; the budget and by when."""

    vegetables = forms.CharField(label="蔬菜", max_length=100, required=False)
    grain_oil = forms.CharField(label="粮油", max_length=100, required=False)
    medicine = forms.CharField(label="药品", max_length=100, required=False)
    other = forms.CharField(label="其他", max_length=100, required=False)
    budget = _money("预算（元）", BUDGET_MAX)
    deliver_by = forms.DateTimeField(
        label="最晚送达", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    note = forms.CharField(label="备注", max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {"deliver_by": (timezone.localtime() + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M")},
        )
        super().__init__(*args, **kwargs)

    def service_args(self) -> dict:
        data = self.cleaned_data
        deliver_by: datetime = data["deliver_by"]
        return {
            "lines": [(category, data[name]) for name, category in LINE_FIELDS],
            "budget": data["budget"],
            "deliver_by": deliver_by,
            "note": data["note"],
            "idempotency_key": data["idempotency_key"] or None,
        }


class BoughtForm(forms.Form):
    actual_cost = _money("实际花费（元）", COST_MAX)
    receipt = forms.FileField(label="小票照片（可选）", required=False)


class SettleForm(forms.Form):
    settlement = forms.ChoiceField(label="结算方式", choices=Settlement.choices)


class CancelForm(forms.Form):
    cancel_reason = forms.CharField(label="取消原因", max_length=200)


class PhoneForm(forms.Form):
    """Why the crew needs the household's whole phone (audited)."""

    reason = forms.CharField(label="查看理由", max_length=100, initial="送达前电话联系住户")


class EnrollForm(forms.Form):
    """Find a resident by the start of the name or the last four digits of the phone."""

    q = forms.CharField(label="居民姓名或手机尾号", max_length=50)


class SeriesForm(forms.Form):
    description = forms.CharField(label="送餐内容", max_length=100, initial="午餐一份")
    deliver_time = forms.TimeField(
        label="每日送达时间", widget=forms.TimeInput(attrs={"type": "time"}), initial="11:30"
    )
    budget = _money("每日预算（元）", BUDGET_MAX)
