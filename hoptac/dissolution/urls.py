from django.urls import path

from hoptac.dissolution import views

app_name = "dissolution"
urlpatterns = [
    path("", views.backlog, name="backlog"),
    path("open/<int:pk>/", views.open_case, name="open"),
    path("case/<int:pk>/", views.case_detail, name="case"),
]
