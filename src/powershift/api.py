from ninja import NinjaAPI

from powershift.core.api import router as places_router

api = NinjaAPI(title="Powershift API", version="1", urls_namespace="api")
api.add_router("/", places_router)
