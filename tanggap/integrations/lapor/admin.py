"""Read-only admin of imports: the file, its mapping and each row's result stay for audit."""

from django.contrib import admin

from .models import Import, ImportRow


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Import)
class ImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "unit", "fmt", "status", "row_count", "imported_count"]
    list_filter = ["status", "fmt"]
    search_fields = ["file_name", "sha256"]
    exclude = ["notice_counts"]


@admin.register(ImportRow)
class ImportRowAdmin(ReadOnlyAdmin):
    list_display = ["batch", "number", "status", "external_ref"]
    list_filter = ["status"]
    # The values hold report texts until imported: the admin shows results, not contents.
    exclude = ["values"]
    raw_id_fields = ["batch", "report"]
