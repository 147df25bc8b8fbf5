from django.urls import path

from hoptac.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("due/<int:pk>/submit/", views.submit, name="submit"),
    path("notifications/", views.notifications, name="notifications"),
    path("submissions/<int:pk>/document/", views.submission_document, name="submission-document"),
    path("obligations/<int:pk>/", views.obligation_detail, name="obligation"),
    path("information-updates/", views.information_updates, name="information-updates"),
    path(
        "information-updates/<int:pk>.xlsx", views.information_update_sheet, name="information-update-sheet"
    ),
    path(
        "information-updates/<int:pk>/record/",
        views.information_update_record,
        name="information-update-record",
    ),
    path("plan/<int:pk>/report/", views.report_draft, name="report-draft"),
    path("plan/<int:pk>/report/children/", views.report_children, name="report-children"),
    path("plan/<int:pk>/report.docx", views.report_download, {"fmt": "docx"}, name="report-docx"),
    path("plan/<int:pk>/report.xlsx", views.report_download, {"fmt": "xlsx"}, name="report-xlsx"),
]
