"""Generic views for every simulation: gallery, page, data.json, QR code, and the locally served plotly.js."""
from __future__ import annotations

import gzip
import html
import io
import json
import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
import segno
from plotly.utils import PlotlyJSONEncoder

from course import current_course
from course.render import tex_to_mathml

from . import PRACTICE, QUESTION_LINK, SIMULATIONS, Simulation, payload, run
from .params import ParamError, groups, parse, parse_lenient

bp = Blueprint("simulations", __name__, url_prefix="/simulations")

PLOTLY_DIR = Path("node_modules") / "plotly.js-basic-dist-min"
YEAR = 365 * 24 * 3600


@bp.record_once
def _publish(state) -> None:
    """Chapters list their simulations; the course views find them here."""
    state.app.extensions["simulations"] = SIMULATIONS
    state.app.extensions.setdefault("search_sources", []).append(search_entries)
    state.app.extensions.setdefault("preload", []).append(_preload_bundle)


def _preload_bundle() -> None:
    """Start-up hook: read and gzip plotly.js once, before the server forks its workers."""
    bundle = _bundle_path()
    if bundle.is_file():
        _bundle_version(str(bundle.parent))
        _bundle_bytes(str(bundle), bundle.stat().st_mtime)


def search_entries() -> list:
    """Search source: each simulation by its title, tagline, parameters and explanation (kind "simulation")."""
    from course.search import Entry

    entries = []
    for sim in SIMULATIONS.values():
        explained = re.sub(r"<math.*?</math>", " ", render_template(f"simulations/_{sim.name}.html"), flags=re.S)
        words = [sim.tagline, *(p.label for p in sim.params), *(link.text for link in sim.chapters),
                 html.unescape(re.sub(r"<[^>]+>", " ", explained))]
        entries.append(Entry("simulation", sim.name, "", "课堂模拟", sim.title, re.sub(r"\s+", " ", " ".join(words)).strip()))
    return entries


def _simulation(name: str) -> Simulation:
    sim = SIMULATIONS.get(name)
    if sim is None:
        abort(404, description="没有这个课堂模拟。")
    return sim


@bp.get("/")
def index():
    return render_template("simulations/index.html", simulations=list(SIMULATIONS.values()),
                           chapters={name: _chapter_links(sim) for name, sim in SIMULATIONS.items()})


@bp.get("/<name>")
def show(name: str):
    sim = _simulation(name)
    values, errors = parse_lenient(sim.params, request.args)
    outcome = run(sim, values)
    body = payload(sim, outcome, mathml)
    boot = {"name": sim.name, "dataUrl": url_for(".data", name=sim.name), "qrUrl": url_for(".qr", name=sim.name),
            "params": [p.describe() for p in sim.params], "view": body["view"]}
    return render_template("simulations/show.html", sim=sim, outcome=outcome, view=body["view"], errors=errors,
                           groups=groups(sim.params), boot=dumps(boot, for_html=True), plotly_url=plotly_url(),
                           chapters=_chapter_links(sim), practice=_practice_links(sim))


@bp.get("/<name>/data.json")
def data(name: str):
    sim = _simulation(name)
    try:
        values = parse(sim.params, request.args)
    except ParamError as error:
        return jsonify(error.to_dict()), 400
    return Response(dumps(payload(sim, run(sim, values), mathml)), mimetype="application/json")


@bp.get("/<name>/qr.svg")
def qr(name: str):
    """A QR code (made here by segno, no service) that opens this scenario, with these parameters, on a phone."""
    sim = _simulation(name)
    try:
        values = parse(sim.params, request.args)
    except ParamError as error:
        return jsonify(error.to_dict()), 400
    if request.args.get("predict") == "1":   # the class is predicting: phones open with the results hidden too
        values["predict"] = 1
    buffer = io.BytesIO()
    segno.make(url_for(".show", name=sim.name, _external=True, **values), error="m").save(
        buffer, kind="svg", scale=1, border=4, omitsize=True, xmldecl=False, dark="#000", light="#fff")
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.cache_control.max_age = 3600
    return response


