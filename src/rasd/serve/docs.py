"""The OpenAPI docs page, with Swagger UI's scripts served from the swagger-ui-bundle package (no CDN)."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = "/docs/static"


def install(app: FastAPI) -> None:
    from swagger_ui_bundle import swagger_ui_path

    app.mount(STATIC, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    router = APIRouter(include_in_schema=False)

    @router.get("/docs", response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title=f"{app.title} API",
            swagger_js_url=f"{STATIC}/swagger-ui-bundle.js", swagger_css_url=f"{STATIC}/swagger-ui.css",
            swagger_favicon_url=f"{STATIC}/favicon-32x32.png",
        )

    app.include_router(router)
