"""A request id that ties a request's audit entries together."""

import uuid

import csp.constants
import csp.middleware
import csp.utils


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-Id"] = request.request_id
        return response


class LanguageMiddleware:
    """Vietnamese unless the user chose another language (cookie set by /i18n/setlang/).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials'
    browsers say English; the product is Vietnamese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class SessionLifetimeMiddleware:
    """Signs a user out SESSION_MAX_SECONDS after sign-in, however active the session is.

    The idle timeout is Django's own (SESSION_COOKIE_AGE renewed on every request); a stolen or
    forgotten session on a shared office computer must still end the same day.
    """

    KEY = "hoptac_signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.conf import settings
        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            started = session.get(self.KEY)
            now = int(time.time())
            if started is None:
                session[self.KEY] = now
            elif now - started > settings.SESSION_MAX_SECONDS:
                logout(request)
        del user
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL character in the path or query is a 400: PostgreSQL cannot store or compare it (a 500 there)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            from django.http import HttpResponse, JsonResponse
            from django.utils.translation import gettext as _

            message = _("The address contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"error": "invalid", "detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


_CSP_PARTS = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's, with the policy of a response that changes nothing (no csp_* decorator, no
    nonce asked for) built once per process and settings: it rebuilt the same header from the
    settings on every response, a tenth of the time of a stored public page or of /livez.
    Any other response goes through django-csp itself."""

    _plain: tuple = (None, "", "")

    def _plain_policies(self, settings) -> tuple[str, str]:
        key = tuple(
            id(getattr(settings, name, None))
            for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
        )
        if self._plain[0] != key:
            self._plain = (key, csp.utils.build_policy(), csp.utils.build_policy(report_only=True))
        return self._plain[1:]

    def process_response(self, request, response):
        from django.conf import settings

        if (
            getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in _CSP_PARTS)
            or (response.status_code in (500, 404) and settings.DEBUG)
        ):
            return super().process_response(request, response)
        for header, policy, exempt, setting in zip(
            (csp.constants.HEADER, csp.constants.HEADER_REPORT_ONLY),
            self._plain_policies(settings),
            ("_csp_exempt", "_csp_exempt_ro"),
            ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            strict=True,
        ):
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes))
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
