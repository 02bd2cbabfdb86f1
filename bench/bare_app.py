"""A bare Flask application, in a process of its own: the baseline the issue asks for (issue 23).

``bench/wsgi_bench.py``'s bare endpoint lives inside the service's app, so it pays the app's own
hooks (security headers, the charter's URL processors, request logging) and measured at 0.55-0.63
of a Flask app without them. This one is Flask and nothing else: one route returning a string of
the size asked, served by its own gunicorn with the same workers as the service in the same run.
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)


@app.get("/bare/<int:size>")
def bare(size: int):
    return Response("x" * size, mimetype="text/html")


@app.get("/healthz")
def healthz():
    return "ok"
