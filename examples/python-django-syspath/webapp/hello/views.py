from django.http import HttpResponse


def index(request):
    return HttpResponse("Hello from Django, imported from webapp/!\n", content_type="text/plain")
