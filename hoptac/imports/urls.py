from django.urls import path

from hoptac.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/undo/", views.batch_undo, name="undo"),
]
