"""The API's side of hoptac.accounts.access: writes need a role that may change records."""

from rest_framework import permissions

from hoptac.accounts.access import ACTIONS, role_allows


class ChangeOrReadOnly(permissions.BasePermission):
    """Reads for every signed-in user (rows come from `restrict`); writes need a write role, else 403.

    On one row the check waits until the row is found in the user's restricted queryset, so an
    outsider gets 404 for a row of another area whatever the method, as in the UI. The rows a
    write may touch are then decided by the service's `require`.
    """

    message = ACTIONS["change"]

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        return lookup in getattr(view, "kwargs", {}) or role_allows(request.user, "change")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or role_allows(request.user, "change")
