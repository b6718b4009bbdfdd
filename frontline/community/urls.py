from django.urls import path

from frontline.community import views

app_name = "community"

urlpatterns = [
    path("", views.home, name="home"),
    path("publicity/", views.publicity_list, name="publicity"),
    path("publicity/new/", views.publicity_new, name="publicity_new"),
    path("family-events/", views.family_event_list, name="family_events"),
    path("family-events/new/", views.family_event_new, name="family_event_new"),
    path("care-visits/", views.care_visit_list, name="care_visits"),
    path("care-visits/new/", views.care_visit_new, name="care_visit_new"),
    path("care-visits/<int:pk>/errand/", views.care_visit_errand, name="care_visit_errand"),
    path(
        "care-visits/<int:pk>/five-services/", views.care_visit_service, name="care_visit_service"
    ),
    path("care-volunteers/", views.care_volunteer_list, name="care_volunteers"),
    path("family-help/", views.family_help_list, name="family_help"),
    path("family-help/new/", views.family_help_new, name="family_help_new"),
    path("exemplars/", views.exemplar_list, name="exemplars"),
    path("exemplars/new/", views.exemplar_new, name="exemplars_new"),
]
