from django.urls import path

from hoptac.accounts import agency_views

app_name = "agencies"
urlpatterns = [
    path("", agency_views.agency_list, name="list"),
    path("<int:pk>/", agency_views.agency_detail, name="detail"),
]
