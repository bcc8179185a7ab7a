from django.urls import path

from provisions import citations, views

app_name = "provisions"

urlpatterns = [
    path("arguments/", views.argument_list, name="arguments"),
    path("arguments/<slug:slug>/", views.argument_detail, name="argument"),
    path("<slug:jurisdiction>/", views.jurisdiction_detail, name="jurisdiction"),
    path("<slug:jurisdiction>/<slug:instrument>/", views.instrument_detail, name="instrument"),
    path(
        "<slug:jurisdiction>/<slug:instrument>/<slug:provision>/",
        views.provision_detail,
        name="provision",
    ),
    path(
        "<slug:jurisdiction>/<slug:instrument>/<slug:provision>/cite.<str:file_format>",
        citations.citation_download,
        name="cite",
    ),
]
