from django.urls import path

from hoptac.support import views

app_name = "support"
urlpatterns = [
    path("", views.support_list, name="list"),
    path("export.xlsx", views.support_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.support_export, {"fmt": "csv"}, name="export-csv"),
    path("new/<int:pk>/", views.support_create, name="create"),
    path("<int:pk>/", views.support_detail, name="detail"),
    path("<int:pk>/edit/", views.support_edit, name="edit"),
    path("<int:pk>/delete/", views.support_delete, name="delete"),
]
