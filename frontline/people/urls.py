from django.urls import path

from frontline.people import import_views, views

app_name = "people"

urlpatterns = [
    path("", views.resident_list, name="list"),
    path("new/", views.resident_create, name="create"),
    path("export.xlsx", views.resident_export, name="export"),
    path("tags/", views.tag_list, name="tags"),
    path("<int:pk>/", views.resident_detail, name="detail"),
    path("<int:pk>/edit/", views.resident_edit, name="edit"),
    path("<int:pk>/unmask/", views.resident_unmask, name="unmask"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/errors.xlsx", import_views.import_errors, name="import_errors"),
    path("import/<int:pk>/commit/", import_views.import_commit, name="import_commit"),
]
