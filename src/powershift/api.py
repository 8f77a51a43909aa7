from ninja import NinjaAPI

from powershift.core.api import router as places_router
from powershift.support.api import router as support_router

api = NinjaAPI(title="Powershift API", version="1", urls_namespace="api")
api.add_router("/", places_router)
api.add_router("/support", support_router)
