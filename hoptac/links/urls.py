from django.urls import path

from hoptac.links import views

app_name = "links"
urlpatterns = [
    path("", views.link_list, name="list"),
    path("export.xlsx", views.link_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.link_export, {"fmt": "csv"}, name="export-csv"),
    path("new/<int:pk>/", views.link_create, name="create"),
    path("<int:pk>/", views.link_detail, name="detail"),
    path("<int:pk>/edit/", views.link_edit, name="edit"),
    path("<int:pk>/end/", views.link_end, name="end"),
    path("<int:pk>/delete/", views.link_delete, name="delete"),
]
