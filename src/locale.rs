//! The language the lessons and the "why" notes speak: English or Traditional Chinese (zh-TW).
//!
//! It is chosen once, at start (`--lang`, the config file, else the locale), and handed down
//! as a plain value to whatever shows a note or a lesson; nothing reads it from a global.
//! [`Catalog`] holds a set of Fluent messages in both languages and falls back to English
//! for a message the other language lacks.

mod catalog;

pub use catalog::{Catalog, FluentArgs};

use std::fmt;
use std::str::FromStr;

/// A language sockscope's notes and lessons are written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English, the original of every text and the fallback for a missing translation.
    #[default]
    En,
    /// Traditional Chinese, as written in Taiwan.
    ZhTw,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Self; 2] = [Self::En, Self::ZhTw];

    /// Its tag on the command line and in the Fluent resources (BCP 47): `en`, `zh-TW`.
    #[must_use]
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::ZhTw => "zh-TW",
        }
    }

    /// The language a POSIX locale name asks for: `zh_TW.UTF-8`, `zh_TW` and `zh-Hant…` (a
    /// BCP 47 tag for Traditional Chinese) are zh-TW; anything else, `C` included, is English.
    #[must_use]
    pub fn of_locale(locale: &str) -> Self {
        let name = locale.split(['.', '@']).next().unwrap_or_default();
        let name = name.replace('-', "_").to_ascii_lowercase();
        if name == "zh_tw" || name.starts_with("zh_tw_") || name.starts_with("zh_hant") {
            Self::ZhTw
        } else {
            Self::En
        }
    }

    /// The language of the locale the variables name, in POSIX's order: the first of
    /// `LC_ALL`, `LC_MESSAGES` and `LANG` that is set and not empty decides.
    #[must_use]
    pub fn of_locale_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|value| !value.is_empty()))
            .map_or(Self::En, |locale| Self::of_locale(&locale))
    }

    /// The language of this process's locale ([`Lang::of_locale_vars`]).
    #[must_use]
    pub fn from_env() -> Self {
        Self::of_locale_vars(|name| std::env::var_os(name).map(|v| v.to_string_lossy().into()))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl FromStr for Lang {
    type Err = String;

    /// A tag as `--lang` takes it (`en`, `zh-TW`; letter case does not matter).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL.into_iter().find(|lang| lang.tag().eq_ignore_ascii_case(text)).ok_or_else(|| {
            let tags: Vec<&str> = Self::ALL.iter().map(|lang| lang.tag()).collect();
            format!("unknown language '{text}' (the languages are {})", tags.join(" and "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn locales_of_taiwan_and_traditional_chinese_are_zh_tw_and_others_english() {
        for zh in ["zh_TW.UTF-8", "zh_TW", "zh_TW.Big5", "zh_TW@euro", "zh-Hant", "zh-Hant-TW"] {
            assert_eq!(Lang::of_locale(zh), Lang::ZhTw, "{zh}");
        }
        for en in ["C", "POSIX", "C.UTF-8", "en_US.UTF-8", "zh_CN.UTF-8", "zh", "", "zh_TWX"] {
            assert_eq!(Lang::of_locale(en), Lang::En, "{en}");
        }
    }

    #[test]
    fn lc_all_wins_over_lc_messages_over_lang_and_empty_ones_do_not_count() {
        let vars = |set: &'static [(&'static str, &'static str)]| {
            move |name: &str| set.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::of_locale_vars(vars(&[("LANG", "zh_TW.UTF-8")])), Lang::ZhTw);
        let lc_all = vars(&[("LC_ALL", "C"), ("LANG", "zh_TW.UTF-8")]);
        assert_eq!(Lang::of_locale_vars(lc_all), Lang::En);
        let messages = vars(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_TW"), ("LANG", "en_US")]);
        assert_eq!(Lang::of_locale_vars(messages), Lang::ZhTw);
        assert_eq!(Lang::of_locale_vars(vars(&[])), Lang::En);
    }

    #[test]
    fn tags_parse_back_and_others_are_refused_by_name() {
        for lang in Lang::ALL {
            assert_eq!(lang.tag().parse::<Lang>(), Ok(lang));
        }
        assert_eq!("zh-tw".parse::<Lang>(), Ok(Lang::ZhTw));
        let err = "fr".parse::<Lang>().unwrap_err();
        assert!(err.contains("'fr'") && err.contains("en and zh-TW"), "{err}");
    }
}
