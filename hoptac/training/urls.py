from django.urls import path

from hoptac.training import views

app_name = "training"
urlpatterns = [
    path("", views.manager_list, name="list"),
    path("export.xlsx", views.manager_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.manager_export, {"fmt": "csv"}, name="export-csv"),
    path("new/<int:pk>/", views.manager_create, name="create"),
    path("managers/<int:pk>/", views.manager_detail, name="manager"),
    path("managers/<int:pk>/edit/", views.manager_edit, name="edit"),
    path("managers/<int:pk>/train/", views.training_create, name="train"),
    path("trainings/<int:pk>/delete/", views.training_delete, name="delete-training"),
]
