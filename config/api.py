"""The JSON API at /api/v1/: one NinjaAPI assembling each app's router."""

from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from tanggap.accounts.api import router as accounts_router
from tanggap.common.api import (
    DatabaseRateThrottle,
    api_language,
    body_limit,
    install_error_handlers,
    unknown_path,
)
from tanggap.common.api_idempotency import idempotent
from tanggap.intake.api import router as intake_router
from tanggap.intake.api_attachments import router as attachments_router
from tanggap.intake.api_cases import router as cases_router
from tanggap.responses.api import router as responses_router
from tanggap.surveys.api import router as surveys_router

DESCRIPTION = """
Submit and track reports, handle cases, answer the satisfaction survey (SKM).

* **Tokens**: staff and integrations send `Authorization: Bearer <token>`. A token acts as its
  user on its units only; a case of another unit answers 404. Tokens are issued with
  `manage.py api_token create` or in the admin, shown once, and can be revoked.
* **Idempotency-Key**: every POST carries one (8 to 200 visible ASCII characters, e.g. a new
  UUID per request). A repeat within 24 hours gets the first answer again
  (`Idempotent-Replayed: true`); the same key with another body is refused.
* **Errors** always look like `{"error": {"code", "message", "fields": [{"field", "message"}]}}`;
  messages follow `Accept-Language` (`id` or `en`).
* **Pages**: lists return `items` and `next_cursor`; pass it back as `cursor`.
* **Rate limits**: per token, or per address without one; 429 with `Retry-After` when exceeded.
"""

api = NinjaAPI(
    title="Tanggap API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    throttle=DatabaseRateThrottle(setting="API_REQUESTS_PER_MINUTE", default=120),
)
install_error_handlers(api)
# Outermost first: the language of every error, then the size limit, then the key.
api.add_decorator(idempotent, mode="view")
api.add_decorator(body_limit, mode="view")
api.add_decorator(api_language, mode="view")

api.add_router("", accounts_router)
api.add_router("", intake_router)
api.add_router("", cases_router)
api.add_router("", attachments_router)
api.add_router("", responses_router)
api.add_router("", surveys_router)

# Last: any other path under /api/v1/ answers 404 in the error format, not an HTML page.
fallback = Router()
fallback.add_api_operation(
    "/{path:rest}",
    ["GET", "POST", "PUT", "PATCH", "DELETE"],
    unknown_path,
    auth=None,
    include_in_schema=False,
)
api.add_router("", fallback)
