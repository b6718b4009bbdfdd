from django.urls import path

from frontline.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("nodes/", views.node_list, name="node_list"),
    path("nodes/import/", views.node_import, name="node_import"),
    path("nodes/import/template.xlsx", views.node_import_template, name="node_import_template"),
    path("nodes/<int:pk>/", views.node_detail, name="node_detail"),
    path("nodes/<int:pk>/below/", views.node_below, name="node_below"),
    path("nodes/<int:pk>/new/", views.node_create, name="node_create"),
    path("nodes/<int:pk>/rename/", views.node_rename, name="node_rename"),
    path("nodes/<int:pk>/move/", views.node_move, name="node_move"),
    path("nodes/<int:pk>/active/", views.node_set_active, name="node_set_active"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password_change"),
    path("account/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign_out_everywhere"),
    path("audit/", views.audit_list, name="audit_list"),
]
