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


def groups(html: str) -> dict[str, str]:
    """The three result groups of the search page, by panel id."""
    import re

    return {m.group(1): m.group(2) for m in re.finditer(r'<section class="search-panel" id="([a-z-]+)"(.*?)</section>', html, re.S)}


def test_questions_and_simulations_are_groups_of_their_own_above_the_sections(client):
    html = client.get("/search", query_string={"q": "卡诺"}).get_data(as_text=True)
    found = groups(html)
    assert list(found) == ["section-results", "question-results", "simulation-results"]
    assert 'href="/simulations/satisfaction"' in found["simulation-results"]
    assert "/practice/set?q=" in found["question-results"]
    overview = html[html.index('class="search-overview"'):html.index('id="section-results"')]
    assert 'href="#question-results"' in overview and 'href="#simulation-results"' in overview
    assert "练习全部匹配题目" in overview


def test_practise_all_sends_every_matching_question(client):
    import re

    html = client.get("/search", query_string={"q": "RFM"}).get_data(as_text=True)
    listed = re.findall(r'href="/practice/set\?q=([^"]+)"', groups(html)["question-results"])
    form = html[html.index('class="practice-all"'):]
    form = form[:form.index("</form>")]
    assert len(listed) >= 3
    assert re.findall(r'name="question" value="([^"]+)"', form) == listed
    assert f"练习全部匹配题目（{len(listed)} 题）" in form and 'name="csrf_token"' in form


def test_practise_all_takes_the_best_fifty_of_many_matches_and_says_so(client):
    import re

    html = client.get("/search", query_string={"q": "客户"}).get_data(as_text=True)
    form = html[html.index('class="practice-all"'):]
    form = form[:form.index("</form>")]
    total = int(re.search(r"共匹配 (\d+) 题", form).group(1))
    assert total > 50
    assert len(re.findall(r'name="question"', form)) == 50 and "练习全部匹配题目（50 题）" in form
    assert f"另有 {total - 50} 道题没有列出" in groups(html)["question-results"]


def test_practise_all_starts_one_practice_set(client):
    import re

    html = client.get("/search", query_string={"q": "客户"}).get_data(as_text=True)
    form = html[html.index('class="practice-all"'):]
    ids = re.findall(r'name="question" value="([^"]+)"', form[:form.index("</form>")])
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post("/practice", data={"csrf_token": token, "question": ids})
    assert "第 1 / 50 题" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_table_snippets_keep_rows_and_cells(client):
    html = client.get("/search", query_string={"q": "描述性数据"}).get_data(as_text=True)
    assert "<mark>描述性数据</mark> ｜ 描述客户“是谁”的基本属性信息 ｜" in html
    assert "类型 ｜ 含义 ｜ 主要内容 ｜ 特点\n" in html


def test_search_page_has_one_search_box(client):
    html = client.get("/search", query_string={"q": "忠诚"}).get_data(as_text=True)
    assert html.count('type="search"') == 1 and 'id="page-search"' in html
    assert client.get("/").get_data(as_text=True).count('type="search"') == 1


def test_full_width_letters_from_a_chinese_keyboard_find_what_half_width_ones_do(client):
    links, html = result_links(client, "ＣＲＭ")
    assert links and links == result_links(client, "CRM")[0]
    assert 'value="CRM"' in html
