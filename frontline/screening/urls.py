from django.urls import path

from frontline.screening import views

app_name = "screening"

urlpatterns = [
    path("", views.board, name="board"),
    path("week/", views.week, name="week"),
    path("screened/", views.screened, name="screened"),
    path("records.xlsx", views.record_export, name="record_export"),
    path("new/", views.record_create, name="record_create"),
    path("records/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<int:pk>/photo/", views.record_photo, name="record_photo"),
    path("assignments/", views.assignment_list, name="assignments"),
    path("assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/<int:pk>/toggle/", views.checklist_toggle, name="checklist_toggle"),
    path("referrals/", views.referral_list, name="referrals"),
]
