from django.urls import path

from comparisons import views

app_name = "comparisons"

urlpatterns = [
    path("", views.home, name="home"),
    path("components/", views.components, name="components"),
    path("compare/<slug:slug>/", views.comparison, name="comparison"),
    path("search/", views.search, name="search"),
    path("texts/<slug:slug>/", views.texts, name="texts"),
    path("about/", views.about, name="about"),
]
