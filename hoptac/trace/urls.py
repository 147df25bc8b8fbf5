from django.urls import path

from hoptac.trace import public, views

app_name = "trace"
urlpatterns = [
    path("", views.lot_list, name="list"),
    path("export.xlsx", views.lot_export, {"fmt": "xlsx"}, name="export-xlsx"),
    path("export.csv", views.lot_export, {"fmt": "csv"}, name="export-csv"),
    path("products/new/<int:pk>/", views.product_create, name="product-create"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product-edit"),
    path("products/<int:pk>/lots/new/", views.lot_create, name="lot-create"),
    path("lots/<int:pk>/", views.lot_detail, name="lot"),
    path("lots/<int:pk>/events/new/", views.event_create, name="event-create"),
    path("lots/<int:pk>/labels.svg", views.lot_labels, name="labels"),
    path("lots/<int:pk>/epcis.jsonld", views.lot_epcis, name="epcis"),
]

# Public: mounted at /t/ (short, for QR codes).
public_patterns = (
    [
        path("<str:code>/", public.lot_page, name="lot"),
        path("<str:code>/qr.svg", public.lot_qr, name="qr"),
    ],
    "trace-public",
)