@bp.get("/vendor/plotly-basic-<version>.min.js")
def plotly_js(version: str):
    bundle = _bundle_path()
    if not bundle.is_file() or version != _bundle_version(str(bundle.parent)):
        abort(404, description="plotly.js 未安装或版本不符：请运行 scripts/setup.sh。")
    raw, packed = _bundle_bytes(str(bundle), bundle.stat().st_mtime)
    use_gzip = "gzip" in request.headers.get("Accept-Encoding", "")
    response = Response(packed if use_gzip else raw, mimetype="text/javascript")
    if use_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    response.cache_control.public = True
    response.cache_control.max_age = YEAR
    response.cache_control.immutable = True
    response.set_etag(f"{version}-{'gz' if use_gzip else 'id'}")
    return response.make_conditional(request)


# --- helpers ---------------------------------------------------------------------------------------

def dumps(obj, for_html: bool = False) -> str:
    """JSON for data.json and for the page's boot data (numpy-safe; `<` escaped inside <script>)."""
    text = json.dumps(obj, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    if for_html:
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text


def mathml(tex: str) -> str:
    try:
        return tex_to_mathml(tex)
    except Exception:  # noqa: BLE001 — a formula the converter cannot parse is shown as code, never a 500
        return f"<code>{html.escape(tex)}</code>"


def _bundle_path() -> Path:
    directory = current_app.config.get("PLOTLY_BUNDLE_DIR") or Path(current_app.root_path) / PLOTLY_DIR
    return Path(directory) / "plotly-basic.min.js"


@lru_cache(maxsize=4)
def _bundle_version(directory: str) -> str:
    return json.loads((Path(directory) / "package.json").read_text())["version"]


@lru_cache(maxsize=2)
def _bundle_bytes(path: str, mtime: float) -> tuple[bytes, bytes]:
    """The bundle and its gzip, compressed once per process (the mtime in the key drops stale copies)."""
    raw = Path(path).read_bytes()
    return raw, gzip.compress(raw, compresslevel=9, mtime=0)


def plotly_url() -> str | None:
    bundle = _bundle_path()
    if not bundle.is_file():
        return None
    return url_for("simulations.plotly_js", version=_bundle_version(str(bundle.parent)))


def _chapter_links(sim: Simulation) -> list[tuple[str, str, str]]:
    """(section, chapter, url) for each related section; a missing anchor falls back to the chapter's top."""
    try:
        course = current_course()
    except Exception:  # noqa: BLE001 — broken content must not take the simulations down
        return []
    links = []
    for link in sim.chapters:
        chapter = course.get(link.slug)
        if chapter is None:
            continue
        anchor = link.anchor if link.anchor in {entry.anchor for entry in chapter.rendered.toc} else None
        links.append((link.text, f"{chapter.label} {chapter.title}",
                      url_for("course.show", slug=link.slug, _anchor=anchor)))
    return links


def _practice_links(sim: Simulation) -> list[tuple[str, str]]:
    """Practice for this model: its questions if the quiz package links them, else its chapters' practice."""
    question_link = current_app.extensions.get(QUESTION_LINK)
    if question_link is not None:
        links = [link for link in map(question_link, PRACTICE.get(sim.name, ())) if link]
        if links:
            return links
    if "quizzes.index" not in current_app.view_functions:
        return []
    slugs = dict.fromkeys(link.slug for link in sim.chapters)
    return [(f"练习：{text}", url_for("quizzes.index", chapter=slug)) for slug, text in
            ((slug, _chapter_title(slug)) for slug in slugs) if text]


def _chapter_title(slug: str) -> str | None:
    chapter = current_course().get(slug)
    return f"{chapter.label} {chapter.title}" if chapter else None
