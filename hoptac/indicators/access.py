"""Which units a user may measure: those whose organisations all lie inside the user's scope."""

from hoptac.geo.models import AdministrativeUnit


def unit_allowed(user, unit: AdministrativeUnit | None) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_national:
        return True
    scope = user.scope_unit
    if scope is None or unit is None or user.role == "cooperative":
        return False
    if unit.pk == scope.pk:
        return True
    inner = set(AdministrativeUnit.objects.current_communes_covering(unit).values_list("pk", flat=True))
    outer = set(AdministrativeUnit.objects.current_communes_covering(scope).values_list("pk", flat=True))
    return bool(inner) and inner <= outer
