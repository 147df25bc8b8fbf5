"""Sign in and out, in Vietnamese, with two brakes on guessing passwords.

django-axes locks a user name after AXES_FAILURE_LIMIT failures, from whatever addresses
(stored in the database, so every app server sees it). Here, an address that fails more than
LOGIN_FAILURES_PER_ADDRESS times in 15 minutes over any user names is refused for the rest of
that window (one password tried against many names), counted in the shared "ratelimit" cache.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from hoptac.core import http

WINDOW_SECONDS = 15 * 60


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if (
            http.count("login-fail", http.client_address(request), WINDOW_SECONDS)
            >= settings.LOGIN_FAILURES_PER_ADDRESS
        ):
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        http.hit("login-fail", http.client_address(self.request), WINDOW_SECONDS)
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    pass
