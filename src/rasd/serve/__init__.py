"""``rasd serve``: the store over HTTP (FastAPI). ``create_app`` builds the application; the API's
routes live in ``api.py`` under /api/v1, so other routers (the dashboard at /) can join the same app."""

from rasd.serve.app import create_app

__all__ = ["create_app"]
