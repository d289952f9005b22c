"""Quotation marks found on the characters."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thucydides.extract.quotes import find_quotes


def contents(text):
    return [text[q.start:q.end] for q in find_quotes(text)]


def test_curly_and_straight_quotes():
    assert contents('He said “yes, we will.” She said "no."') == ["yes, we will.", "no."]


def test_apostrophes_are_not_quotes():
    assert contents("Moscow’s war and Trump‘s call, Beijing's view") == []


def test_single_quotes_as_marks():
    assert contents("The minister called it ‘a historic day’ for the region.") == ["a historic day"]


def test_nested_single_quotes_stay_inside():
    assert contents("“He told me ‘never again’ twice,” she said.") == ["He told me ‘never again’ twice,"]


def test_doubled_apostrophes_as_double_marks():
    text = "''We will stay,'' the envoy said. ''Nobody's leaving.''\nThe students' ''sit-in'' ended."
    assert contents(text) == ["We will stay,", "Nobody's leaving.", "sit-in"]


def test_quote_continued_in_next_paragraph():
    text = "“The first paragraph of the statement.\n“And the second one,” the envoy said."
    (q,) = find_quotes(text)
    assert text[q.start:q.end].startswith("The first") and text[q.start:q.end].endswith("second one,")


def test_unclosed_quote_ends_at_paragraph():
    text = "She said “we will never accept this\nNext paragraph here."
    (q,) = find_quotes(text)
    assert text[q.start:q.end] == "we will never accept this" and not q.closed

def test_a_curly_quote_inside_a_curly_quote_stays_inside():
    text = "“I’d rather live in what he calls “hell” than live under him,” she wrote. Then “yes.”"
    assert contents(text) == ["I’d rather live in what he calls “hell” than live under him,", "yes."]


def test_a_closing_mark_that_opens_a_paragraph_opens_a_quote():
    text = "Readers wrote in.\n\n”Fear. I am afraid the bridge will close.” ― Amara Velk\n\n” … and then we wait,” she said."
    assert contents(text) == ["Fear. I am afraid the bridge will close.", " … and then we wait,"]
    # inside a paragraph a closing mark only closes
    assert contents("He called it ”nothing” and left.") == []



@given(st.text(alphabet=st.sampled_from(list("ab “”\"‘’'.,\n")), max_size=120))
def test_quotes_are_ordered_and_inside_text(text):
    prev = -1
    for q in find_quotes(text):
        assert 0 <= q.outer_start < q.start <= q.end <= len(text)
        assert q.start > prev
        prev = q.end
