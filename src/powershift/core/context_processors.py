from django.conf import settings
from django.http import HttpRequest

from powershift.core.modules import MODULES


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "site_name": settings.SITE_NAME,
        "modules": MODULES,
        "tile_url": settings.TILE_URL,
        "tile_attribution": settings.TILE_ATTRIBUTION,
    }
