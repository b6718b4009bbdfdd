from django.urls import path

from frontline.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.inspection_list, name="inspections"),
    path("new/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/flagged/", views.finding_flagged_list, name="findings_flagged"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/reinspect/", views.finding_reinspect, name="finding_reinspect"),
    path("findings/<int:pk>/photo/<str:which>/", views.finding_photo, name="finding_photo"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<int:pk>/", views.group_edit, name="group_edit"),
    path("rubrics/", views.rubric_list, name="rubrics"),
    path("rubrics/new/", views.rubric_new, name="rubric_new"),
    path("rubrics/<int:pk>/", views.rubric_edit, name="rubric_edit"),
    path("rankings/", views.ranking_board, name="rankings"),
    path("rankings/weights/", views.ranking_weights, name="ranking_weights"),
    path("rankings/publish/", views.ranking_publish, name="ranking_publish"),
    path("rankings/<int:pk>/", views.ranking_detail, name="ranking_detail"),
    path("honours/", views.honour_list, name="honours"),
    path("cadre-records/", views.cadre_record_list, name="cadre_records"),
    path("cadre-records/new/", views.cadre_record_new, name="cadre_record_new"),
    path("duty/", views.duty_list, name="duty"),
    path("duty/new/", views.duty_new, name="duty_new"),
]
