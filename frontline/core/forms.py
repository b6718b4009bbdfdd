"""Forms for the tree, users and roles; choices are limited to what the user manages."""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from frontline.core.models import ALLOWED_PARENT_KINDS, Node, NodeKind, User
from frontline.core.roles import role_choices


def form_add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one."""
    if hasattr(error, "error_dict"):
        for field_name, errors in error.message_dict.items():
            form.add_error(field_name if field_name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def idempotency_key_new() -> str:
    """A fresh key rendered into a form, so that a double tap or a resend stores one record."""
    return uuid.uuid4().hex


def form_submit(request, form: forms.Form, save):
    """For a valid POST, run `save(cleaned_data)` (a service call) and return its result;
    a ValidationError from the service lands on the form. None when nothing was saved."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as error:
        form_add_errors(form, error)
        return None


def form_status(request) -> int:
    """422 for a POST that comes back to its form (it was refused), 200 for a GET."""
    return 422 if request.method == "POST" else 200


T = TypeVar("T")


def action_submit(
    request, action: Callable[[], T], success: str | Callable[[T], str], refused: str = ""
) -> T | None:
    """Run a POST-only action (check in, hand over, accept, release) that has no form to
    come back to: its success, or the service's refusal in Chinese, becomes the message
    on the page the view redirects to. None when it was refused."""
    try:
        result = action()
    except ValidationError as error:
        messages.error(request, refused + "；".join(error.messages))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


def form_refusal(form: forms.Form) -> str:
    """A refused form's messages on one line, for a page with no room beside the fields."""
    return "；".join(message for errors in form.errors.values() for message in errors)


def form_action_submit(
    request,
    form: forms.Form,
    action: Callable[[dict], T],
    success: str | Callable[[T], str],
    refused: str = "",
    invalid: str = "",
) -> T | None:
    """A POST-only action with a small form of its own (a note, a reason, a member to add):
    as `action_submit`, with `action(cleaned_data)`. A form that does not validate is
    refused in the message with `invalid`, or with its own messages; nothing is run."""
    if not form.is_valid():
        messages.error(request, invalid or form_refusal(form))
        return None
    return action_submit(request, lambda: action(form.cleaned_data), success, refused)


def node_label(node: Node) -> str:
    return f"{'　' * node.depth}{node.name}（{node.get_kind_display()}）"


class NodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Node) -> str:
        return node_label(obj)


class NodeCreateForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=())
    name = forms.CharField(label="名称", max_length=100)

    def __init__(self, *args, parent: Node, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind.value, kind.label)
            for kind in NodeKind
            if parent.kind in ALLOWED_PARENT_KINDS[kind]
        ]


class NodeRenameForm(forms.Form):
    name = forms.CharField(label="新名称", max_length=100)


class NodeMoveForm(forms.Form):
    parent = NodeChoiceField(label="移到", queryset=Node.objects.none())

    def __init__(self, *args, node: Node, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        low, high = node.bounds
        self.fields["parent"].queryset = (
            candidates.filter(kind__in=[k for k in ALLOWED_PARENT_KINDS[node.kind] if k])
            .exclude(path__gte=low, path__lt=high)
            .exclude(pk=node.parent_id)
            .order_by("path")
        )


class NodeImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx 或 .csv）")


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=role_choices)
    node = NodeChoiceField(label="所在辖区", queryset=Node.objects.none())

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()
        self.fields["node"].queryset = nodes.filter(is_active=True).order_by("path")


class UserCreateForm(RoleAssignForm):
    username = forms.CharField(label="登录名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)

    field_order = ["username", "full_name", "password", "role", "node"]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("登录名已被使用")
        return username

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class AuditFilterForm(forms.Form):
    action = forms.CharField(label="操作", required=False)
    actor = forms.CharField(label="操作人", required=False)
    object_type = forms.CharField(label="对象类型", required=False)
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
