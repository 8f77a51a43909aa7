from django.urls import path  # noqa: F401  (the module's pages are added here)

app_name = "measures"

urlpatterns: list = []  # type: ignore[type-arg]
