"""Cleaning an article (furniture dropped, paragraphs kept) and cutting it into sentences."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import alliances.ingest.text as text_module
from alliances.ingest.text import Cleaned, address_date, clean, split_sentences

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

PARAGRAPHS = [
    "Ankara has spent a decade hedging between its allies and Moscow.",
    "The pipeline deal, worth $12 billion, was signed in 2016. Critics called it a gift.",
    "Officials in Washington say the purchase of Russian air defences changed everything.",
]

PLAIN = f"""\
Can Washington Keep Ankara?

By Jane Roe
March 3, 2021

{PARAGRAPHS[0]}
Share this article
Facebook Twitter Email
Turkish and Russian officials in Sochi, Russia, September 2017.
Jane Roe / REUTERS

{PARAGRAPHS[1]}
Advertisement
Sign up for our weekly newsletter and get the best analysis in your inbox.

{PARAGRAPHS[2]}
You are reading a free article.
Subscribe now
• Unlimited access to every story
• The print edition, six times a year
Already a subscriber? Log in
Loading…
Most Read
Why the Alliance Is Fraying
The New Cold War Begins
Related Articles
We use cookies to improve your experience on our site.
Accept all
© 2021 The Example Review. All rights reserved.
"""

HTML = f"""<!DOCTYPE html>
<html lang="en"><head>
<title>Can Washington Keep Ankara? | The Example Review</title>
<meta property="og:title" content="Can Washington Keep Ankara?">
<meta property="article:published_time" content="2021-03-03T08:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/subscribe">Subscribe</a></li></ul></nav>
<div id="cookie-banner">We use cookies to improve your experience.
<button>Accept all</button></div>
<header><h1>Can Washington Keep Ankara?</h1><p class="byline">By Jane Roe</p></header>
<article>
<p>{PARAGRAPHS[0]}</p>
<figure><img src="a.jpg" alt=""><figcaption>Turkish and Russian officials in Sochi, Russia,
September 2017. Jane Roe / REUTERS</figcaption></figure>
<p>{PARAGRAPHS[1]}</p>
<div class="newsletter"><p>Sign up for our weekly newsletter and get the best analysis in
your inbox.</p></div>
<p>{PARAGRAPHS[2]}</p>
<p>Subscribe now for unlimited access.</p>
</article>
<aside><h2>Most Read</h2><ul><li><a href="/a">Why the Alliance Is Fraying</a></li>
<li><a href="/b">The New Cold War Begins</a></li></ul></aside>
<div class="paywall"><p>Already a subscriber? Log in.</p></div>
<footer><p>© 2021 The Example Review. All rights reserved.</p></footer>
</body></html>
"""

FURNITURE = [
    "By Jane Roe",
    "Share",
    "Facebook",
    "Sochi",
    "REUTERS",
    "Advertisement",
    "newsletter",
    "free article",
    "Subscribe",
    "Unlimited access",
    "print edition",
    "subscriber",
    "Loading",
    "Most Read",
    "Fraying",
    "Cold War",
    "Related",
    "cookies",
    "Accept all",
    "All rights reserved",
]


def test_plain_text_loses_its_furniture_and_keeps_its_paragraphs_in_order():
    page = clean(PLAIN)
    assert page.text.split("\n\n") == ["Can Washington Keep Ankara?", *PARAGRAPHS]
    for word in FURNITURE:
        assert word not in page.text, word
    assert "Subscribe now" in page.dropped
    assert "Jane Roe / REUTERS" in page.dropped


def test_plain_text_title_is_a_short_first_line_and_the_dateline_gives_the_date():
    page = clean(PLAIN)
    assert page.title == "Can Washington Keep Ankara?"
    assert page.date == "2021-03-03"
    assert clean(PARAGRAPHS[0] + "\n" + PARAGRAPHS[1]).title is None  # ends with a stop


@pytest.mark.parametrize(
    ("address", "date"),
    [
        ("https://www.theguardian.com/world/2016/oct/21/duterte-ditched-the-us", "2016-10-21"),
        ("http://america.aljazeera.com/articles/2014/2/13/russia-egypt.html", "2014-02-13"),
        ("https://www.latimes.com/world/la-fg-wn-egypt-20140213-story.html", "2014-02-13"),
        ("http://example.org/news/2021_jul_07_china-trying-to-cut", "2021-07-07"),
        ("https://nation.com.pk/27-Jan-2015/a-shift-in-power", "2015-01-27"),
        ("https://www.pri.org/stories/2012-06-28/uzbekistan-quits", "2012-06-28"),
        ("https://paperspast.natlib.govt.nz/newspapers/CHP19780714.2.66", "1978-07-14"),
        ("https://www.aseantoday.com/2019/12/bangkoks-balancing-act/", None),  # no day
        ("https://example.org/2019/02/30/no-such-day", None),
        ("https://example.org/2999/01/01/not-yet-written", None),
        ("https://history.state.gov/historicaldocuments/frus1969-76v11/d116", None),
        ("https://2016/10/21.example.org/", None),  # the host is not the path
    ],
)
def test_an_address_gives_the_date_its_path_names(address, date):
    assert address_date(address) == date


def test_a_pasted_source_line_dates_the_text_unless_a_dateline_does():
    body = "\n".join(PARAGRAPHS)
    source = "SOURCE: https://www.example.org/2016/10/21/ankara-hedges\nTITLE: Ankara hedges\n\n"
    assert clean(source + body).date == "2016-10-21"
    assert clean(source + "March 3, 2021\n" + body).date == "2021-03-03"
    assert clean("https://www.example.org/2016/10/21/ankara\n" + body).date is None  # no label
    assert clean(body + "\n\nSOURCE: https://www.example.org/2016/10/21/x").date is None


def test_an_html_page_loses_navigation_cookies_captions_lists_and_pitches():
    page = clean(HTML)
    assert isinstance(page, Cleaned)
    for paragraph in PARAGRAPHS:
        assert paragraph in page.text
    for word in FURNITURE:
        assert word not in page.text, word
    assert "Home" not in page.text


def test_title_and_date_come_from_the_page_metadata():
    page = clean(HTML)
    assert page.title == "Can Washington Keep Ankara?"
    assert page.date == "2021-03-03"
    assert page.text.startswith("Can Washington Keep Ankara?\n\n")


def test_a_page_without_a_date_has_none_and_a_title_tag_loses_the_site_name():
    html = (
        "<html><head><title>Oil for Arms | The Example Review</title></head><body>"
        f"<article><p>{PARAGRAPHS[1]} It was signed, they said, in 2016.</p></article>"
        "</body></html>"
    )
    page = clean(html)
    assert page.date is None
    assert page.title == "Oil for Arms"
    assert "pipeline deal" in page.text


def test_kind_forces_the_reading():
    html = "<p>Moscow signed.</p><p>Tehran agreed.</p>"
    assert clean(html, kind="text").text == html
    assert "<p>" not in clean(html, kind="html").text
    assert clean(html).text == clean(html, kind="html").text


@pytest.mark.parametrize(
    "credit",
    [
        "Sergei Karpukhin / REUTERS",
        "Vadim Savitsky / Russian Defense Ministry / REUTERS",
        "AP Photo/Jane Roe",
        "Photo by Jane Roe/AFP via Getty Images",
        "Jane Roe/Getty Images",
        "Photo: Jane Roe",
        "Image credit: Example Agency",
    ],
)
def test_a_photo_credit_is_dropped_with_the_caption_above_it(credit):
    caption = "Soldiers at the base near the border"
    page = clean(f"{PARAGRAPHS[0]}\n{caption}\n{credit}\n{PARAGRAPHS[1]}")
    assert page.text.split("\n\n") == PARAGRAPHS[:2]
    assert page.dropped == [caption, credit]


def test_a_caption_and_its_credit_on_one_line_are_dropped():
    line = "Putin and Rouhani in Ufa, Russia, July 2015. Jane Roe / REUTERS"
    assert clean(f"{PARAGRAPHS[0]}\n\n{line}\n\n{PARAGRAPHS[1]}").dropped == [line]


def test_a_dated_caption_without_credit_is_dropped():
    caption = "Russian jets at an air base, Syria, June 2016."
    assert clean(f"{PARAGRAPHS[0]}\n\n{caption}\n\n{PARAGRAPHS[1]}").dropped == [caption]


def test_a_pull_quote_repeating_a_sentence_of_the_article_is_dropped():
    paragraph = (
        "The talks dragged on for months. Moscow will need to keep Tehran close to hold its "
        "bases in Syria over the long term, and both sides know it. Neither side blinked."
    )
    quote = "Moscow will need to keep Tehran close to hold its bases in Syria."
    page = clean(f"{PARAGRAPHS[0]}\n\n{quote}\n\n{paragraph}")
    assert page.dropped == [quote]


@pytest.mark.parametrize(
    "line",
    [
        "Reuters reported that Moscow and Tehran had signed the arms deal in 2016.",
        "By all appearances, the alliance will hold for another decade.",
        "Subscribers to the old treaty, Iran and Iraq among them, objected.",
        "Related talks in Vienna, which ended in July 2015, produced the nuclear deal.",
        "Most read the treaty as a defeat for Washington.",
        "Loading the missiles took the crews of the brigade three full days of work.",
    ],
)
def test_article_sentences_that_look_like_furniture_are_kept(line):
    assert clean(f"{PARAGRAPHS[0]}\n\n{line}").text.split("\n\n") == [PARAGRAPHS[0], line]


def test_spaces_are_normalised_and_the_text_is_the_kept_lines():
    page = clean("Putin\u00a0 spoke\u200b in  Moscow.\r\n\r\n\r\nTehran listened.  ")
    assert page.text == "Putin spoke in Moscow.\n\nTehran listened."
    assert page.dropped == []


def test_wrong_arguments_are_refused_with_a_message():
    with pytest.raises(ValueError, match="kind='pdf' should be 'auto', 'html' or 'text'"):
        clean("x", kind="pdf")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expected the article as text"):
        clean(b"x")  # type: ignore[arg-type]


def test_an_empty_text_cleans_to_nothing():
    assert clean("") == Cleaned("", None, None, [])
    assert split_sentences("") == []


# --- sentences -------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    spans = split_sentences(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
    return [s.text for s in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Navy sailed. Iran watched.", ["The U.S. Navy sailed.", "Iran watched."]),
        (
            "Mr. Putin and Dr. Rouhani met. Gen. Smith did not.",
            ["Mr. Putin and Dr. Rouhani met.", "Gen. Smith did not."],
        ),
        (
            "Trade rose to 2.5 percent. It fell to 1.8 later.",
            ["Trade rose to 2.5 percent.", "It fell to 1.8 later."],
        ),
        (
            "The loan is USD 2.5 bn. in all. The deal is €10bn. The rest waits.",
            ["The loan is USD 2.5 bn. in all.", "The deal is €10bn.", "The rest waits."],
        ),
        (
            "Donald J. Trump and George W. Bush spoke.",
            ["Donald J. Trump and George W. Bush spoke."],
        ),
        (
            "Sanctions hit the U.S. The next day markets fell.",
            ["Sanctions hit the U.S.", "The next day markets fell."],
        ),
        (
            "It was signed on Jan. 5 in Paris. Article No. 5 applies.",
            ["It was signed on Jan. 5 in Paris.", "Article No. 5 applies."],
        ),
        (
            "“Why now?” he asked. “Because,” she said.",
            ["“Why now?” he asked.", "“Because,” she said."],
        ),
        (
            "He called it a “catastrophe.” The years since proved it.",
            ["He called it a “catastrophe.”", "The years since proved it."],
        ),
        (
            "Moscow Needs Tehran\nThe essay begins here. And ends here!",
            ["Moscow Needs Tehran", "The essay begins here.", "And ends here!"],
        ),
        (
            "Russia, Iran, etc. are named. (A study agreed.) Then it ended…",
            ["Russia, Iran, etc. are named.", "(A study agreed.)", "Then it ended…"],
        ),
        ("  Leading spaces. Trailing ones.  ", ["Leading spaces.", "Trailing ones."]),
    ],
)
def test_sentences_end_at_stops_but_not_after_abbreviations_initials_or_decimals(text, expected):
    assert _sentences(text) == expected


def test_sentence_offsets_point_into_the_text():
    text = "Iran’s value to Moscow grew. The Kremlin agreed.\n\nWashington did not."
    spans = split_sentences(text)
    assert [(s.start, s.end) for s in spans] == [(0, 28), (29, 48), (50, 69)]


def test_the_module_examples_run():
    result = doctest.testmod(text_module)
    assert result.attempted > 0
    assert result.failed == 0


# --- the seed essay (../shared/seeds) ---------------------------------------------------


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"the seed document is not at {path}")
    return path.read_text(encoding="utf-8")


SEED_FURNITURE = [
    "Subscribe",
    "subscriber",
    "Most Read",
    "cookies",
    "REUTERS",
    "Loading",
    "Paywall",
    "Related Articles",
    "free article",
]


@pytest.mark.data
def test_the_seed_essay_loses_its_captions_and_subscription_pitch():
    page = clean(_seed("000_0c90206f52bad03e.txt"))
    for word in SEED_FURNITURE:
        assert word not in page.text, word
    assert "Khmeimim" not in page.text  # a photo caption
    assert "Oval Office" not in page.text  # another
    assert len(page.text.split("\n\n")) >= 15
    for keyword in ("Eurasian Economic Union", "Crimea", "Shanghai Cooperation", "Tehran"):
        assert keyword in page.text
    assert all(len(s.text) < 600 for s in split_sentences(page.text))
    assert len(split_sentences(page.text)) >= 40


@pytest.mark.data
def test_the_cut_off_scrape_loses_loading_notice_lists_and_cookie_banner():
    page = clean(_seed("001_f5afef145d96edc6.txt"))
    for word in SEED_FURNITURE:
        assert word not in page.text, word
    assert page.title is not None
    assert "Iran" in page.title
    assert page.text.startswith(page.title)
    assert "Central Asian" in page.text  # the cut-off last paragraph is kept
    assert page.dropped[-1].startswith("This site uses cookies")


def test_a_pasted_title_line_gives_the_title_and_a_source_line_is_never_one():
    raw = (
        "SOURCE: https://example.org/turkey-tilt\nTITLE: Turkey’s tilt towards Russia\n\n"
        "Ankara received the first batch of the S-400 this week.\n"
    )
    assert clean(raw).title == "Turkey’s tilt towards Russia"
    bare = "SOURCE: https://example.org/x\n\nTurkey tilts east\n\nAnkara bought missiles.\n"
    assert clean(bare).title == "Turkey tilts east"
