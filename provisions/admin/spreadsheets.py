"""Spreadsheet import and export in the admin, with a cap on the rows one import may hold.

Each row is validated like an admin form (about 35 ms a row), in the request: a file of a few
thousand rows would outlast gunicorn's timeout and leave the editor an empty 500 page. A longer
file is refused at once with a message saying how many rows it has and how many fit.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from provisions.spreadsheets import TooManyRows, check_row_count, check_streamed_row_count


def capped(format_class):
    class Capped(format_class):
        def create_dataset(self, in_stream, **kwargs):
            if self.get_title() in ("csv", "xlsx"):
                check_streamed_row_count(in_stream, binary=self.is_binary())
            dataset = super().create_dataset(in_stream, **kwargs)
            check_row_count(dataset)
            return dataset

    Capped.__name__ = Capped.__qualname__ = format_class.__name__
    return Capped


class CappedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.ATLAS_IMPORT_MAX_BYTES
        if upload.size > limit:  # refused before a byte of it is parsed
            raise forms.ValidationError(
                "This file is %(size)s; an import takes at most %(limit)s at a time. Split it "
                "into smaller files.",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload


class CappedImportExportMixin(ImportExportMixin):
    """Import for who may add and change the records; export for who may see them."""

    import_form_class = CappedImportForm

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def get_import_formats(self):
        return [capped(f) for f in super().get_import_formats()]

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, TooManyRows):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def process_import(self, request, **kwargs):
        # The preview refuses a long file; a confirmation posted by hand gets the same answer.
        try:
            return super().process_import(request, **kwargs)
        except TooManyRows as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_import")
