"""The simulation pages and their JSON API: every parameter at its bounds and beyond, assets, links."""
from __future__ import annotations

import gzip
import json
import re

import pytest
from flask import Flask

from app import ROOT
from simulations import PRACTICE, QUESTION_LINK, SIMULATIONS, run
from simulations import views as simulation_views
from simulations.params import Number, defaults

CHAPTERS = ROOT / "content" / "chapters"
JS_BUDGET = 500 * 1024  # gzipped bytes of JavaScript on a simulation page


def cases(beyond: bool):
    """(simulation, parameter, raw value) for every numeric parameter at (or just past) both bounds."""
    for name, sim in SIMULATIONS.items():
        for p in sim.params:
            if isinstance(p, Number):
                low, high = (p.min - p.step, p.max + p.step) if beyond else (p.min, p.max)
                yield pytest.param(name, p.name, f"{low:g}", id=f"{name}-{p.name}-low")
                yield pytest.param(name, p.name, f"{high:g}", id=f"{name}-{p.name}-high")


# --- pages ------------------------------------------------------------------------------------------

def test_gallery_links_every_simulation(client):
    html = client.get("/simulations/").get_data(as_text=True)
    for name, sim in SIMULATIONS.items():
        assert f'href="/simulations/{name}"' in html and sim.title in html


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_every_simulation_page_renders_controls_charts_formulas_and_tables(client, name):
    sim = SIMULATIONS[name]
    response = client.get(f"/simulations/{name}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert all(f'name="{p.name}"' in html for p in sim.params)
    assert html.count('data-chart="') == len(sim.figures(sim.simulate()))
    assert "<math" in html and "$" not in re.sub(r"<script.*?</script>", "", html, flags=re.S)
    assert 'class="sim-table"' in html and 'id="sim-boot"' in html


def test_clv_page_shows_the_required_values(client):
    html = client.get("/simulations/clv").get_data(as_text=True)
    assert "9,210.08" in html and "8,539.07" in html


def test_clv_page_takes_its_scenario_from_the_url(client):
    html = client.get("/simulations/clv?In=500&Cs=200").get_data(as_text=True)
    assert "5,855.04" in html and "4,513.02" in html


def test_page_with_a_bad_parameter_uses_the_default_and_says_so(client):
    response = client.get("/simulations/clv?r=99")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "链接里有参数无效" in html and "参数 r" in html and "9,210.08" in html


def test_unknown_simulation_is_a_404(client):
    assert client.get("/simulations/nope").status_code == 404
    assert client.get("/simulations/nope/data.json").status_code == 404


# --- data.json ----------------------------------------------------------------------------------------

def test_clv_json_carries_the_models_and_the_yearly_table(client):
    data = client.get("/simulations/clv/data.json?n=10&Co=500&Po=3000&In=1000&r=8&Cs=100").get_json()
    assert data["model1"] == pytest.approx(9210.08, abs=0.005)
    assert data["model3"] == pytest.approx(8539.07, abs=0.005)
    assert data["model_retention"] == pytest.approx(4943.54, abs=0.005)
    assert len(data["yearly"]) == 10 and data["yearly"][0]["pv_model1"] == pytest.approx(925.93, abs=0.005)
    assert data["params"] == {"n": 10, "Co": 500, "Po": 3000, "In": 1000, "Cs": 100, "r": 8, "p": 80, "In_b": 550,
                              "Cs_b": 300, "timing": "end", "discount": "on"}


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_json_has_the_view_the_page_draws(client, name):
    data = client.get(f"/simulations/{name}/data.json").get_json()
    assert set(data["view"]) == {"summary", "tables", "figures"}
    assert list(data["view"]["figures"]) == list(SIMULATIONS[name].figures(SIMULATIONS[name].simulate()))


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_result_fields_do_not_shadow_the_envelope(client, name):
    sim = SIMULATIONS[name]
    fields = set(sim.simulate().__dataclass_fields__)
    assert not fields & {"simulation", "params", "view"}


@pytest.mark.parametrize("name, param, raw", list(cases(beyond=False)))
def test_every_parameter_at_its_bounds_is_accepted(client, name, param, raw):
    response = client.get(f"/simulations/{name}/data.json", query_string={param: raw})
    assert response.status_code == 200
    assert response.get_json()["params"][param] == pytest.approx(float(raw))


@pytest.mark.parametrize("name, param, raw", list(cases(beyond=True)))
def test_every_parameter_beyond_its_bounds_is_a_400_naming_it(client, name, param, raw):
    declared = next(p for p in SIMULATIONS[name].params if p.name == param)
    response = client.get(f"/simulations/{name}/data.json", query_string={param: raw})
    body = response.get_json()
    assert response.status_code == 400
    assert (body["param"], body["min"], body["max"], body["value"]) == (param, declared.min, declared.max, raw)
    assert param in body["error"] and declared.allowed() in body["error"]


@pytest.mark.parametrize("name, param", [(n, p.name) for n, s in SIMULATIONS.items() for p in s.params])
def test_every_parameter_rejects_non_numbers(client, name, param):
    response = client.get(f"/simulations/{name}/data.json", query_string={param: "abc"})
    assert response.status_code == 400 and response.get_json()["param"] == param


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_all_parameters_at_once_at_their_extremes(client, name):
    for pick in (lambda p: p.min, lambda p: p.max):
        query = {p.name: f"{pick(p):g}" for p in SIMULATIONS[name].params if isinstance(p, Number)}
        assert client.get(f"/simulations/{name}/data.json", query_string=query).status_code == 200


# --- plotly.js, served locally -------------------------------------------------------------------------

def plotly_url(client) -> str:
    return re.search(r'src="(/simulations/vendor/[^"]+)"', client.get("/simulations/clv").get_data(as_text=True))[1]


def test_plotly_bundle_is_served_locally_with_long_cache_headers(client):
    response = client.get(plotly_url(client), headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip" and response.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(response.data).startswith(b"/**")


def test_plotly_bundle_without_gzip_and_revalidation(client):
    url = plotly_url(client)
    plain = client.get(url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    again = client.get(url, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304


def test_plotly_bundle_of_another_version_is_a_404(client):
    assert client.get("/simulations/vendor/plotly-basic-0.0.1.min.js").status_code == 404


def test_no_cdn_on_simulation_pages(client):
    for name in SIMULATIONS:
        html = client.get(f"/simulations/{name}").get_data(as_text=True)
        assert not re.search(r'src="(https?:)?//', html)


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_javascript_on_a_simulation_page_fits_the_budget(client, name):
    html = client.get(f"/simulations/{name}").get_data(as_text=True)
    total = 0
    for src in re.findall(r'<script[^>]+src="([^"]+)"', html):
        response = client.get(src)
        body = response.data if response.headers.get("Content-Encoding") == "gzip" else gzip.compress(response.data, 9)
        total += len(body)
    assert 350 * 1024 < total <= JS_BUDGET


# --- links to the chapters and to practice ---------------------------------------------------------------

@pytest.mark.parametrize("name, link", [(n, link) for n, s in SIMULATIONS.items() for link in s.chapters])
def test_each_linked_chapter_section_exists(name, link):
    text = (CHAPTERS / f"{link.slug}.md").read_text(encoding="utf-8")
    assert "{#" + link.anchor + "}" in text


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_page_links_its_chapter_sections(client, name):
    html = client.get(f"/simulations/{name}").get_data(as_text=True)
    for link in SIMULATIONS[name].chapters:
        assert f'href="/chapters/{link.slug}#{link.anchor}"' in html


def test_chapter_pages_list_their_simulations(client):
    html = client.get("/chapters/customer-lifecycle").get_data(as_text=True)
    assert 'href="/simulations/clv"' in html and 'href="/simulations/lifecycle"' in html


def test_practice_links_to_the_models_questions(client):
    html = client.get("/simulations/clv").get_data(as_text=True)
    assert 'href="/practice/set?q=calc-clv-model-one"' in html and "计算：" in html


def test_practice_falls_back_to_chapter_practice(app):
    app.extensions.pop(QUESTION_LINK)
    html = app.test_client().get("/simulations/clv").get_data(as_text=True)
    assert 'href="/practice?chapter=customer-lifecycle"' in html


def test_practice_lists_questions_once_the_quiz_links_them(app):
    app.extensions[QUESTION_LINK] = lambda qid: (f"题目 {qid}", f"/q/{qid}")
    html = app.test_client().get("/simulations/rfm").get_data(as_text=True)
    assert all(f'href="/q/{qid}"' in html for qid in PRACTICE["rfm"])


def test_practice_block_is_hidden_without_a_quiz():
    bare = Flask(__name__)
    bare.register_blueprint(simulation_views.bp)
    with bare.test_request_context("/simulations/clv"):
        assert simulation_views._practice_links(SIMULATIONS["clv"]) == []


def test_practice_question_ids_exist_once_the_banks_do():
    banks = list((ROOT / "content" / "questions").glob("*.yaml"))
    if not banks:
        pytest.skip("no question banks yet (issue 3)")
    text = "\n".join(path.read_text(encoding="utf-8") for path in banks)
    missing = [qid for ids in PRACTICE.values() for qid in ids
               if not re.search(rf"id:\s*{re.escape(qid)}\s*$", text, re.M)]
    assert missing == [], "PRACTICE names questions the banks do not have"


def test_qr_code_is_an_svg_made_here_for_the_scenario(client):
    response = client.get("/simulations/clv/qr.svg", query_string={"n": "5", "r": "9"})
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg") and "viewBox" in svg and "http" not in svg.split(">", 1)[1]   # no external reference


def test_qr_code_for_a_bad_parameter_is_a_400_that_says_why(client):
    response = client.get("/simulations/clv/qr.svg", query_string={"r": "99"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "参数 r「利率（折现率）r」超出允许范围：收到“99”，允许 0–30 %"
    assert client.get("/simulations/nope/qr.svg").status_code == 404


@pytest.mark.parametrize("name", list(SIMULATIONS))
def test_each_predictable_number_is_the_number_shown(name):
    """Students predict `value`; it must be the number the card shows (9,210.08 → 9210.08; 42% → 42)."""
    sim = SIMULATIONS[name]
    stats = run(sim, defaults(sim.params)).summary
    assert any(s.value is not None for s in stats)
    for s in stats:
        if s.value is not None:
            shown = re.search(r"[-+]?\d[\d,]*(?:\.\d+)?", s.text).group(0)
            assert float(shown.replace(",", "")) == pytest.approx(s.value, abs=1e-9), (s.key, s.text, s.value)
