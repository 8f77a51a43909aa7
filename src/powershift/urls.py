from django.urls import include, path

from powershift.api import api

urlpatterns = [
    path("api/", api.urls),
    path("budgets/", include("powershift.budgets.urls")),
    path("ideas/", include("powershift.ideas.urls")),
    path("", include("powershift.core.urls")),
]
