from django.urls import path

from hoptac.support import views

app_name = "support"
urlpatterns = [path("", views.support_list, name="list")]
