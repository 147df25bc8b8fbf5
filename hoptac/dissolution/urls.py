from django.urls import path

from hoptac.dissolution import views

app_name = "dissolution"
urlpatterns = [
    path("", views.backlog, name="backlog"),
    path("export.xlsx", views.backlog_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.backlog_export, {"fmt": "csv"}, name="export-csv"),
    path("open/<int:pk>/", views.open_case, name="open"),
    path("case/<int:pk>/", views.case_detail, name="case"),
    path("case/<int:pk>/step/", views.case_step, name="step"),
    path("case/<int:pk>/close/", views.case_close, name="close"),
    path("mergers/", views.merger_list, name="mergers"),
    path("mergers/<int:pk>/", views.merger_detail, name="merger"),
    path("merge-into/<int:pk>/", views.merger_create, name="merge"),
]
