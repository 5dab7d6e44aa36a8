"""Exports: the command line and the public download page."""
import json

from interop import FORMATS
from interop.anki import export as anki_export
from interop.groups import public_groups
from tests.test_interop_roundtrip import BANKS, COURSE, GROUPS


def test_groups_follow_course_order_and_can_be_one_chapter():
    assert [g.chapter for g in GROUPS][:2] == [c.slug for c in COURSE.chapters if c.kind == "chapter"][:2]
    assert GROUPS[-1].chapter == "cases"
    only = public_groups(COURSE, BANKS, "satisfaction-loyalty")
    assert [(g.chapter, g.title) for g in only] == [("satisfaction-loyalty", "第4章 客户满意与客户忠诚管理")]
    assert public_groups(COURSE, BANKS, "nope") == []


def test_anki_file_has_header_lines_and_one_card_per_question():
    result = anki_export(GROUPS)
    lines = result.content.decode().splitlines()
    assert lines[:6] == ["#separator:tab", "#html:true", "#deck:客户关系管理", "#columns:正面\t背面\t标签\tGUID",
                         "#tags column:3", "#guid column:4"]
    cards = [line.split("\t") for line in lines[6:]]
    calculations = [q for g in GROUPS for q in g.questions if q.type == "calculation"]
    assert len(cards) == sum(len(g.questions) for g in GROUPS) - len(calculations)
    assert all(len(card) == 4 and "\n" not in "".join(card) for card in cards)
    assert [n.where for n in result.notes] == [f"[{q.id}]" for q in calculations]
    term = next(c for c in cards if c[3] == "crm-term-customer-perceived-value")
    assert term[0] == "客户感知价值" and "<b>得分点：</b>感知利得（1分；同义：感知利益）" in term[1]
    assert term[2] == "CRM::satisfaction-loyalty 题型::名词解释"


def test_anki_choice_cards_do_not_keep_the_yaml_order():
    cards = [line.split("\t") for line in anki_export(GROUPS).content.decode().splitlines()[6:]]
    singles = [c for c in cards if "题型::单项选择" in c[2]]
    keys = [c[1].split("</b>")[1][:1] for c in singles]
    assert len(singles) == 199 and max(keys.count(letter) for letter in "ABCD") < 81


def test_export_command_writes_a_file_and_reports_what_it_could_not_carry(app, tmp_path):
    out = tmp_path / "bank.xml"
    result = app.test_cli_runner().invoke(args=["export", "--format", "moodle-xml", "--chapter", "satisfaction-loyalty",
                                                "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>')
    assert "注意 [calc-satisfaction-ratio]：计算题导出为一组固定数据" in result.output


def test_export_command_to_standard_output(app):
    result = app.test_cli_runner().invoke(args=["export", "--format", "json", "--chapter", "cases"])
    data = json.loads(result.output)
    assert [b["chapter"] for b in data["banks"]] == ["cases"] and len(data["banks"][0]["questions"]) == BANKS.counts()["cases"]


def test_export_command_rejects_an_unknown_chapter(app):
    result = app.test_cli_runner().invoke(args=["export", "--format", "gift", "--chapter", "nope"])
    assert result.exit_code == 2 and "没有这一章" in result.output


def test_download_page_lists_every_format_and_chapter_and_practice_links_to_it(client):
    page = client.get("/bank").get_data(as_text=True)
    for f in FORMATS.values():
        if f.export:
            assert f.label in page and f"/bank/export/{f.name}?chapter=satisfaction-loyalty" in page
    assert "第4章 客户满意与客户忠诚管理" in page
    assert 'href="/bank"' in client.get("/practice").get_data(as_text=True)


def test_downloads_are_attachments_in_their_format_and_unknown_ones_404(client):
    for name in [n for n, f in FORMATS.items() if f.export]:
        response = client.get(f"/bank/export/{name}?chapter=cases")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"] == f"attachment; filename=crm-cases.{FORMATS[name].extension}"
        assert response.mimetype == FORMATS[name].mimetype
    for url in ["/bank/export/xlsx", "/bank/export/nope", "/bank/export/gift?chapter=nope"]:
        response = client.get(url)
        assert response.status_code == 404 and "没有" in response.get_data(as_text=True)
