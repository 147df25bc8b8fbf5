from django.urls import path, re_path

from hoptac.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("pick/", views.unit_pick, name="pick"),
    re_path(r"^(?P<ref>(?:old:)?\d{2,5}(?:@[0-9/-]{8,10})?)/$", views.unit_detail, name="detail"),
]
