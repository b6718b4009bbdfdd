"""Forms for residents, search, unmasking, tags and roster uploads."""

from django import forms

from frontline.core.forms import NodeChoiceField
from frontline.core.models import Node
from frontline.people.models import NOTES_MAX, Relation, Tag


class ResidentForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号",
        max_length=40,
        help_text="18 位；全角、空格、短横线都可以，小写 x 会自动改为 X",
    )
    phone = forms.CharField(label="手机号", max_length=30, required=False)
    node = NodeChoiceField(label="所在村/网格", queryset=Node.objects.none())
    household_number = forms.CharField(
        label="户号", max_length=30, required=False, help_text="同一户的人填同一个户号"
    )
    relation = forms.ChoiceField(
        label="与户主关系", choices=[("", "—"), *Relation.choices], required=False
    )
    address = forms.CharField(label="住址", max_length=200, required=False)
    tags = forms.ModelMultipleChoiceField(
        label="标签",
        queryset=Tag.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTES_MAX
    )

    def __init__(self, *args, places, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = places
        if editing:
            # The form shows masks; a mask sent back means "unchanged".
            self.fields[
                "id_number"
            ].help_text = "显示为打码值；保持不变则不修改，更正时填写完整号码"
            self.fields["phone"].help_text = "显示为打码值；保持不变则不修改，清空则删除"


class SearchForm(forms.Form):
    q = forms.CharField(label="查找", required=False, max_length=40)
    node = forms.ModelChoiceField(label="村/网格", queryset=Node.objects.none(), required=False)
    tag = forms.ModelChoiceField(label="标签", queryset=Tag.objects.all(), required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = places


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label="查看理由",
        max_length=200,
        min_length=2,
        error_messages={"required": "请填写查看理由", "min_length": "查看理由至少 2 个字"},
    )


class TagForm(forms.Form):
    name = forms.CharField(label="新标签", max_length=20)
