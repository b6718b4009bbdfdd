from django.urls import path

from frontline.checkpoints import views

app_name = "checkpoints"

urlpatterns = [
    path("", views.checkpoint_list, name="list"),
    path("new/", views.checkpoint_create, name="create"),
    path("unmanned/", views.unmanned, name="unmanned"),
    path("summary/", views.summary, name="summary"),
    path("manned/", views.manned, name="manned"),
    path("passers/", views.passers_all, name="passers_all"),
    path("templates/", views.template_list, name="templates"),
    path("<int:pk>/", views.checkpoint_detail, name="detail"),
    path("<int:pk>/edit/", views.checkpoint_edit, name="edit"),
    path("<int:pk>/log/", views.passer_log, name="log"),
    path("<int:pk>/passers/", views.passer_list, name="passers"),
    path("<int:pk>/passers.xlsx", views.passer_export, name="passer_export"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/check-out/", views.check_out, name="check_out"),
    path("<int:pk>/shifts/new/", views.shift_create, name="shift_create"),
    path("shifts/<int:pk>/members/", views.member_add, name="member_add"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
]
