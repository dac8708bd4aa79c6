//! Prose cut into rows by display width: a lesson's paragraphs, a "why" note. A row breaks
//! where Unicode's line-breaking rules (UAX #14) allow: at a space, and between two Chinese
//! characters, which need none; never before a full-width comma or full stop. Chinese
//! characters take two cells each, so a row of them holds half as many as of Latin letters.

use textwrap::{Options, WordSeparator, WrapAlgorithm};

/// `text` in rows of at most `width` cells, the first starting with `first`, the others with
/// `rest` (a list item's hanging indent); a word longer than a row breaks where the row ends.
/// An empty `text` is one empty row.
#[must_use]
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let options = Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_separator(WordSeparator::UnicodeBreakProperties)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        .break_words(true);
    textwrap::wrap(text, options).into_iter().map(std::borrow::Cow::into_owned).collect()
}

/// The pieces of `word` (a run without spaces) between which a row may break: one piece for
/// a Latin word, a piece per character (give or take punctuation) for Chinese. Together they
/// are `word`.
#[must_use]
pub fn pieces(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut at = 0;
    for found in WordSeparator::UnicodeBreakProperties.find_words(word) {
        let len = found.word.len() + found.whitespace.len();
        out.push(&word[at..at + len]);
        at += len;
    }
    if at < word.len() {
        out.push(&word[at..]);
    }
    out
}

/// Cells `text` takes on a terminal.
#[must_use]
pub fn width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_rows_break_between_characters_within_the_width() {
        let text = "對端不會再傳送任何資料；你仍然可以傳送，直到你自己呼叫 shutdown 為止。";
        let rows = wrap(text, 20, "", "");
        assert!(rows.len() > 2, "{rows:?}");
        assert!(rows.iter().all(|row| width(row) <= 20), "{rows:?}");
        assert_eq!(rows.concat().replace(' ', ""), text.replace(' ', ""), "nothing lost");
        assert!(rows.iter().skip(1).all(|row| !row.starts_with(['，', '。', '；'])), "{rows:?}");
    }

    #[test]
    fn latin_rows_break_at_spaces_and_list_items_hang() {
        let rows = wrap("an item long enough to need a second row", 20, "- ", "  ");
        assert_eq!(rows, ["- an item long", "  enough to need a", "  second row"]);
        assert_eq!(wrap("", 20, "", ""), [""]);
    }

    #[test]
    fn a_word_breaks_into_pieces_only_where_it_may() {
        assert_eq!(pieces("recv(5)"), ["recv(5)"]);
        let zh = pieces("對端重置了連線（RST）");
        assert!(zh.len() > 4, "{zh:?}");
        assert_eq!(zh.concat(), "對端重置了連線（RST）");
        assert!(zh.iter().all(|piece| !piece.starts_with('）')), "{zh:?}");
    }
}
