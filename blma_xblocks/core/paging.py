"""Pages of a tutor table: which page is shown, how many there are, where it starts."""


def page_window(total, page, size):
    """(page, pages, start) for `total` rows, `size` a page: the page asked for, kept within 1..pages."""
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    return page, pages, (page - 1) * size
