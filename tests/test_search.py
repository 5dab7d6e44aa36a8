import pytest

from course.search import highlight, parse_query, snippet


def result_links(client, q):
    import re

    html = client.get("/search", query_string={"q": q}).get_data(as_text=True)
    return re.findall(r'class="search-result__link" href="(/chapters/[^"]+)"', html), html


def test_three_character_query_uses_index_and_links_to_section(fixture_client):
    links, html = result_links(fixture_client, "客户终身价值")
    assert links == ["/chapters/alpha#summary"]
    assert "<mark>客户终身价值</mark>" in html


@pytest.mark.parametrize(
    "q, expected",
    [("满意", {"/chapters/alpha#objectives", "/chapters/alpha#formula", "/chapters/alpha#loyalty"}), ("忠诚", {"/chapters/alpha#loyalty"})],
)
def test_two_character_words_are_found(fixture_client, q, expected):
    links, html = result_links(fixture_client, q)
    assert set(links) == expected
    assert f"<mark>{q}</mark>" in html


def test_heading_match_ranks_first(fixture_client):
    links, _ = result_links(fixture_client, "满意度")
    assert links[0] == "/chapters/alpha#formula"


def test_all_terms_must_match(fixture_client):
    assert result_links(fixture_client, "数据仓库 主题")[0] == ["/chapters/beta#objectives"]
    assert result_links(fixture_client, "数据仓库 满意")[0] == []


def test_no_result_message_and_escaped_query(fixture_client):
    _, html = result_links(fixture_client, "<b>不存在的词</b>")
    assert "没有找到" in html and "<b>不存在" not in html and "&lt;b&gt;" in html


def test_overlong_query_is_a_400(fixture_client):
    assert fixture_client.get("/search", query_string={"q": "长" * 200}).status_code == 400


def test_parse_query_drops_punctuation_and_duplicates():
    assert parse_query(" 满意，  满意 “忠诚” ") == ["满意", "忠诚"]


def test_highlight_escapes_text():
    assert str(highlight("<i>满意</i>", ["满意"])) == "&lt;i&gt;<mark>满意</mark>&lt;/i&gt;"


def test_snippet_centres_on_first_match():
    text = "甲" * 200 + "满意" + "乙" * 200
    result = str(snippet(text, ["满意"]))
    assert result.startswith("…") and result.endswith("…") and "<mark>满意</mark>" in result


def test_phrase_not_in_text_falls_back_to_related_sections(fixture_client):
    links, html = result_links(fixture_client, "满意度的公式")
    assert links[0] == "/chapters/alpha#formula"
    assert "没有与“满意度的公式”完全一致的文字" in html


def test_query_pieces_split_chinese_into_bigrams_and_keep_latin_words():
    from course.search import query_pieces

    assert query_pieces("CRM六阶段") == ["CRM", "六阶", "阶段"]
    assert query_pieces("满意") == ["满意"]


def test_questions_are_searchable_without_their_answers(fixture_client):
    html = fixture_client.get("/search", query_string={"q": "忠诚"}).get_data(as_text=True)
    questions = html[html.index('id="question-results"'):]
    assert 'href="/practice/set?q=fx-tf-loyal"' in questions and "满意的客户一定是<mark>忠诚</mark>的客户" in questions
    assert "满意不等于忠诚" not in html          # that is fx-tf-loyal's explanation


def test_adjacent_matches_are_one_mark():
    assert str(highlight("客户关系管理", ["客户", "关系"])) == "<mark>客户关系</mark>管理"
