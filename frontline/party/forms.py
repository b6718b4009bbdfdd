"""Forms for party organisations; every choice is limited to the user's scope."""

from django import forms
from django.utils import timezone

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node, NodeKind, User
from frontline.party.models import AssignmentKind, MemberStatus, OrgKind, PostKind
from frontline.people import public as people

ORG_NODE_KINDS = [NodeKind.TOWN, NodeKind.VILLAGE, NodeKind.GRID, NodeKind.ENTERPRISE]
DATE = forms.DateInput(attrs={"type": "date"})


def _today() -> str:
    # The form template writes a field's value as text: a date object would come out in
    # the Chinese locale's words, which a date input cannot read back.
    return timezone.localdate().isoformat()


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        shown = people.resident_masked(obj.resident)
        return f"{shown['name']} · {obj.get_status_display()} · {obj.org.name}"


class OrgForm(forms.Form):
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    parent = OrgChoiceField(label="上级党组织", queryset=None, required=False)
    site = forms.CharField(
        label="设立地点",
        max_length=100,
        required=False,
        help_text="临时党支部必填：卡口、隔离点或排查组",
    )
    start_date = forms.DateField(label="成立日期", widget=DATE, initial=_today)
    end_date = forms.DateField(label="撤销日期", widget=DATE, required=False)

    def __init__(self, *args, nodes, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(
            is_active=True, kind__in=ORG_NODE_KINDS
        ).order_by("path")
        self.fields["parent"].queryset = orgs.filter(end_date__isnull=True)


class OrgEndForm(forms.Form):
    end_date = forms.DateField(label="撤销日期", widget=DATE, initial=_today)


class MemberAddForm(forms.Form):
    resident = forms.ModelChoiceField(label="人员", queryset=None, widget=forms.RadioSelect)
    status = forms.ChoiceField(label="身份", choices=MemberStatus.choices)
    start_date = forms.DateField(label="转入日期", widget=DATE, initial=_today)

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents


class TransferForm(forms.Form):
    org = OrgChoiceField(label="转入的党组织", queryset=None)
    on = forms.DateField(label="转接日期", widget=DATE, initial=_today)
    reason = forms.CharField(label="原因", max_length=100, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs.filter(end_date__isnull=True)


class CallForm(forms.Form):
    title = forms.CharField(label="标题", max_length=100)
    text = forms.CharField(label="倡议内容", max_length=4000, widget=forms.Textarea)
    needs = forms.CharField(label="需要（岗位、技能）", max_length=200, required=False)
    days = forms.IntegerField(label="天数", min_value=1, max_value=366, required=False)


class PledgeForm(forms.Form):
    member = MemberChoiceField(label="党员", queryset=None)
    availability = forms.CharField(label="可参加时间", max_length=200, required=False)
    skills = forms.CharField(label="特长", max_length=200, required=False)
    text = forms.CharField(label="请战书", max_length=2000, required=False, widget=forms.Textarea)
    by_secretary = forms.BooleanField(label="书记代填", required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            # A member writing their own: no picker of others, nothing to mark 书记代填.
            del self.fields["member"], self.fields["by_secretary"]
        else:
            self.fields["member"].queryset = members


class AccountChoiceField(forms.ModelChoiceField):
    """A login by display name and the roles it holds here (never a phone or an ID)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles: dict[int, list[str]] = {}

    def label_from_instance(self, obj) -> str:
        return f"{obj} · {'、'.join(self.roles.get(obj.pk, []))}"


class AccountForm(forms.Form):
    account = AccountChoiceField(
        label="本人账号",
        queryset=None,
        error_messages={"invalid_choice": "请从列表中选择：本辖区内、还没有绑定其他党员的账号"},
    )

    def __init__(self, *args, accounts: list, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["account"]
        field.queryset = User.objects.filter(pk__in=[user.pk for user, _ in accounts]).order_by(
            "full_name", "username"
        )
        field.roles = {user.pk: labels for user, labels in accounts}


ASSIGN_CHOICES = [*AssignmentKind.choices, ("reserve", "感谢并备用")]


class AssignForm(forms.Form):
    kind = forms.ChoiceField(label="安排到", choices=ASSIGN_CHOICES)
    post = forms.ModelChoiceField(label="先锋岗/责任区", queryset=None, required=False)
    note = forms.CharField(label="说明（队伍、班次、任务）", max_length=200, required=False)

    def __init__(self, *args, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts


class PostForm(forms.Form):
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())
    kind = forms.ChoiceField(label="类型", choices=PostKind.choices)
    name = forms.CharField(label="名称", max_length=100)
    org = OrgChoiceField(label="党组织", queryset=None, required=False)
    description = forms.CharField(label="职责", max_length=200, required=False)

    def __init__(self, *args, nodes, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes.filter(is_active=True).order_by("path")
        self.fields["org"].queryset = orgs.filter(end_date__isnull=True)


class HolderForm(forms.Form):
    member = MemberChoiceField(label="党员", queryset=None)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        shown = people.resident_masked(obj.resident)
        return f"{shown['name']} · {obj.get_status_display()} · {obj.org.name}"


class OathForm(forms.Form):
    held_on = forms.DateField(label="宣誓日期", widget=DATE, initial=_today)
    place = forms.CharField(label="地点", max_length=100)
    attendees = MembersChoiceField(
        label="参加宣誓的党员和入党积极分子", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members

    def clean_attendees(self):
        return list(self.cleaned_data["attendees"])


class FlagForm(forms.Form):
    checkpoint_id = forms.TypedChoiceField(
        label="卡口", coerce=int, required=False, empty_value=None
    )
    name = forms.CharField(
        label="其他点位名称",
        max_length=100,
        required=False,
        help_text="不是卡口时填写：隔离点、排查组等",
    )
    since = forms.DateField(label="插旗日期", widget=DATE, initial=_today)

    def __init__(self, *args, checkpoints: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint_id"].choices = [("", "（不是卡口）"), *checkpoints]
