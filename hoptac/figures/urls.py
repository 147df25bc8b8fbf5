from django.urls import path

from hoptac.figures import views

app_name = "figures"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("<int:pk>/<int:year>/", views.figures_entry, name="entry"),
    path("<int:pk>/<int:year>/assessment/", views.assessment_view, name="assessment"),
    path("<int:pk>/<int:year>/<str:action>/", views.figures_action, name="action"),
]
