"""Every page carries django-csp's policy, built once (core.middleware.CSPMiddleware)."""

from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from hoptac.core.middleware import CSPMiddleware


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_the_policy_is_django_csps_and_a_views_own_changes_still_apply():
    middleware = CSPMiddleware(lambda request: HttpResponse("ok"))
    for _ in range(2):  # built on the first response, reused on the next
        header = middleware(RequestFactory().get("/x"))["Content-Security-Policy"]
        assert directives(header) == directives(build_policy()) and "frame-ancestors 'none'" in header
    updated = HttpResponse("ok")
    updated._csp_update = {"img-src": ["https://tiles.example"]}  # what @csp_update sets
    header = CSPMiddleware(lambda request: updated)(RequestFactory().get("/x"))["Content-Security-Policy"]
    assert "https://tiles.example" in header
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert middleware(RequestFactory().get("/x"))["Content-Security-Policy"] == "default-src 'none'"


def test_a_response_that_sets_its_own_policy_keeps_it():
    own = HttpResponse("ok")
    own["Content-Security-Policy"] = "default-src 'none'"
    assert CSPMiddleware(lambda request: own)(RequestFactory().get("/x"))["Content-Security-Policy"] == (
        "default-src 'none'"
    )
