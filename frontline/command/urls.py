from django.urls import path

from frontline.command import views

app_name = "command"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("screen/", views.big_screen, name="screen"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report/wording/", views.wording, name="wording"),
]
