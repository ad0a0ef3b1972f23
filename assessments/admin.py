from django.contrib import admin

from .models import SectionOwnership


@admin.register(SectionOwnership)
class SectionOwnershipAdmin(admin.ModelAdmin):
    """Reference data: which discipline completes each section of a needs assessment."""

    list_display = ["domain", "owner", "sensitive"]
    list_editable = ["owner", "sensitive"]
