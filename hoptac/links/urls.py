from django.urls import path

from hoptac.links import views

app_name = "links"
urlpatterns = [
    path("", views.link_list, name="list"),
    path("new/<int:pk>/", views.link_create, name="create"),
    path("<int:pk>/end/", views.link_end, name="end"),
]
