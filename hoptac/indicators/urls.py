from django.urls import path, re_path

from hoptac.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("unit/", views.unit_dashboard_pick, name="unit-pick"),
    re_path(r"^unit/(?P<ref>(?:old:)?\d{2,5})/$", views.unit_dashboard, name="unit"),
    path("<str:code>/", views.indicator_detail, name="detail"),
    path("<str:code>/map.json", views.indicator_map, name="map"),
]
