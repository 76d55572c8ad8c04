"""The analyst's dashboard at /: server-rendered Arabic (right-to-left) pages over ``rasd.store.query``,
the same query layer as the CLI and the API.

Everything shown from the store is untrusted (article text, titles, outlets, URLs): Jinja2 escapes it,
bidi override characters are removed and each value is isolated in ``<bdi>``, a stored URL becomes a
link only if it is http(s), and every page carries a Content-Security-Policy that allows no inline
script or style and nothing from another origin (scripts and styles are served from /static)."""

from rasd.serve.dashboard.pages import router, warm

__all__ = ["router", "warm"]
