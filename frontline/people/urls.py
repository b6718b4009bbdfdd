from django.urls import path

from frontline.core.staged_import.views import staged_import_urls
from frontline.people import views
from frontline.people.imports import RosterImporter

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
    # import/, import/template.xlsx, import/<pk>/, …/errors.xlsx, …/commit/
    *staged_import_urls(RosterImporter, "import/"),
]
