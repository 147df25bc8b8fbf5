"""The OpenAPI document as the API behaves: public descriptions only, one error body, every status.

- Descriptions come from a view's (or action's) own docstring, never one inherited from a mixin
  (ActorMixin's "Gives serializers the Actor…" used to describe 48 endpoints).
- Every 4xx the API can answer is documented with the one `Error` body that
  `hoptac.core.api.exception_handler` produces.
"""

import inspect

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter

from hoptac.core.validation import MAX_YEAR, MIN_YEAR

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every 4xx answer. `error` is a machine code (`invalid`, `parse_error`, `not_authenticated`, "
        "`authentication_failed`, `permission_denied`, `not_found`, `method_not_allowed`, `conflict`, "
        "`precondition_failed`, `unsupported_media_type`, `throttled`…); `detail` a sentence for people; "
        "any other key is a field (nested ones as `items[0].quantity`, the whole request as "
        "`non_field_errors`) mapped to its messages."
    ),
    "properties": {
        "error": {"type": "string", "example": "invalid"},
        "detail": {"type": "string"},
        "warnings": {
            "type": "object",
            "description": "With `error` `unconfirmed_warnings` (annual figures): warnings by field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["error"],
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"error": "invalid", "registration_date": ["Ngày đăng ký không được ở tương lai."]},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}

# Which error answers an operation may give, by method (all of them: 401 without a token, 403 for
# a role that cannot, 404 for a record outside one's area or a page past the end, 400 for a bad
# parameter; writes add 409 for a state conflict and 415 for a body that is not JSON or a form).
COMMON_ERRORS = {
    "400": "Invalid parameters or body.",
    "401": "No or a wrong token.",
    "403": "The account cannot do this.",
    "404": "No such record in the account's area (or a page past the end).",
}
WRITE_ERRORS = {"409": "The record's state does not allow it.", "415": "The body is not JSON nor a form."}


class AutoSchema(SpectacularAutoSchema):
    def get_description(self):  # type: ignore[override]  # drf-spectacular's signature, not DRF's
        """The docstring of the view's own class or of its own action method; inherited ones are internal."""
        view_class = type(self.view)
        action = getattr(self.view, getattr(self.view, "action", None) or self.method.lower(), None)
        function = getattr(action, "__func__", action)
        qualname = getattr(function, "__qualname__", "")
        doc = function.__doc__ if qualname.startswith(f"{view_class.__name__}.") else None
        return inspect.cleandoc(doc or view_class.__dict__.get("__doc__") or "")


def add_error_responses(result, generator, request, public):
    """POSTPROCESSING_HOOKS: the Error component and the 4xx answers on every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(COMMON_ERRORS)
            if method in ("post", "put", "patch", "delete"):
                errors.update(WRITE_ERRORS)
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}
                )
    return result


YEAR_PARAMETER = OpenApiParameter(
    "year",
    {"type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR},
    required=True,
    description="A year.",
)
