"""Records on every device: transfer codes (typed or scanned) and import of a learner's export."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import views

    app.register_blueprint(views.bp)
    app.extensions["csrf"].exempt(views.import_file)   # checked in the view, after raising the size limit
