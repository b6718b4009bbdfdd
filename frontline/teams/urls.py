from django.urls import path

from frontline.teams import views

app_name = "teams"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_create, name="create"),
    path("kinds/", views.kind_list, name="kinds"),
    path("volunteers/", views.volunteer_list, name="volunteers"),
    path("volunteers/resident/<int:pk>/", views.volunteer_resident, name="volunteer_resident"),
    path("volunteers/user/<int:pk>/", views.volunteer_user, name="volunteer_user"),
    path("<int:pk>/", views.team_detail, name="detail"),
    path("<int:pk>/members/", views.member_add, name="member_add"),
    path("<int:pk>/vehicles/", views.vehicle_add, name="vehicle_add"),
    path("<int:pk>/log/", views.activity_log, name="activity_log"),
]
