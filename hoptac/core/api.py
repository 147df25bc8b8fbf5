"""API plumbing shared by every app: pagination shape and error responses."""

import json
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, parsers

from hoptac.core.services import Conflict


class Pagination(pagination.PageNumberPagination):
    """`{"count": N, "next": …, "previous": …, "results": [...]}`; `page_size` up to 1000."""

    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """`page_size` from 1 to 1000, else a 400 (DRF would silently use another size)."""
        from hoptac.core.validation import query_int

        size = query_int(request.query_params, self.page_size_query_param, maximum=self.max_page_size)
        return size if size is not None else self.page_size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters


if TYPE_CHECKING:  # the mixin goes on DRF views: type it as one, without changing its bases
    from rest_framework.generics import GenericAPIView as _ViewBase
else:
    _ViewBase = object


class ActorMixin(_ViewBase):
    """Gives serializers the Actor (user, source "api", request id) that the services audit."""

    def get_serializer_context(self):
        from hoptac.core.audit import Actor
        from hoptac.core.models import Source

        return {**super().get_serializer_context(), "actor": Actor.from_request(self.request, Source.API)}


def validation_error_detail(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [
                str(m) for e in errors for m in e.messages
            ]
            for field, errors in error.error_dict.items()
        }
    return {"non_field_errors": [str(m) for m in error.messages]}


def exception_handler(exc, context):
    """Model validation raised by a service becomes a 400 that names the field, like DRF's own."""
    if isinstance(exc, Conflict):
        exc = exceptions.APIException(str(exc))
        exc.status_code = 409
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES (this module's JSONParser)
    # when it is first imported, so importing it at the top made a cycle whenever DRF's own
    # system check happened to load this module first (the order of checks is a set's).
    from rest_framework.views import exception_handler as drf_exception_handler

    return error_body(drf_exception_handler(exc, context), exc)


STATUS_CODES = {409: "conflict", 412: "precondition_failed", 428: "precondition_required"}


def error_body(response, exc):
    """Every 4xx in one shape: `{"error": code, "detail"?: text, "<field>": [messages]}`.

    Nested field errors are flattened to paths (`items[0].quantity`), so each key maps to strings;
    `error` is the machine code (`invalid`, `not_found`, `permission_denied`, `conflict`, …).
    """
    if response is None or not isinstance(response.data, dict | list):
        return response
    code = getattr(exc, "default_code", "error")
    if code == "error":
        code = STATUS_CODES.get(response.status_code, "error")
    if isinstance(exc, exceptions.ValidationError):
        code = "invalid"
    data = response.data
    if isinstance(data, list):
        data = {"non_field_errors": data}
    body = {"error": code}
    for key, value in data.items():
        if key == "detail" and not isinstance(value, list | dict):
            body["detail"] = str(value)
        else:
            body.update(_flatten(str(key), value))
    response.data = body
    return response


def _flatten(path: str, value) -> dict[str, list[str]]:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(key, int):  # a ListField's errors are keyed by position
                out.update(_flatten(f"{path}[{key}]", item))
            else:
                out.update(_flatten(f"{path}.{key}" if path else str(key), item))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = {}
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                if item:
                    out.update(_flatten(f"{path}[{index}]", item))
            else:
                out.setdefault(path, []).append(str(item))
        return out
    if isinstance(value, list):
        return {path: [str(v) for v in value]}
    return {path: [str(value)]}


def page_not_found(request, exception=None):
    """handler404: a URL under /api/ that names nothing gets the API's error body, not the HTML page."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        return JsonResponse({"error": "not_found", "detail": _("Not found.")}, status=404)
    from django.shortcuts import render

    from hoptac.core.http import NotFound

    # Django's own page would show the exception's text (model names, "Resolver404"): only a
    # message written for the reader is shown (core.http.NotFound), and the address asked for.
    message = str(exception) if isinstance(exception, NotFound) else ""
    return render(request, "404.html", {"message": message, "request_path": request.path}, status=404)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a NUL character anywhere (PostgreSQL stores none: a 500 there)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if "\\u0000" in json.dumps(data):
            raise exceptions.ParseError(_("The body contains a NUL character."))
        return data
