from django.http import HttpResponse
from django.urls import path


def index(request):
    return HttpResponse("Hello from Django under uWSGI, configured by docker/uwsgi.ini!", content_type="text/plain")


urlpatterns = [path("", index)]
