from django.urls import path

from hoptac.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/attach/", views.plan_attach, name="attach"),
    path("<int:pk>/map.json", views.plan_map, name="map"),
]
