"""Counts visits in a file under MEDIA_ROOT (which the container user must own)."""

from django.conf import settings
from django.http import HttpResponse


def index(request):
    counter = settings.MEDIA_ROOT / "visits.txt"
    n = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(n))
    return HttpResponse(f"Hello from Django in src/! Visits: {n}\n", content_type="text/plain")
