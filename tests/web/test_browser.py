"""The chat page and the widget in a real browser: Playwright driving Debian's chromium (``/usr/bin/chromium``,
installed by ``.ci/run``; never a downloaded browser), against ``jinshui-qa web`` started on 127.0.0.1.

Screenshots of the page (Chinese, English, a phone, the widget) are kept in ``tests/web/artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from jinshui_qa.storage.feedback import read_votes
from tests.web.servers import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, Servers, running_servers


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    with running_servers(tmp_path_factory.mktemp("web")) as found:
        yield found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install -y chromium` (.ci/run does it)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def ask(page: Page, question: str) -> None:
    count = page.locator(".msg.bot").count()
    page.get_by_label(re.compile("您的问题|Your question")).fill(question)
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(count + 1)


def last_reply(page: Page) -> str:
    return page.locator(".msg.bot").last.inner_text()


def test_chinese_then_english_with_a_follow_up(page: Page, servers: Servers) -> None:
    page.goto(servers.web)
    expect(page.locator("html")).to_have_attribute("lang", "zh")  # from Accept-Language
    expect(page.get_by_role("heading", level=1)).to_have_text("金水区问答助手")
    ask(page, "金水区科技型企业有几家")
    first = page.locator(".msg.bot").last
    expect(first.locator(".text")).to_contain_text("2058")
    expect(first.locator(".source")).to_contain_text("来源：《")
    expect(first.locator(".period")).to_have_text("时期：2022年")
    ask(page, "那高企呢")
    expect(page.locator(".msg.bot").last.locator(".text")).to_contain_text("723")
    ask(page, "在全市占比多少")
    expect(page.locator(".msg.bot").last.locator(".text")).to_contain_text("17.5%")
    page.screenshot(path=str(ARTIFACTS / "page-zh.png"), full_page=True)

    page.get_by_role("button", name="Switch to English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jinshui District Q&A")
    expect(
        page.get_by_role("button", name="How many high-tech enterprises does Jinshui have?")
    ).to_be_visible()
    ask(page, "How many key projects does Jinshui have?")
    reply = page.locator(".msg.bot").last
    expect(reply.locator(".source")).to_contain_text("Source: Projects first")
    expect(reply.locator(".period")).to_contain_text("Period: 2022")
    page.screenshot(path=str(ARTIFACTS / "page-en.png"), full_page=True)


def test_example_and_clarify_buttons_and_a_vote_with_a_comment(page: Page, servers: Servers) -> None:
    page.goto(servers.web + "?lang=en")
    answers = page.locator(".msg.bot").count()
    page.get_by_role("button", name="What is Jin Xiao'er?").click()
    expect(page.locator(".msg.user").last).to_have_text("You:What is Jin Xiao'er?")
    expect(page.locator(".msg.bot")).to_have_count(answers + 1)  # the page takes one question at a time
    ask(page, "重点项目")
    clarify = page.locator(".msg.bot").last
    expect(clarify).to_contain_text("您想问的是哪一个")  # the clarifying reply has arrived
    options = clarify.get_by_role("group").get_by_role("button")
    assert options.count() >= 2
    chosen = options.nth(1).inner_text()
    options.nth(1).click()
    expect(page.locator(".msg.user").last).to_contain_text(chosen)
    answer = page.locator(".msg.bot").last
    expect(answer.locator(".source")).to_be_visible()
    answer.get_by_role("button", name="答得不对").click()
    expect(answer.locator(".thanks")).to_have_text("谢谢您的反馈！")
    answer.get_by_label("哪里不对？（可选）").fill("数字对不上")
    answer.get_by_role("button", name="提交").click()
    expect(answer.get_by_role("button", name="提交")).to_have_count(0)
    votes = read_votes(servers.data / "questions.db")
    assert [(v.channel, v.vote, v.comment) for v in votes] == [("web", "down", "数字对不上")]


def test_keyboard_only(page: Page, servers: Servers) -> None:
    page.goto(servers.web)
    page.keyboard.press("Tab")
    expect(page.locator(".skip")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#question")).to_be_focused()
    page.keyboard.type("项目")
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(1)
    expect(page.locator("#question")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back from the question box: the last option of the clarifying question
    focused = page.locator(".msg.bot .choices button").last
    expect(focused).to_be_focused()
    title = focused.inner_text()
    page.keyboard.press("Enter")
    expect(page.locator(".msg.bot")).to_have_count(2)
    expect(page.locator(".msg.user").last).to_contain_text(title)
    page.locator("#question").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="答得不对").last).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("button", name="有帮助").last).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(".thanks").last).to_be_focused()
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")


def test_phone_viewport(browser: Browser, servers: Servers) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="en-US")  # fmt: skip
    page = context.new_page()
    try:
        page.goto(servers.web)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        page.get_by_role("button", name="How many high-tech enterprises does Jinshui have?").tap()
        expect(page.locator(".msg.bot .period")).to_contain_text("Period:")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        send = page.get_by_role("button", name="Send").bounding_box()
        assert send is not None and send["x"] + send["width"] <= 390 and send["height"] >= 44
        page.screenshot(path=str(ARTIFACTS / "phone-en.png"), full_page=True)
    finally:
        context.close()


def test_the_widget_on_a_page_of_another_origin(page: Page, servers: Servers) -> None:
    page.goto(servers.host_page)
    assert servers.host_page.split("/")[2] != servers.web.split("/")[2]
    launcher = page.get_by_role("button", name="💬 Ask about Jinshui")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    frame = page.frame_locator("iframe[title='Jinshui District Q&A']")
    frame.get_by_label("Your question").fill("How many high-tech enterprises does Jinshui have?")
    frame.get_by_label("Your question").press("Enter")
    expect(frame.locator(".msg.bot .text")).to_contain_text("723")
    expect(frame.locator(".msg.bot .period")).to_contain_text("Period: 2022")
    page.screenshot(path=str(ARTIFACTS / "widget-en.png"))
    frame.get_by_label("Your question").press("Escape")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    expect(launcher).to_be_focused()


def test_a_site_outside_the_allow_list_cannot_show_the_panel(page: Page, servers: Servers) -> None:
    other = servers.host_page.replace("localhost", "127.0.0.1")  # same page, an origin not in JQA_WEB_ORIGINS
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text))
    page.goto(other)
    page.get_by_role("button", name="💬 Ask about Jinshui").click()
    frame = page.frame_locator("iframe[title='Jinshui District Q&A']")
    expect(frame.locator("#question")).to_have_count(0, timeout=3000)
    assert any("frame-ancestors" in text for text in blocked), blocked


def test_questions_and_replies_are_shown_as_text_never_as_html(page: Page, servers: Servers) -> None:
    page.goto(servers.web)
    ask(page, "<img src=x onerror=alert(1)><b>金水区</b>")
    expect(page.locator(".msg.user .text").last).to_have_text("<img src=x onerror=alert(1)><b>金水区</b>")
    assert page.locator("#log img, #log b").count() == 0
