"""/docs (Swagger UI) from files the API serves itself: the page works offline and no visit
is announced to a CDN (FastAPI's default loads the viewer from jsDelivr).

The viewer files come from the `fastapi-offline` package (Swagger UI 5, Apache-2.0; its
licence travels with it); only its static folder is used, not its app factory. There is no
/redoc: ReDoc 2 fetches its logo from cdn.redoc.ly on every visit.
"""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs-assets"
# validatorUrl null: Swagger UI would otherwise send the document's URL to swagger.io.
_SWAGGER_PARAMETERS = {"validatorUrl": None, "tryItOutEnabled": True}


def install(app: FastAPI) -> None:
    """Serve the viewer; the app must be built with docs_url=None and redoc_url=None."""
    folder = resources.files("fastapi_offline").joinpath("static")
    app.mount(ASSETS, StaticFiles(directory=str(folder)), name="docs-assets")
    title = app.title

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{title} — API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon.png",
            swagger_ui_parameters=_SWAGGER_PARAMETERS,
        )
