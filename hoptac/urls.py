from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from hoptac.accounts import views as account_views
from hoptac.core import views as core_views
from hoptac.registry import views as registry_views
from hoptac.trace import public as trace_public_views
from hoptac.trace.public import digital_link as trace_digital_link
from hoptac.trace.urls import public_patterns as trace_public

api_v1 = [
    path("", include("hoptac.geo.api")),
    path("", include("hoptac.registry.api")),
    # one line per domain app's API below
    path("", include("hoptac.figures.api")),
    path("", include("hoptac.indicators.api")),
    path("", include("hoptac.plans.api")),
    path("", include("hoptac.tasks.api")),
    path("", include("hoptac.reporting.api")),
    path("", include("hoptac.links.api")),
    path("", include("hoptac.ocop.api")),
    path("", include("hoptac.support.api")),
    path("", include("hoptac.dissolution.api")),
    path("", include("hoptac.training.api")),
    path("", include("hoptac.trace.api")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # the split view serves Swagger UI's start-up code as a file (no inline script: CSP)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("livez", core_views.livez, name="livez"),
    path("t/", include(trace_public)),  # early: a scanned label is the most frequent request
    path("jobs/", core_views.job_list, name="jobs"),
    path("jobs/<int:pk>/", core_views.job_detail, name="job"),
    path("jobs/<int:pk>/cancel/", core_views.job_cancel, name="job-cancel"),
    path("jobs/<int:pk>/download/", core_views.job_download, name="job-download"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("hoptac.geo.urls")),
    path("agencies/", include("hoptac.accounts.urls")),
    path("registry/", include("hoptac.registry.urls")),
    # one line per domain app's pages below
    path("figures/", include("hoptac.figures.urls")),
    path("plans/", include("hoptac.plans.urls")),
    path("indicators/", include("hoptac.indicators.urls")),
    path("tasks/", include("hoptac.tasks.urls")),
    path("reporting/", include("hoptac.reporting.urls")),
    path("links/", include("hoptac.links.urls")),
    path("imports/", include("hoptac.imports.urls")),
    path("support/", include("hoptac.support.urls")),
    path("dissolution/", include("hoptac.dissolution.urls")),
    path("ocop/", include("hoptac.ocop.urls")),
    path("training/", include("hoptac.training.urls")),
    path("trace/", include("hoptac.trace.urls")),
    path("media/trace/products/<str:name>", trace_public_views.product_image, name="product-image"),
    path("01/<str:gtin>/10/<str:lot>", trace_digital_link, name="trace-digital-link"),  # GS1 Digital Link
    path("01/<str:gtin>/10/<str:lot>/<path:rest>", trace_digital_link),
    path("api/v1/", include(api_v1)),
]

handler404 = "hoptac.core.api.page_not_found"

if settings.BREAK_GLASS_ADMIN:  # off by default: see core/admin.py
    urlpatterns.append(path("admin/", admin.site.urls))
