from django.urls import include, path

from powershift.api import api
from powershift.directory.api import api as oruk_api

urlpatterns = [
    path("api/", api.urls),
    path("budgets/", include("powershift.budgets.urls")),
    path("directory/", include("powershift.directory.urls")),
    path("oruk/", oruk_api.urls),
    path("ideas/", include("powershift.ideas.urls")),
    path("panels/", include("powershift.panels.urls")),
    path("support/", include("powershift.support.urls")),
    path("measures/", include("powershift.measures.urls")),
    path("", include("powershift.core.urls")),
]
