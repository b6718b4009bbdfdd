from django.urls import path

from frontline.core.staged_import.views import staged_import_urls
from frontline.enterprises import views
from frontline.enterprises.imports import EnterpriseImporter

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    *staged_import_urls(EnterpriseImporter, "import/"),
    path("mine/", views.mine, name="mine"),
    path("mine/employees/", views.employees_mine, name="employees_mine"),
    path("register/", views.enterprise_register, name="register"),
    path("items/", views.items, name="items"),
    path("items/<int:pk>/toggle/", views.item_toggle, name="item_toggle"),
    path("gate/", views.gate, name="gate"),
    path("tickets/", views.tickets, name="tickets"),
    path("tickets/<int:pk>/resolve/", views.ticket_resolve, name="ticket_resolve"),
    path("policies/", views.policy_applications, name="policy_applications"),
    path("slots/", views.slots, name="slots"),
    path("appointments/<int:pk>/rebook/", views.appointment_rebook, name="appointment_rebook"),
    path("policies/<int:pk>/decide/", views.policy_decide, name="policy_decide"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/headcount/", views.headcount_record, name="headcount_record"),
    path("<int:pk>/application/", views.application, name="application"),
    path("<int:pk>/application/start/", views.application_start, name="application_start"),
    path("<int:pk>/employees/", views.employees, name="employees"),
    path("<int:pk>/tickets/new/", views.ticket_create, name="ticket_create"),
    path("<int:pk>/policies/apply/", views.policy_apply, name="policy_apply"),
    path("<int:pk>/appointments/book/", views.appointment_book, name="appointment_book"),
    path("applications/<int:pk>/items/<int:item_id>/", views.answer_save, name="answer_save"),
    path("answers/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path("applications/<int:pk>/return/", views.application_return, name="application_return"),
    path("applications/<int:pk>/approve/", views.application_approve, name="application_approve"),
    path("employees/<int:pk>/card/", views.card, name="card"),
    path("employees/<int:pk>/card/reissue/", views.card_reissue, name="card_reissue"),
]
