from django.urls import path

from hits.views import index

urlpatterns = [path("", index)]
