from django.urls import path

from hoptac.ocop import views

app_name = "ocop"
urlpatterns = [
    path("", views.product_list, name="list"),
    path("export.xlsx", views.product_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.product_export, {"fmt": "csv"}, name="export-csv"),
    path("new/<int:pk>/", views.product_create, name="create"),
    path("<int:pk>/", views.product_detail, name="detail"),
    path("<int:pk>/edit/", views.product_edit, name="edit"),
    path("<int:pk>/delete/", views.product_delete, name="delete"),
]
