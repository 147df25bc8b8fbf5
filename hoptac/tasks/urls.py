from django.urls import path

from hoptac.tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("<int:pk>/", views.task_detail, name="detail"),
    path("updates/<int:pk>/evidence/", views.evidence, name="evidence"),
]
