"""`/api/v1/indicators/`: the documented library, and values for any unit and year."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from hoptac.accounts import access
from hoptac.core import numbers, serializers
from hoptac.geo.fields import resolve_ref
from hoptac.indicators.library import INDICATORS


def describe(indicator) -> dict:
    return {
        "code": indicator.code,
        "name": str(indicator.name),
        "unit": indicator.unit,
        "definition": str(indicator.definition),
        "numerator": str(indicator.numerator),
        "denominator": str(indicator.denominator),
        "sources": str(indicator.sources),
        "edge_cases": str(indicator.edge_cases),
        "judgement": str(indicator.judgement),
        "kinds": list(indicator.kinds),
    }


def measure_data(measure, unit: str = "count") -> dict:
    """The value at full precision, its half-up rounding and display, and its coverage."""
    return {
        "value": measure.value,
        "rounded": numbers.rounded(measure.value, numbers.display_places(unit)),
        "display": numbers.value(measure.value, unit),
        "numerator": float(measure.numerator),
        "denominator": float(measure.denominator) if measure.denominator is not None else None,
        "coverage": measure.coverage.as_dict(),
    }


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    definition = serializers.CharField()
    numerator = serializers.CharField()
    denominator = serializers.CharField(allow_blank=True)
    sources = serializers.CharField(allow_blank=True)
    edge_cases = serializers.CharField(allow_blank=True)
    judgement = serializers.CharField(allow_blank=True)
    kinds = serializers.ListField(child=serializers.CharField())


class IndicatorListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = IndicatorSerializer(many=True)


class MeasureSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    numerator = serializers.FloatField()
    denominator = serializers.FloatField(allow_null=True)


class ChildValueSerializer(MeasureSerializer):
    unit = serializers.CharField()
    name = serializers.CharField()


class RubricBasisItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    local = serializers.BooleanField()


class RubricBasisSerializer(serializers.Serializer):
    rubrics = RubricBasisItemSerializer(many=True)
    national_rubric_in_force = serializers.CharField(allow_null=True)


class ValuesSerializer(MeasureSerializer):
    indicator = serializers.CharField()
    unit = serializers.CharField(allow_null=True, help_text="null: the whole country.")
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    children = ChildValueSerializer(many=True, required=False, help_text="With ?breakdown=children.")
    basis = RubricBasisSerializer(
        required=False, help_text="Grade-share indicators: the rubrics behind the year's grades."
    )


class IndicatorListView(APIView):
    """The documented indicator library: definition, numerator, denominator, sources, edge cases."""

    @extend_schema(responses=IndicatorListSerializer)
    def get(self, request):
        items = [describe(i) for i in INDICATORS.values()]
        return Response({"count": len(items), "results": items})


class QuerySerializer(serializers.Serializer):
    unit = serializers.CharField(required=False)
    year = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    period_start = serializers.IntegerField(required=False, min_value=1990, max_value=2100)
    breakdown = serializers.ChoiceField(choices=["children"], required=False)


def resolve_unit(request, ref):
    """The unit named by `ref` (None for the whole country), refused outside the user's scope."""
    unit = None
    if ref:
        try:
            unit = resolve_ref(ref)
        except ValidationError as exc:
            raise serializers.ValidationError({"unit": exc.messages}) from exc
    elif not request.user.is_national:
        unit = request.user.scope_unit
    access.require(request.user, "measure_unit", unit)
    return unit


class IndicatorValuesView(APIView):
    """An indicator's value for a unit (default: the account's area) and year, optionally per child unit."""

    @extend_schema(parameters=[QuerySerializer], responses=ValuesSerializer)
    def get(self, request, code):
        indicator = INDICATORS.get(code)
        if indicator is None:
            raise Http404
        params = QuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        unit = resolve_unit(request, params.validated_data.get("unit"))
        year = params.validated_data.get("year") or timezone.localdate().year - 1
        start = params.validated_data.get("period_start")
        data = {
            "indicator": code,
            "unit": unit.ref if unit else None,
            "unit_name": unit.name if unit else "Việt Nam",
            "year": year,
            **measure_data(indicator.measure(unit, year, start), indicator.unit),
        }
        if hasattr(indicator, "basis"):
            data["basis"] = indicator.basis(year)  # the rubric behind grade shares (TT 01/2020 lapsed 2025)
        if params.validated_data.get("breakdown") == "children":
            data["children"] = [
                {"unit": child.ref, "name": child.name, **measure_data(m, indicator.unit)}
                for child, m in indicator.measure_children(unit, year, start)
            ]
        return Response(data)


urlpatterns = [
    path("indicators/", IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/<str:code>/values/", IndicatorValuesView.as_view(), name="indicator-values"),
]
