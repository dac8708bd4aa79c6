//! A set of Fluent messages in every [`Lang`], English standing in for a missing translation.
//!
//! The resources are compiled in (`include_str!`), parsed once, and shared by every thread:
//! the bundles are fluent's concurrent kind, which is `Sync`. Unicode isolation marks around
//! variables are off, so no FSI/PDI character reaches a terminal.

use super::Lang;
use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use fluent_syntax::ast::Entry;
use std::fmt;

pub use fluent_bundle::FluentArgs;

/// The messages of one resource in each language.
pub struct Catalog {
    en: Book,
    zh_tw: Book,
}

/// One language's messages.
struct Book {
    bundle: FluentBundle<FluentResource>,
    /// Every message's id, in the resource's order.
    ids: Vec<String>,
    /// What did not parse or load: nothing, as the tests check; a broken message is skipped
    /// rather than stopping the program.
    problems: Vec<String>,
}

impl Catalog {
    /// The catalog of `en` and `zh_tw`, the texts of the same resource's two `.ftl` files.
    #[must_use]
    pub fn new(en: &str, zh_tw: &str) -> Self {
        Self { en: Book::new(Lang::En, en), zh_tw: Book::new(Lang::ZhTw, zh_tw) }
    }

    /// Message `id` in `lang`, else in English, with its variables set from `args`; `None`
    /// when neither has it.
    #[must_use]
    pub fn text(&self, lang: Lang, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        self.book(lang).text(id, args).or_else(|| self.en.text(id, args))
    }

    /// The ids of the messages written in `lang`.
    #[must_use]
    pub fn ids(&self, lang: Lang) -> &[String] {
        &self.book(lang).ids
    }

    /// What failed to parse or load, in either language.
    #[must_use]
    pub fn problems(&self) -> Vec<String> {
        self.en.problems.iter().chain(&self.zh_tw.problems).cloned().collect()
    }

    fn book(&self, lang: Lang) -> &Book {
        match lang {
            Lang::En => &self.en,
            Lang::ZhTw => &self.zh_tw,
        }
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").field("en", &self.en.ids).field("zh_tw", &self.zh_tw.ids).finish()
    }
}

impl Book {
    fn new(lang: Lang, source: &str) -> Self {
        let mut problems = Vec::new();
        let resource =
            FluentResource::try_new(source.to_string()).unwrap_or_else(|(kept, errs)| {
                problems.extend(errs.iter().map(|err| format!("{lang}: {err}")));
                kept
            });
        let ids = resource
            .entries()
            .filter_map(|entry| match entry {
                Entry::Message(message) => Some(message.id.name.to_string()),
                Entry::Term(_)
                | Entry::Comment(_)
                | Entry::GroupComment(_)
                | Entry::ResourceComment(_)
                | Entry::Junk { .. } => None,
            })
            .collect();
        let tag = lang.tag().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![tag]);
        bundle.set_use_isolating(false);
        if let Err(errs) = bundle.add_resource(resource) {
            problems.extend(errs.iter().map(|err| format!("{lang}: {err}")));
        }
        Self { bundle, ids, problems }
    }

    fn text(&self, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let pattern = self.bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        Some(text.into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "hello = hello\nfull = filled the { $max }-byte buffer\nonly-en = English\n";
    const ZH: &str = "hello = 你好\nfull = 填滿了 { $max } 位元組的緩衝區\n";

    #[test]
    fn a_message_comes_in_its_language_with_its_variables_and_no_isolation_marks() {
        let catalog = Catalog::new(EN, ZH);
        assert_eq!(catalog.text(Lang::ZhTw, "hello", None).as_deref(), Some("你好"));
        let mut args = FluentArgs::new();
        args.set("max", 65536);
        let full = catalog.text(Lang::ZhTw, "full", Some(&args)).expect("a message");
        assert_eq!(full, "填滿了 65536 位元組的緩衝區");
        let full = catalog.text(Lang::En, "full", Some(&args)).expect("a message");
        assert_eq!(full, "filled the 65536-byte buffer");
        assert!(catalog.problems().is_empty(), "{:?}", catalog.problems());
    }

    #[test]
    fn a_missing_translation_falls_back_to_english_and_an_unknown_id_is_none() {
        let catalog = Catalog::new(EN, ZH);
        assert_eq!(catalog.text(Lang::ZhTw, "only-en", None).as_deref(), Some("English"));
        assert_eq!(catalog.text(Lang::ZhTw, "nonsense", None), None);
        assert_eq!(catalog.ids(Lang::ZhTw), ["hello", "full"]);
    }

    #[test]
    fn a_broken_resource_is_reported_and_keeps_its_good_messages() {
        let catalog = Catalog::new("good = yes\n!!! broken\n", ZH);
        assert_eq!(catalog.text(Lang::En, "good", None).as_deref(), Some("yes"));
        assert!(!catalog.problems().is_empty());
    }
}
