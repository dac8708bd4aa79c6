//! Text a person reads (a lesson's title, summary, text and notes), in one language or several.
//!
//! In a file, such a text is a plain string, in the lesson's `lang`, or a table keyed by
//! language tag (`en = "..."`, `zh-TW = "..."`), so one file carries every translation of its
//! lesson. Whoever shows it picks a language; English stands in for one the lesson lacks.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The language a lesson's plain strings are in unless its `lang` says otherwise, and the one
/// shown when a lesson has no text in the language asked for.
pub const DEFAULT_LANG: &str = "en";

/// A text as written in the file.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum RawText {
    Plain(String),
    ByLang(BTreeMap<String, String>),
}

/// A text in one or more languages (never none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalText {
    /// (language tag, text), in the file's order of tags (sorted), never empty.
    texts: Vec<(String, String)>,
}

impl LocalText {
    /// A text in one language.
    #[must_use]
    pub fn one(lang: &str, text: impl Into<String>) -> Self {
        Self { texts: vec![(lang.to_owned(), text.into())] }
    }

    /// `raw` as a text; a plain string is in `lang`. `Err` names what is wrong: no text, or a
    /// tag that is not a language tag.
    pub(super) fn from_raw(raw: RawText, lang: &str) -> Result<Self, String> {
        let texts: Vec<(String, String)> = match raw {
            RawText::Plain(text) => vec![(lang.to_owned(), text)],
            RawText::ByLang(map) => map.into_iter().collect(),
        };
        if let Some((tag, _)) = texts.iter().find(|(tag, _)| !is_language_tag(tag)) {
            return Err(format!(
                "'{}' is not a language tag such as en or zh-TW",
                tag.escape_debug()
            ));
        }
        if texts.is_empty() {
            return Err("no text: write a string, or a table of languages (en = \"...\")".into());
        }
        Ok(Self { texts })
    }

    /// The text in `lang`: the exact tag (case aside), else the same language in another
    /// region (`zh` for `zh-TW`), else English, else the first the lesson has.
    #[must_use]
    pub fn text(&self, lang: &str) -> &str {
        let primary = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        let exact = self.texts.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(lang));
        let same_language = || self.texts.iter().find(|(tag, _)| primary(tag) == primary(lang));
        let english = || self.texts.iter().find(|(tag, _)| tag.eq_ignore_ascii_case(DEFAULT_LANG));
        let found = exact.or_else(same_language).or_else(english).or(self.texts.first());
        found.map_or("", |(_, text)| text.as_str())
    }

    /// The languages this text is written in.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.texts.iter().map(|(tag, _)| tag.as_str())
    }
}

/// A BCP 47 tag as people write them: a 2-3 letter language, then subtags of 1-8 letters or
/// digits (`en`, `zh-TW`, `pt-BR`, `sr-Latn`).
#[must_use]
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(pairs: &[(&str, &str)]) -> LocalText {
        let map = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        LocalText::from_raw(RawText::ByLang(map), "en").unwrap()
    }

    #[test]
    fn a_language_is_found_exactly_then_by_language_then_english() {
        let text = texts(&[("en", "hello"), ("zh-TW", "你好"), ("de", "hallo")]);
        assert_eq!(text.text("zh-TW"), "你好");
        assert_eq!(text.text("zh-tw"), "你好");
        assert_eq!(text.text("zh"), "你好");
        assert_eq!(text.text("de-AT"), "hallo");
        assert_eq!(text.text("fr"), "hello");
        let only_german = texts(&[("de", "hallo")]);
        assert_eq!(only_german.text("en"), "hallo", "the first there is");
    }

    #[test]
    fn a_plain_string_is_in_the_lessons_language() {
        let text = LocalText::from_raw(RawText::Plain("hallo".into()), "de").unwrap();
        assert_eq!(text.languages().collect::<Vec<_>>(), ["de"]);
        assert_eq!(text.text("en"), "hallo");
    }

    #[test]
    fn tags_must_be_language_tags_and_a_table_needs_a_text() {
        for good in ["en", "zh-TW", "pt-BR", "sr-Latn", "ast"] {
            assert!(is_language_tag(good), "{good}");
        }
        for bad in ["", "e", "english", "en_US", "zh-", "-TW", "en-toolongsubtag"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
        let err = LocalText::from_raw(RawText::ByLang(BTreeMap::new()), "en").unwrap_err();
        assert!(err.starts_with("no text"), "{err}");
        let map = BTreeMap::from([("english".to_owned(), "x".to_owned())]);
        let err = LocalText::from_raw(RawText::ByLang(map), "en").unwrap_err();
        assert!(err.contains("'english' is not a language tag"), "{err}");
    }
}
