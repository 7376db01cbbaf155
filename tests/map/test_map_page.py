"""The influence map page end to end: Debian's chromium, the real app and Neo4j, the Canon Zhuhai demo.

Each test has a workspace of its own with the demo loaded (the server is shared by the module). Each
step leaves a screenshot in test-artifacts/map/.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest

from service.rules.access import Role
from service.schema.operations import IMPORT_MUTATION
from tests.map.conftest import CANON, MapServer, Watched, record_timing
from tests.map.pages import READY, click_person, cy, node_id, open_account, sign_in

LENS_IDS = ["influencers", "neutrals", "opponents", "gaps", "coaches", "power", "access"]


def demo_names(server: MapServer) -> dict[str, str]:
    return {s["externalId"]: s["name"] for s in server.demo[CANON]["stakeholders"]}


def assert_clean(w: Watched, base_url: str) -> None:
    """No console or page errors; every request stayed on our origin; every API call carried the key."""
    assert w.errors == []
    origin = urlsplit(base_url).netloc
    for request in w.requests:
        parts = urlsplit(request.url)
        assert parts.scheme in {"data", "blob"} or parts.netloc == origin, request.url
        if parts.path == "/graphql":
            assert (request.headers.get("authorization") or "").startswith("Bearer pm_"), request.url


async def test_sign_in_open_the_demo_account_and_draw_everyone(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await page.goto(f"{map_server.base_url}/map")
    await page.wait_for_selector("body[data-state=signed-out]")
    await w.shot("sign-in")
    await sign_in(w, map_server)
    assert await page.evaluate("sessionStorage.getItem('powermap.token')") == map_server.keys[Role.STRATEGIST]
    assert await page.evaluate("localStorage.getItem('powermap.token')") is None
    await w.shot("account-picker")
    first_open = await open_account(w, CANON, "佳能")
    await w.shot("map")

    doc = map_server.demo[CANON]
    names = demo_names(map_server)
    drawn = await cy(page, "cy.nodes('.person').map(n => n.data('name'))")
    assert sorted(drawn) == sorted(names.values())
    assert len(drawn) == 16
    links = await cy(
        page,
        "cy.edges('.influence').map(e => [e.source().data('name'), e.target().data('name'), e.data('strength')])",
    )
    assert sorted(map(tuple, links)) == sorted(
        (names[i["from"]], names[i["to"]], i["strength"]) for i in doc["influences"]
    )
    ties = await cy(
        page, "cy.edges('.tie').map(e => [e.data('kind'), e.source().data('name'), e.target().data('name')])"
    )
    assert Counter((k, frozenset((a, b))) for k, a, b in ties) == Counter(
        (t["kind"], frozenset((names[t["a"]], names[t["b"]]))) for t in doc["ties"]
    )
    circles = await cy(page, "cy.nodes('.circle').map(c => [c.data('name'), c.children().map(n => n.data('name'))])")
    assert {name: sorted(members) for name, members in circles} == {
        c["name"]: sorted(names[m["stakeholder"]] for m in c["members"]) for c in doc["circles"]
    }
    core = await cy(page, "cy.nodes('.person.core').map(n => n.data('name'))")
    assert sorted(core) == sorted(names[m["stakeholder"]] for c in doc["circles"] for m in c["members"] if m["core"])
    team = await cy(page, "cy.nodes('.team').map(n => n.data('name'))")
    assert sorted(team) == sorted(t["name"] for t in doc["team"])
    coverage = await cy(
        page, "cy.edges('.coverage').map(e => [e.source().data('name'), e.target().data('name'), e.data('label')])"
    )
    team_names = {t["externalId"]: t["name"] for t in doc["team"]}
    assert sorted(map(tuple, coverage)) == sorted(
        (team_names[c["teamMember"]], names[c["stakeholder"]], f"step {c['relationshipStep']}") for c in doc["coverage"]
    )
    reports = await cy(page, "cy.edges('.reports').length")
    assert reports == sum(1 for s in doc["stakeholders"] if s.get("reportsTo"))
    assert await cy(page, "cy.edges('.reports').every(e => e.hasClass('layer-hidden'))")
    await page.check("#layer-reports")
    assert await cy(page, "cy.edges('.reports').every(e => e.visible())")
    await w.shot("reporting-lines")
    # Each stance has a text signal besides its colour: its glyph in the label.
    gm = await node_id(page, "山田浩二")
    assert await cy(page, f"cy.getElementById('{gm}').data('label')") == "★ 山田浩二 [0]\n总经理\nDM"
    assert await cy(page, f"cy.getElementById('{gm}').hasClass('dm')")

    page_measure = await page.evaluate("window.powermap.timings")
    await page.click("#switch-account")
    second_open = await open_account(w, CANON, "佳能")
    second_measure = await page.evaluate("window.powermap.timings")
    record_timing(
        "open Canon Zhuhai, first time (s, click to interactive)",
        {"wall": round(first_open, 3), "page": page_measure},
    )
    record_timing(
        "open Canon Zhuhai, again (s, click to interactive)",
        {"wall": round(second_open, 3), "page": second_measure},
    )
    assert second_measure["layout"] == "restored"
    assert_clean(w, map_server.base_url)


async def test_the_card_of_tang_jun(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    await click_person(page, "唐军")
    card = page.locator("article.person-card")
    await card.wait_for()
    await page.wait_for_selector("#panel-person:not([aria-busy])")
    await w.shot("card")
    assert await card.locator("#card-name").inner_text() == "唐军"
    assert await card.locator(".card-head .stance-badge").first.inner_text() == "[+] supporter"
    fields = dict(
        zip(
            await card.locator("dl.fields dt").all_inner_texts(),
            await card.locator("dl.fields dd").all_inner_texts(),
            strict=True,
        )
    )
    assert fields["Title"] == "办公室主任"
    assert fields["Department"] == "总经理室/总经理办公室"
    assert fields["Influence"] == "2 of 5"
    assert fields["Buying roles"] == "recommender"
    assert fields["Buyer types"] == "coach"
    assert fields["Personality"] == "peacock"
    assert fields["External ids"] == "demo:p-tangjun"
    assert fields["Notes"].startswith("X公司服务很糟")
    sections = {
        await s.locator("h3").inner_text(): await s.inner_text()
        for s in await card.locator("section.card-section").all()
    }
    assert "Nobody recorded." in sections["Influenced by"]
    assert "李娜 [0] · strength 2" in sections["Influences"]
    assert "周敏 [-] · strength 1" in sections["Influences"]
    assert "knows: 李娜" in sections["Ties"]
    assert "knows: 郑雪" in sections["Ties"]
    assert "member of 红色圈 财务-行政圈" in sections["Circles"]
    coverage = sections["Coverage and contact"]
    assert "Last contact: 2024-03-17 02:00 UTC" in coverage
    assert "张华 (account manager) · relationship step 3 shared views · friend" in coverage
    assert "Reports to: 山田浩二 (总经理)" in sections["Reporting line"]
    assert "History (latest 20)" in sections
    # A link in the card selects that person on the map.
    await card.locator("button.person-link", has_text="李娜").first.click()
    await page.wait_for_selector("#card-name:text('李娜')")
    assert await cy(page, "cy.$(':selected').data('name')") == "李娜"
    await w.shot("linked-card")
    assert_clean(w, map_server.base_url)


def lens_rows_from_api(server: MapServer, lens: str, account: str, subject: str | None) -> list[str]:
    """The reasons the API gives for a lens, in its order: what the page must list."""
    queries = {
        "influencers": ("influencers(maxHops: 3)", "reason"),
        "neutrals": ("neutralsToConvert(maxHops: 3, first: 100)", "reason"),
        "opponents": ("opponentsToNeutralize(maxHops: 3, first: 100)", "reason"),
        "gaps": ("coverageGaps", "reason suggestion"),
        "coaches": ("coachCandidates(first: 100)", "reasons"),
        "power": ("powerMap", "circles { reason } unaffiliated { name }"),
        "access": (f'accessPaths(to: "{subject}", maxHops: 4, first: 10)', "reason"),
    }
    field, selection = queries[lens]
    data = server.graphql(f'{{ account(id: "{account}") {{ {field} {{ {selection} }} }} }}')["account"]
    rows = data[field.split("(")[0]]
    if lens == "power":
        reasons = [c["reason"] for c in rows["circles"]]
        return reasons + ([", ".join(p["name"] for p in rows["unaffiliated"])] if rows["unaffiliated"] else [])
    if lens == "coaches":
        return [reason for row in rows for reason in row["reasons"]]
    if lens == "gaps":
        return [
            text
            for row in rows
            for text in (row["reason"], *([f"Suggestion: {row['suggestion']}"] if row["suggestion"] else []))
        ]
    return [row["reason"] for row in rows]


async def test_every_lens(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    account = map_server.account_ids[CANON]
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    await page.click("#tab-lens")
    target = await node_id(page, "李娜")
    for lens in LENS_IDS:
        if lens == "access":
            # Access paths go to the selected person: 李娜, whom our coach 唐军 influences.
            await page.click("#tab-people")
            await page.click(f".person-item[data-person='{target}']")
            await page.click("#tab-lens")
        await page.click(f".lens-button[data-lens={lens}]")
        await page.wait_for_selector(f"body[data-lens-ready={lens}]")
        shown = await page.locator("#lens-list .row-reason").all_inner_texts()
        expected = lens_rows_from_api(map_server, lens, account, target if lens == "access" else None)
        assert shown == expected, lens
        assert shown, f"{lens}: the demo account gives rows"
        lit = await cy(page, "cy.elements('.hl').length")
        assert lit > 0, lens
        await page.locator("#lens-list .lens-row").first.click()
        await w.shot(f"lens-{lens}")
    # Converters' paths are drawn: the first neutral's converter path has its links lit.
    await page.click(".lens-button[data-lens=neutrals]")
    await page.wait_for_selector("body[data-lens-ready=neutrals]")
    await page.locator("#lens-list .lens-row").first.click()
    assert await cy(page, "cy.edges('.hl-strong').length") >= 1
    await page.click(".lens-button[data-lens=none]")
    await page.wait_for_selector("body[data-lens=none]")
    assert await cy(page, "cy.elements('.hl, .faded').length") == 0
    assert_clean(w, map_server.base_url)


STAKEHOLDER_STATE = """
query State($id: ID!) { account(id: $id) { stakeholders(first: 100) { nodes { name stance version } } } }
"""


def stored_people(server: MapServer) -> dict[str, tuple[str, int]]:
    nodes = server.graphql(STAKEHOLDER_STATE, {"id": server.account_ids[CANON]})["account"]["stakeholders"]["nodes"]
    return {n["name"]: (n["stance"], n["version"]) for n in nodes}


async def test_a_what_if_is_simulated_and_cancelled_without_writing(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    account = map_server.account_ids[CANON]
    before = stored_people(map_server)
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    await page.click("#whatif-toggle")
    assert await page.get_attribute("#whatif-toggle", "aria-pressed") == "true"
    await click_person(page, "山田浩二")  # neutral -> supporter
    await click_person(page, "周敏")  # opponent -> neutral
    await click_person(page, "林涛")
    await click_person(page, "林涛", shift=True)  # a step and a step back: no change
    await page.wait_for_selector("body[data-simulated='2']")
    await w.shot("what-if")
    gm, cfo = await node_id(page, "山田浩二"), await node_id(page, "周敏")
    assert await cy(page, f"cy.getElementById('{gm}').hasClass('stance-SUPPORTER')")
    assert await cy(page, f"cy.getElementById('{cfo}').hasClass('stance-NEUTRAL')")
    simulation = map_server.graphql(
        """query($id: ID!, $changes: [StanceChangeInput!]!) { account(id: $id) { simulate(changes: $changes) {
             supportScoreBefore supportScoreAfter neutralsBefore neutralsAfter opponentsBefore opponentsAfter } } }""",
        {
            "id": account,
            "changes": [{"stakeholder": gm, "stance": "SUPPORTER"}, {"stakeholder": cfo, "stance": "NEUTRAL"}],
        },
    )["account"]["simulate"]
    rows = await page.locator("#whatif-result tbody tr").all()
    cells = [await row.locator("td").all_inner_texts() for row in rows]
    shown_scores = [float(cell) for cell in cells[0][:2]]  # two decimals, as the page rounds them
    assert shown_scores == pytest.approx(
        [simulation["supportScoreBefore"], simulation["supportScoreAfter"]], abs=0.0051
    )
    assert cells[1][:2] == [str(simulation["neutralsBefore"]), str(simulation["neutralsAfter"])]
    assert cells[2][:2] == [str(simulation["opponentsBefore"]), str(simulation["opponentsAfter"])]
    assert await page.locator("#whatif-save").count() == 1
    await page.click("#whatif-cancel")
    await w.shot("what-if-cancelled")
    assert await cy(page, f"cy.getElementById('{gm}').hasClass('stance-NEUTRAL')")
    assert await cy(page, f"cy.getElementById('{cfo}').hasClass('stance-OPPONENT')")
    assert await cy(page, "cy.nodes('.whatif').length") == 0
    assert stored_people(map_server) == before
    assert_clean(w, map_server.base_url)


async def test_a_strategist_edits_a_stance_and_it_persists(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    before = stored_people(map_server)
    await click_person(page, "何志远")
    form = page.locator("form.edit-form")
    await form.wait_for()
    # The server's userError lands beside the field it names, and nothing is written.
    await page.fill("#edit-influence", "9")
    await form.locator("button[type=submit]").click()
    error = page.locator("[data-error-for=influence]")
    await error.wait_for()
    assert "influence" in (await error.inner_text()).lower()
    assert await page.get_attribute("#edit-influence", "aria-invalid") == "true"
    await w.shot("inline-error")
    assert stored_people(map_server) == before
    # A stance edit is saved through stakeholderUpdate.
    await page.fill("#edit-influence", "3")
    await page.select_option("#edit-stance", "SUPPORTER")
    await form.locator("button[type=submit]").click()
    await page.wait_for_selector("article.person-card .notice:text('Saved.')")
    await w.shot("saved")
    person = await node_id(page, "何志远")
    assert await cy(page, f"cy.getElementById('{person}').hasClass('stance-SUPPORTER')")
    assert stored_people(map_server)["何志远"] == ("SUPPORTER", before["何志远"][1] + 1)
    history = await page.locator("article.person-card .history-row").first.inner_text()
    assert "Stakeholder.stance" in history
    assert '"SUPPORTER"' in history
    await page.reload()
    await page.wait_for_selector(READY, timeout=60_000)
    assert await cy(page, f"cy.getElementById('{person}').hasClass('stance-SUPPORTER')")
    assert (await cy(page, f"cy.getElementById('{person}').data('label')")).startswith("何志远 [+]")
    await w.shot("after-reload")
    assert_clean(w, map_server.base_url)


async def test_a_viewer_sees_no_edit_control(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server, Role.VIEWER)
    assert await page.get_attribute("body", "data-role") == "VIEWER"
    assert await page.get_attribute("body", "data-can-edit") == "false"
    assert "read only" in await page.inner_text("#role-badge")
    await open_account(w, CANON, "佳能")
    await click_person(page, "唐军")
    await page.locator("article.person-card").wait_for()
    await page.wait_for_selector("#panel-person:not([aria-busy])")
    await page.click("#whatif-toggle")
    await click_person(page, "山田浩二")
    await page.wait_for_selector("body[data-simulated='1']")
    await w.shot("viewer")
    assert await page.locator(".edit-control, [data-edit]").count() == 0
    assert await page.locator("#whatif-result").count() == 1  # a viewer may still ask "what if"
    await page.click("#whatif-cancel")
    await page.click("#tab-person")
    await w.shot("viewer-card")
    assert await page.locator("form.edit-form, #edit-stance, #whatif-save").count() == 0
    assert w.errors == []


async def test_keyboard_reaches_people_lists_and_the_map(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    await page.focus("#cy")
    await page.keyboard.press("ArrowRight")  # nothing selected yet: the most influential person
    assert await cy(page, "cy.$(':selected').data('name')") == "山田浩二"
    await page.keyboard.press("ArrowLeft")
    moved_to = await cy(page, "cy.$(':selected').data('name')")
    assert moved_to != "山田浩二"
    await page.keyboard.press("Enter")
    await page.wait_for_selector(f"#card-name:text('{moved_to}')")
    await w.shot("keyboard-card")
    # The People list: the filter, then arrow keys, then Enter opens a card.
    await page.click("#tab-people")
    await page.fill("#people-filter", "经理")
    await page.focus("#people-filter")
    await page.keyboard.press("ArrowDown")
    first = await page.evaluate("document.activeElement.dataset.person")
    await page.keyboard.press("ArrowDown")
    second = await page.evaluate("document.activeElement.dataset.person")
    assert first
    assert second
    assert first != second
    await page.keyboard.press("Enter")
    await page.wait_for_selector(f"article.person-card[data-person='{second}']")
    # Tabs move with the arrow keys.
    await page.focus("#tab-person")
    await page.keyboard.press("ArrowRight")
    assert await page.get_attribute("#tab-lens", "aria-selected") == "true"
    await w.shot("keyboard-lists")
    assert_clean(w, map_server.base_url)


async def test_fits_1280x800_and_a_large_screen(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    for width, height in ((1280, 800), (2560, 1440)):
        await page.set_viewport_size({"width": width, "height": height})
        await page.wait_for_timeout(200)
        await w.shot(f"{width}x{height}")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        map_box = await page.locator("#cy").bounding_box()
        side = await page.locator("#sidebar").bounding_box()
        assert map_box
        assert side
        assert map_box["x"] + map_box["width"] <= side["x"] + 1
        assert side["x"] + side["width"] <= width + 1
        assert map_box["width"] >= 0.55 * width
        for button in await page.locator(".toolbar button").all():
            box = await button.bounding_box()
            assert box
            assert box["x"] + box["width"] <= width
            assert box["y"] + box["height"] <= height
        assert await cy(page, "cy.width()") == round(map_box["width"])


async def test_export_png_and_the_import_document(map_server: MapServer, watched: Watched) -> None:
    w, page = watched, watched.page
    await sign_in(w, map_server)
    await open_account(w, CANON, "佳能")
    async with page.expect_download() as png_download:
        await page.click("#export-png")
    png = await (await png_download.value).path()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    async with page.expect_download() as json_download:
        await page.click("#export-json")
    download = await json_download.value
    assert download.suggested_filename == f"{CANON}.json"
    exported: dict[str, Any] = json.loads((await download.path()).read_text(encoding="utf-8"))["input"]
    demo = map_server.demo[CANON]
    assert exported["source"] == demo["source"]
    assert exported["account"] == demo["account"]
    assert sorted(exported["stakeholders"], key=lambda s: s["externalId"]) == sorted(
        demo["stakeholders"], key=lambda s: s["externalId"]
    )
    key = lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False)  # noqa: E731
    for part in ("influences", "team", "coverage"):
        assert sorted(map(key, exported[part])) == sorted(map(key, demo[part])), part

    def tie(t: dict[str, Any]) -> tuple[str, tuple[str, ...], str]:
        return t["kind"], tuple(sorted((t["a"], t["b"]))), t.get("note") or ""

    assert sorted(map(tie, exported["ties"])) == sorted(map(tie, demo["ties"]))
    circles = {c["name"]: c for c in exported["circles"]}
    for circle in demo["circles"]:
        mine = circles[circle["name"]]
        assert sorted(map(key, mine["members"])) == sorted(map(key, circle["members"]))
        assert [
            circles_by_key["name"] for circles_by_key in exported["circles"] if circles_by_key["key"] in mine["rivals"]
        ] == [c["name"] for c in demo["circles"] if c["key"] in circle.get("rivals", [])]
    assert sorted((i["at"], i["type"], i["summary"]) for i in exported["interactions"]) == sorted(
        (i["at"].replace("+08:00", "+08:00"), i["type"], i["summary"]) for i in demo["interactions"]
    )
    # The document imports through the API as it is (under another source: new identities).
    exported["source"] = "map-export-check"
    payload = map_server.graphql(IMPORT_MUTATION, {"input": exported})["accountGraphImport"]
    assert payload["userErrors"] == []
    assert payload["created"] > 16
    assert_clean(w, map_server.base_url)
