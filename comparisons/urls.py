from django.urls import path

from comparisons import model_views, views

app_name = "comparisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("components/", views.components, name="components"),
    path("compare/<slug:slug>/", views.comparison, name="comparison"),
    path("search/", views.search, name="search"),
    path("texts/<slug:slug>/", views.texts, name="texts"),
    path("about/", views.about, name="about"),
    path("timeline/", views.timeline, name="timeline"),
    path("models/", model_views.model_list, name="models"),
    path("models/check/", model_views.model_check, name="model-check"),
    path("models/export.csv", model_views.model_export_csv, name="models-csv"),
    path("models/export.json", model_views.model_export_json, name="models-json"),
    path("models/<slug:slug>/", model_views.model_detail, name="model"),
]
