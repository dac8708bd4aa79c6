//! The lessons in languages other than English, by scenario name: one table per language,
//! English where a lesson has no translation. The texts keep the English lessons' light
//! markup (`assets/lessons/LANG/NAME.md`).

use super::Entry;
use crate::locale::Lang;

/// The Traditional Chinese lessons.
const ZH_TW: &[(&str, &str)] = &[
    ("messages", include_str!("../../assets/lessons/zh-TW/messages.md")),
    ("echo", include_str!("../../assets/lessons/zh-TW/echo.md")),
    ("partial-recv", include_str!("../../assets/lessons/zh-TW/partial-recv.md")),
    ("partial-send", include_str!("../../assets/lessons/zh-TW/partial-send.md")),
    ("framing", include_str!("../../assets/lessons/zh-TW/framing.md")),
    ("byte-order", include_str!("../../assets/lessons/zh-TW/byte-order.md")),
    ("eof-and-shutdown", include_str!("../../assets/lessons/zh-TW/eof-and-shutdown.md")),
    ("select", include_str!("../../assets/lessons/zh-TW/select.md")),
    ("dead-peer", include_str!("../../assets/lessons/zh-TW/dead-peer.md")),
];

/// The lesson of `entry` in `lang`, else in English.
#[must_use]
pub fn lesson_in(entry: &Entry, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::En => return entry.lesson,
        Lang::ZhTw => ZH_TW,
    };
    table.iter().find(|(name, _)| *name == entry.name).map_or(entry.lesson, |(_, text)| text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::SCENARIOS;

    #[test]
    fn every_lesson_is_translated_with_its_title_and_its_two_lists() {
        for entry in SCENARIOS {
            let zh = lesson_in(entry, Lang::ZhTw);
            assert_ne!(zh, entry.lesson, "{}: a translation", entry.name);
            let title = zh.lines().next().unwrap_or_default();
            assert!(title.starts_with(&format!("# {}: ", entry.name)), "{}: {title}", entry.name);
            assert!(zh.lines().any(|line| line == "請看："), "{}: what to look at", entry.name);
            assert!(zh.lines().any(|line| line == "按鍵："), "{}: which keys", entry.name);
            let items = |text: &str| text.lines().filter(|l| l.starts_with("- ")).count();
            assert_eq!(items(zh), items(entry.lesson), "{}: every list item", entry.name);
            assert_eq!(lesson_in(entry, Lang::En), entry.lesson);
        }
        assert_eq!(ZH_TW.len(), SCENARIOS.len(), "no translation of a lesson that does not exist");
    }

    #[test]
    fn a_lesson_without_a_translation_is_english() {
        let entry = Entry { name: "untranslated", summary: "", lesson: "# untranslated: x\n" };
        assert_eq!(lesson_in(&entry, Lang::ZhTw), entry.lesson);
    }
}
