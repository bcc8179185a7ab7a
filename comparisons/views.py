from django.http import Http404
from django.shortcuts import render


def home(request):
    return render(request, "comparisons/home.html")


def comparison(request, slug):
    raise Http404


def search(request):
    raise Http404
