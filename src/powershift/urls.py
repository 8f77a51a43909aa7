from django.urls import include, path

from powershift.api import api

urlpatterns = [
    path("api/", api.urls),
    path("", include("powershift.core.urls")),
]
