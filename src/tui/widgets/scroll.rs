//! Lists longer than their part of the screen.

/// The first row to show so that row `selected` is on a page of `page` rows, moving from
/// `top` as little as possible.
pub fn keep_in_view(selected: usize, top: usize, page: usize) -> usize {
    let page = page.max(1);
    if selected < top {
        selected
    } else if selected >= top + page {
        selected + 1 - page
    } else {
        top
    }
}

#[cfg(test)]
mod tests {
    use super::keep_in_view;

    #[test]
    fn the_page_moves_only_as_far_as_the_selection_needs() {
        assert_eq!(keep_in_view(5, 0, 10), 0, "in view: stays");
        assert_eq!(
            keep_in_view(12, 0, 10),
            3,
            "below: the selection becomes the last row"
        );
        assert_eq!(
            keep_in_view(2, 7, 10),
            2,
            "above: the selection becomes the first row"
        );
        assert_eq!(keep_in_view(4, 0, 0), 4, "a page of no rows shows one");
    }
}
