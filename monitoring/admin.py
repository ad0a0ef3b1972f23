from django.contrib import admin

from .models import ContactInterval, Milestone


@admin.register(ContactInterval)
class ContactIntervalAdmin(admin.ModelAdmin):
    """Organisation settings: the minimum days between contacts in each phase."""

    list_display = ["organisation", "phase", "days"]
    list_filter = ["organisation"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """Reference data: the milestone checklist of each stage."""

    list_display = ["text", "stage", "position"]
    list_filter = ["stage"]
