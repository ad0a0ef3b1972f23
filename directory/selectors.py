"""Reads of the service directory: everyone reads it, whatever their organisation."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from .models import Provider, Service


def directory_search(filters: dict[str, Any]) -> QuerySet[Service]:
    """Active services matching the filters. An area filter also finds services that cover
    the whole region or country the area lies in."""
    services = Service.objects.filter(active=True, provider__active=True).select_related("provider")
    if text := (filters.get("q") or "").strip():
        services = services.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(provider__name__icontains=text)
            | Q(languages__icontains=text)
        )
    if domain := filters.get("domain"):
        # Domains are a JSON list of codes; the quoted code matches one whole element.
        services = services.filter(domains__icontains=f'"{domain}"')
    if region := filters.get("region"):
        services = services.filter(Q(region=region) | Q(region=""))
    if municipality := filters.get("municipality"):
        services = services.filter(Q(municipality=municipality) | Q(municipality=""))
    for flag in ("trafficking_specific", "child_friendly", "disability_access", "accepts_men"):
        if filters.get(flag):
            services = services.filter(**{flag: True})
    if filters.get("free"):
        services = services.filter(cost="free")
    return services.order_by("name", "id")


def directory_areas() -> tuple[list[str], list[str]]:
    """The regions and municipalities the directory's services name, for the area filter."""
    rows = Service.objects.filter(active=True).values_list("region", "municipality").distinct()
    regions = sorted({r for r, _ in rows if r})
    municipalities = sorted({m for _, m in rows if m})
    return regions, municipalities


def providers_with_counts() -> QuerySet[Provider]:
    return Provider.objects.annotate(
        service_count=Count("services", filter=Q(services__active=True))
    ).order_by("name")


def services_for_handout(domains: list[str], region: str, municipality: str) -> list[Service]:
    services = directory_search({"region": region, "municipality": municipality})
    wanted = set(domains)
    return [s for s in services if wanted & set(s.domains)]
