"""The app as gunicorn serves it for the benchmarks, plus a bare endpoint: the same app, the
same hooks and headers, returning a string of a given size with no database and no template.
Comparing a page with it in the same run cancels out the machine and the load beside us."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import Response

from charter import create_app

app = create_app()


@app.get("/_bench/bare/<int:size>")
def bare(size: int):
    return Response("x" * size, mimetype="text/html")
