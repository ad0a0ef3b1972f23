from django.contrib import admin

from .models import ContactInterval


@admin.register(ContactInterval)
class ContactIntervalAdmin(admin.ModelAdmin):
    """Organisation settings: the minimum days between contacts in each phase."""

    list_display = ["organisation", "phase", "days"]
    list_filter = ["organisation"]
