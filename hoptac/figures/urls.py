from django.urls import path

from hoptac.figures import rubric_views, views

app_name = "figures"
urlpatterns = [
    path("review/", views.review_queue, name="review"),
    path("rubrics/", rubric_views.rubric_list, name="rubrics"),
    path("classify/", views.classify, name="classify"),
    path("<int:pk>/<year:year>/", views.figures_entry, name="entry"),
    path("<int:pk>/<year:year>/assessment/", views.assessment_view, name="assessment"),
    path("<int:pk>/<year:year>/<str:action>/", views.figures_action, name="action"),
]
