"""`/api/v1/plans/`: plans with their targets, and each target's progress for a unit and year."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from hoptac.core import numbers, serializers
from hoptac.core.audit import Actor
from hoptac.core.models import Source
from hoptac.core.validation import query_year
from hoptac.geo.fields import resolve_ref
from hoptac.indicators.api import resolve_unit
from hoptac.plans import progress, services, wording
from hoptac.plans.filters import PlanFilterSet
from hoptac.plans.models import Plan


class PlanSerializer(serializers.ModelSerializer):
    scope_unit = serializers.SerializerMethodField()
    targets = serializers.IntegerField(source="target_count", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "id",
            "key",
            "kind",
            "issuer",
            "number",
            "date",
            "date_text",
            "title",
            "scope_unit",
            "parent",
            "targets",
        ]

    def get_scope_unit(self, plan) -> str | None:
        return plan.scope_unit.ref if plan.scope_unit_id else None


class BoundsSerializer(serializers.Serializer):
    kind = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    value_max = serializers.FloatField(allow_null=True)
    approximate = serializers.BooleanField()
    low = serializers.FloatField(
        allow_null=True, help_text="The interval that meets the target (null: open)."
    )
    high = serializers.FloatField(allow_null=True)


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    clause = serializers.CharField(allow_null=True)
    wording = serializers.CharField()
    indicator = serializers.CharField(allow_blank=True)
    bounds = BoundsSerializer()
    horizon = serializers.IntegerField()
    period_start = serializers.IntegerField(allow_null=True)


class ClauseSerializer(serializers.Serializer):
    ref = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


class AncestorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issuer = serializers.CharField()


class PlanDetailSerializer(PlanSerializer):
    targets = TargetSerializer(many=True)
    clauses = ClauseSerializer(many=True)
    ancestors = AncestorSerializer(many=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "clauses", "ancestors"]


class SeriesPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True)


class TargetProgressSerializer(TargetSerializer):
    actual = serializers.FloatField(allow_null=True)
    baseline = serializers.FloatField(allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    projection = serializers.FloatField(allow_null=True)
    ratio = serializers.FloatField(allow_null=True)
    series = SeriesPointSerializer(many=True)


class ProgressSerializer(serializers.Serializer):
    plan = serializers.IntegerField()
    unit = serializers.CharField()
    year = serializers.IntegerField()
    count = serializers.IntegerField()
    results = TargetProgressSerializer(many=True)


class AttachSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text='The unit the plan is about, e.g. "44" or "464".')


def target_data(t) -> dict:
    low, high = progress.bounds(t)
    return {
        "code": t.code,
        "clause": t.clause.ref if t.clause_id else None,
        "wording": t.wording,
        "indicator": t.indicator,
        "bounds": {
            "kind": t.bound,
            "value": float(t.value) if t.value is not None else None,
            "value_max": float(t.value_max) if t.value_max is not None else None,
            "approximate": t.approximate,
            "low": low,
            "high": high,
        },
        "horizon": t.horizon,
        "period_start": t.period_start,
    }


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet

    def get_queryset(self):
        return (
            Plan.objects.restrict(self.request.user)
            .select_related("scope_unit")
            .annotate(target_count=Count("targets"))
            .order_by("date", "key")
        )

    @extend_schema(responses=PlanDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        plan = self.get_object()
        data = self.get_serializer(plan).data
        data["clauses"] = list(plan.clauses.values("ref", "title", "text"))
        data["targets"] = [target_data(t) for t in plan.targets.select_related("clause")]
        data["ancestors"] = [{"id": p.pk, "number": p.number, "issuer": p.issuer} for p in plan.ancestors()]
        return Response(data)

    @extend_schema(
        parameters=[OpenApiParameter("unit", str), OpenApiParameter("year", int)],
        responses=ProgressSerializer,
    )
    @action(detail=True, filterset_class=None, pagination_class=None)
    def progress(self, request, pk=None):
        """Each target's value, baseline, projection and status for a unit (default: the plan's) and year."""
        plan = self.get_object()
        ref = request.query_params.get("unit") or (plan.scope_unit.ref if plan.scope_unit_id else None)
        if ref is None:
            raise serializers.ValidationError(
                {"unit": "This plan names no unit: give ?unit= or attach the plan to a unit."}
            )
        unit = resolve_unit(request, ref)
        year = query_year(request.query_params, default=timezone.localdate().year - 1)
        results = []
        rows = progress.plan_progress(plan.targets.select_related("clause", "plan"), unit, year)
        wording.describe(rows)
        for p in rows:
            t = p.target
            places = numbers.display_places(p.unit_kind)
            results.append(
                {
                    **target_data(t),
                    "full_wording": p.full_wording,
                    "unit_kind": p.unit_kind,
                    "bound_text": p.bound_text,
                    "actual": p.actual,  # full precision; "display" is what pages and documents show
                    "actual_rounded": numbers.rounded(p.actual, places),
                    "display": {
                        "actual": p.actual_text,
                        "baseline": p.baseline_text,
                        "projection": p.projection_text,
                    },
                    "coverage": p.coverage.as_dict(),
                    "baseline": p.baseline,
                    "baseline_year": p.baseline_year,
                    "status": p.status,
                    "status_label": p.status_label,
                    "projection": p.projection,
                    "ratio": p.ratio,
                    "series": [
                        {"year": y, "value": v, "coverage": c.as_dict()}
                        for (y, v), c in zip(p.series, p.series_coverage, strict=True)
                    ],
                }
            )
        return Response(
            {"plan": plan.pk, "unit": unit.ref, "year": year, "count": len(results), "results": results}
        )

    @extend_schema(request=AttachSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def attach(self, request, pk=None):
        """Attaches the plan to the unit it is about (for plans loaded without one)."""
        plan = self.get_object()
        payload = AttachSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            unit = resolve_ref(payload.validated_data["unit"])
        except ValidationError as exc:
            raise serializers.ValidationError({"unit": exc.messages}) from exc
        services.attach_plan(Actor.from_request(request, Source.API), plan, unit)
        return Response(
            self.get_serializer(Plan.objects.annotate(target_count=Count("targets")).get(pk=plan.pk)).data
        )


router = SimpleRouter()
router.register("plans", PlanViewSet, basename="plan")
urlpatterns = router.urls
