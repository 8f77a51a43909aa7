"""One hierarchy of places, from the combined authority down to wards and LSOAs,
plus natural neighbourhoods drawn by communities that cut across it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class PlaceKind(models.TextChoices):
    COMBINED_AUTHORITY = "combined_authority", _("Combined authority")
    LOCALITY = "locality", _("Locality")
    SERVICE_NEIGHBOURHOOD = "service_neighbourhood", _("Service neighbourhood")
    WARD = "ward", _("Ward")
    LSOA = "lsoa", _("Lower layer super output area")
    NATURAL = "natural", _("Natural neighbourhood")


# Kinds drawn by services; natural neighbourhoods are compared against these.
SERVICE_KINDS = (PlaceKind.SERVICE_NEIGHBOURHOOD, PlaceKind.WARD)


class PlaceStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class Place(models.Model):
    kind = models.CharField(max_length=30, choices=PlaceKind.choices, db_index=True)
    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # GeoJSON geometry (Polygon or MultiPolygon) in WGS84, valid, as imported.
    geometry = models.JSONField(null=True, blank=True)
    area_m2 = models.FloatField(null=True, blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    # Other things to draw on the place's map (a river, a park): a GeoJSON FeatureCollection.
    landmarks = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=PlaceStatus.choices, default=PlaceStatus.APPROVED, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "code"]
        # Covers the spatial index's freshness check without reading any geometry.
        indexes = [models.Index(fields=["kind", "status", "updated_at"], name="place_kind_status_updated")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("core:place", kwargs={"code": self.code})

    def ancestors(self) -> list[Place]:
        """Parents from the nearest up to the top, guarding against cycles."""
        chain: list[Place] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain
