from django.urls import path

from frontline.errands import views

app_name = "errands"

urlpatterns = [
    path("", views.errand_list, name="list"),
    path("mine/", views.errand_mine, name="mine"),
    path("overdue/", views.errand_overdue, name="overdue"),
    path("done/", views.errand_done, name="done"),
    path("<int:pk>/", views.errand_detail, name="detail"),
    path("<int:pk>/claim/", views.errand_claim, name="claim"),
    path("<int:pk>/bought/", views.errand_bought, name="bought"),
    path("<int:pk>/deliver/", views.errand_deliver, name="deliver"),
    path("<int:pk>/phone/", views.errand_phone, name="phone"),
    path("<int:pk>/confirm/", views.errand_confirm, name="confirm"),
    path("<int:pk>/settle/", views.errand_settle, name="settle"),
    path("<int:pk>/cancel/", views.errand_cancel, name="cancel"),
    path("<int:pk>/receipt/", views.errand_receipt, name="receipt"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("households/<int:pk>/ask/", views.household_ask, name="ask"),
    path("households/<int:pk>/qr/", views.household_qr, name="qr"),
    path("households/<int:pk>/renew/", views.household_renew, name="renew"),
    path("households/<int:pk>/series/", views.series_start, name="series_start"),
    path("series/<int:pk>/stop/", views.series_stop, name="series_stop"),
    # The household's own page, opened by its QR code (no login).
    path("h/open/", views.household_open, name="household_open"),
    path("h/", views.household_page, name="household_page"),
    path("h/confirm/", views.household_confirm, name="household_confirm"),
    path("h/cancel/", views.household_cancel, name="household_cancel"),
]
