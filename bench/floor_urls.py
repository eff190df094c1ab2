"""The product's routes plus bench/floor/: the cheapest write through the same stack."""

import uuid

from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tanggap.common.models import ThrottleBucket


@csrf_exempt
@require_POST
def floor(request):
    """Insert one row with a unique random key and answer 200."""
    ThrottleBucket.objects.create(key=f"bench:{uuid.uuid4().hex}", window_started_at=timezone.now())
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor, name="bench_floor"),
    path("", include("config.urls")),
]
