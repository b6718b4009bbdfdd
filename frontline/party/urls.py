from django.urls import path

from frontline.core.staged_import.views import staged_import_urls
from frontline.party import views
from frontline.party.imports import MemberImporter

app_name = "party"

urlpatterns = [
    path("", views.org_list, name="org_list"),
    path("new/", views.org_create, name="org_create"),
    path("<int:pk>/", views.org_detail, name="org_detail"),
    path("<int:pk>/end/", views.org_end, name="org_end"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("<int:pk>/calls/new/", views.call_create, name="call_create"),
    path("<int:pk>/oaths/", views.oath_list, name="oath_list"),
    path("<int:pk>/oaths/new/", views.oath_create, name="oath_create"),
    path("<int:pk>/flags/new/", views.flag_create, name="flag_create"),
    path("flags/", views.flag_list, name="flag_list"),
    path("members/", views.member_list, name="member_list"),
    # members/import/, …/template.xlsx, …/<pk>/, …/errors.xlsx, …/commit/
    *staged_import_urls(MemberImporter, "members/import/"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/account/", views.member_account, name="member_account"),
    path(
        "members/<int:pk>/account/unlink/",
        views.member_account_unlink,
        name="member_account_unlink",
    ),
    path("calls/", views.call_list, name="call_list"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/pledge/", views.pledge_create, name="pledge_create"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/<int:pk>/assign/", views.pledge_assign, name="pledge_assign"),
    path("posts/", views.post_list, name="post_list"),
    path("posts/new/", views.post_create, name="post_create"),
    path("posts/<int:pk>/holders/", views.post_holder_add, name="post_holder_add"),
]
