from django.contrib import admin

from notifications.models import CalendarFeed, JobRun, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("dedupe_key", "kind", "to_email", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("dedupe_key", "to_email")
    readonly_fields = ("last_error",)


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("key", "status", "attempts", "started_at", "finished_at")
    list_filter = ("status", "job")
    search_fields = ("key",)


admin.site.register(NotificationPreference)
admin.site.register(CalendarFeed)
