from django.urls import path

from hoptac.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("export.xlsx", views.organisation_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.organisation_export, {"fmt": "csv"}, name="export-csv"),
    path("new/", views.organisation_create, name="create"),
    path("new/former-communes/", views.former_communes, name="former-communes"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/edit/former-communes/", views.former_communes, name="edit-former-communes"),
    path("<int:pk>/status/", views.organisation_status, name="status"),
    path("<int:pk>/delete/", views.organisation_delete, name="delete"),
]
