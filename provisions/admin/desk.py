"""The desk's lists as admin filters: each count on the index links to ``?desk=<key>``."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from provisions.desk import BY_KEY, asker_of, lists_for


class DeskFilter(admin.SimpleListFilter):
    title = _("the editors’ desk")
    parameter_name = "desk"

    def lookups(self, request, model_admin):
        return [(d.key, d.title) for d in lists_for(model_admin.model, request.user)]

    def queryset(self, request, queryset):
        chosen = BY_KEY.get(self.value() or "")
        if chosen is None or queryset.model not in chosen.models:
            return queryset
        return chosen.select(queryset, asker_of(request))
