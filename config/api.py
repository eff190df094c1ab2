"""The JSON API at /api/v1/: one NinjaAPI assembling each app's router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Tanggap API", version="1", urls_namespace="api")
