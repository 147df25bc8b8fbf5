"""The API's side of hoptac.accounts.access: writes need a role that may change records."""

from rest_framework import permissions

from hoptac.accounts.access import ACTIONS, role_allows


class ChangeOrReadOnly(permissions.BasePermission):
    """Reads for every signed-in user (rows come from `restrict`); writes need a write role, else 403.

    The rows a write may touch are decided by the service's `require` (outside the area: 404 or 403).
    """

    message = ACTIONS["change"]

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or role_allows(request.user, "change")
