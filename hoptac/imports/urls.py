from django.urls import path, re_path

from hoptac.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("batch/<int:pk>/undo/", views.batch_undo, name="undo"),
    path("template/<str:kind>.xlsx", views.template_download, name="template"),
    re_path(r"^export/(?P<ref>(?:old:)?\d{2,5})\.xlsx$", views.unit_export, name="unit-export"),
]
