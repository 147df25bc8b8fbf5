from django.urls import path

from hoptac.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("due/<int:pk>/submit/", views.submit, name="submit"),
    path("notifications/", views.notifications, name="notifications"),
    path("submissions/<int:pk>/document/", views.submission_document, name="submission-document"),
    path("plan/<int:pk>/report/", views.report_draft, name="report-draft"),
    path("plan/<int:pk>/report/children/", views.report_children, name="report-children"),
    path("plan/<int:pk>/report.docx", views.report_download, {"fmt": "docx"}, name="report-docx"),
    path("plan/<int:pk>/report.xlsx", views.report_download, {"fmt": "xlsx"}, name="report-xlsx"),
]
