from django.contrib import admin

from .models import ContactInterval, Milestone, TimelineExtension


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


@admin.register(TimelineExtension)
class TimelineExtensionAdmin(admin.ModelAdmin):
    """Organisation settings: months added to the expected stage timeline of a child's case
    and of a case with a given complex factor."""

    list_display = ["organisation", "cause", "months"]
    list_filter = ["organisation"]
