"""Django admin for training (program staff; day-to-day work happens on the training pages)."""

from django.contrib import admin

from peacekit.training import models


@admin.register(models.Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "modality",
        "contact_hours",
        "ce_credits",
        "is_flagship",
        "is_published",
    )
    list_filter = ("modality", "is_flagship", "is_published")
    search_fields = ("title",)


@admin.register(models.LicencePool)
class LicencePoolAdmin(admin.ModelAdmin):
    list_display = ("organization", "category", "size", "alert_level")
    list_filter = ("category",)


@admin.register(models.AgencyCertification)
class AgencyCertificationAdmin(admin.ModelAdmin):
    list_display = ("organization", "status", "certified_on", "expires_on", "plaque_mailed_on")
    list_filter = ("status",)


@admin.register(models.CertificationRequirement)
class CertificationRequirementAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "threshold", "is_active", "position")


@admin.register(models.Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("code", "learner_name", "course_title", "issued_at", "revoked_at")
    search_fields = ("code",)
    readonly_fields = ("enrollment", "code")
