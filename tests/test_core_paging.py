"""Pages of tutor tables: the page shown stays within 1..pages, and pages cover every row once."""
import pytest
from hypothesis import given, strategies as st

from blma_xblocks.core.paging import page_window


@pytest.mark.parametrize("total,page,size,expected", [
    (0, 1, 50, (1, 1, 0)), (0, 7, 50, (1, 1, 0)), (50, 1, 50, (1, 1, 0)), (51, 2, 50, (2, 2, 50)),
    (51, 3, 50, (2, 2, 50)), (120, 0, 50, (1, 3, 0)), (120, -4, 50, (1, 3, 0)), (120, 3, 50, (3, 3, 100)),
])
def test_page_window(total, page, size, expected):
    assert page_window(total, page, size) == expected


@given(st.integers(0, 10_000), st.integers(1, 500))
def test_the_pages_cover_every_row_once(total, size):
    _page, pages, _start = page_window(total, 1, size)
    starts = [page_window(total, n, size)[2] for n in range(1, pages + 1)]
    covered = [row for start in starts for row in range(start, min(total, start + size))]
    assert covered == list(range(total)) and page_window(total, pages + 5, size)[0] == pages
