"""The command pages' forms: a node and a span of days, and a sentence's wording."""

from datetime import date, timedelta

from django import forms
from django.utils import timezone

from frontline.command.selectors import MAX_SPAN_DAYS


def span_check(start: date, end: date) -> list[tuple[str, str]]:
    """What is wrong with a span of days, as (field, Chinese message) pairs."""
    problems = []
    if start > end:
        problems.append(("from", "开始日期不能晚于结束日期"))
    elif (end - start).days + 1 > MAX_SPAN_DAYS:
        problems.append(("to", f"时间段最长 {MAX_SPAN_DAYS} 天"))
    if end > timezone.localdate():
        problems.append(("to", "结束日期不能晚于今天"))
    return problems


class SpanForm(forms.Form):
    """`?node=&from=&to=`: which node and which days; both dates default to today."""

    node = forms.IntegerField(required=False, min_value=1, label="单位")
    start = forms.DateField(required=False, label="开始日期")
    end = forms.DateField(required=False, label="结束日期")

    def __init__(self, data, *args, **kwargs):
        # The query string says from/to, as the API does; Python cannot name a field `from`.
        data = {"node": data.get("node"), "start": data.get("from"), "end": data.get("to")}
        super().__init__(data, *args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        cleaned["start"] = cleaned.get("start") or cleaned.get("end") or today
        cleaned["end"] = cleaned.get("end") or today
        for field, message in span_check(cleaned["start"], cleaned["end"]):
            self.add_error("start" if field == "from" else "end", message)
        return cleaned


def quick_spans(today: date) -> list[tuple[str, date, date]]:
    """The spans a leader taps most: today, yesterday, the last 7 days, this month."""
    return [
        ("今日", today, today),
        ("昨日", today - timedelta(days=1), today - timedelta(days=1)),
        ("近7天", today - timedelta(days=6), today),
        ("本月", today.replace(day=1), today),
    ]


class WordingForm(forms.Form):
    """One sentence's wording; empty restores the default."""

    sentence = forms.CharField(max_length=64, widget=forms.HiddenInput)
    text = forms.CharField(
        max_length=300,
        required=False,
        label="措辞",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="用 {指标} 写数字，如 {loudspeaker_teams}；留空恢复默认",
    )
