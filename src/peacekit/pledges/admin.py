"""Django admin for program staff: read-mostly views of the pledges data."""

from django.contrib import admin

from peacekit.pledges.models import (
    ChecklistStepTemplate,
    DocumentaryRequest,
    InvolvementRequest,
    Promise,
    PromiseTemplate,
    SymbolOrder,
    ToolkitTemplate,
)


@admin.register(Promise)
class PromiseAdmin(admin.ModelAdmin):
    list_display = ["organization_name", "state", "status", "promised_on", "is_demo"]
    list_filter = ["status", "state", "is_demo"]
    search_fields = ["organization_name", "city", "ori_code"]
    readonly_fields = ["submission_key", "name_key", "verified_at", "verified_by"]


@admin.register(SymbolOrder)
class SymbolOrderAdmin(admin.ModelAdmin):
    list_display = ["pk", "organization", "status", "created_at"]
    list_filter = ["status"]


@admin.register(DocumentaryRequest)
class DocumentaryRequestAdmin(admin.ModelAdmin):
    list_display = ["pk", "organization", "status", "created_at"]
    list_filter = ["status"]


@admin.register(InvolvementRequest)
class InvolvementRequestAdmin(admin.ModelAdmin):
    list_display = ["kind", "state", "city", "status", "created_at"]
    list_filter = ["kind", "status", "state"]


admin.site.register([PromiseTemplate, ChecklistStepTemplate, ToolkitTemplate])
