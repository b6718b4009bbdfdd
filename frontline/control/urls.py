from django.urls import path

from frontline.control import views
from frontline.control.lead_import import LeadListImporter
from frontline.core.staged_import.views import staged_import_urls

app_name = "control"

urlpatterns = [
    path("", views.key_person_list, name="key_person_list"),
    path("export.xlsx", views.key_person_export, name="key_person_export"),
    path("rounds/sheet.xlsx", views.reading_export, name="reading_export"),
    path("overdue.xlsx", views.overdue_export, name="overdue_export"),
    path("alerts.xlsx", views.alert_export, name="alert_export"),
    path("new/", views.key_person_find_resident, name="key_person_find_resident"),
    path("new/<int:resident_pk>/", views.key_person_register, name="key_person_register"),
    path("<int:pk>/", views.key_person_detail, name="key_person_detail"),
    path("<int:pk>/control/", views.key_person_control, name="key_person_control"),
    path("<int:pk>/note/", views.key_person_note, name="key_person_note"),
    path("<int:pk>/close/", views.key_person_close, name="key_person_close"),
    path("<int:pk>/id-number/", views.key_person_identify, name="key_person_identify"),
    path("<int:pk>/isolate/", views.isolation_start, name="isolation_start"),
    path("isolations/<int:pk>/six/", views.isolation_six, name="isolation_six"),
    path("isolations/<int:pk>/release/", views.isolation_release, name="isolation_release"),
    path("isolations/<int:pk>/end/", views.isolation_end, name="isolation_end"),
    path("referrals/<int:pk>/", views.referral_accept, name="referral_accept"),
    # import/, import/template.xlsx, import/<pk>/, …/errors.xlsx, …/commit/
    *staged_import_urls(LeadListImporter, "import/"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_reading, name="round_reading"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/<int:pk>/", views.alert_handle, name="alert_handle"),
    path("overdue/", views.overdue_list, name="overdue_list"),
    path("readings/", views.reading_list, name="reading_list"),
    path("gaps/", views.gap_list, name="gap_list"),
    path("services/", views.service_list, name="service_list"),
    path("lists/", views.list_settings, name="list_settings"),
]
