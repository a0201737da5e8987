from django.http import HttpResponse
from django.templatetags.static import static


def index(request):
    # The manifest storage raises here unless collectstatic ran: the page proves the build step.
    css = static("showcase/hello.css")
    return HttpResponse(f'<link rel="stylesheet" href="{css}"><p>Hello from Django, static files by whitenoise</p>\n')
