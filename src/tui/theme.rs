//! Colours and emphasis in one place, by role. The built-in theme uses only the 16 basic
//! colours, so the UI reads on any terminal palette, light or dark; meaning never rests on
//! colour alone (the focused panel's title is also bold, warnings also say "warning").
//!
//! A config file may restyle each role (`[theme]`, [`Theme::with`]). The theme is chosen once
//! at start and reaches every drawing function inside the
//! [`crate::tui::render_context::RenderContext`] they are given.

mod style_text;

pub use style_text::{parse_style, style_text};

use ratatui::style::{Color, Modifier, Style};

/// What a style is for. Each role is one function below.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Border,
    BorderFocused,
    Title,
    TitleFocused,
    Dim,
    StatusBar,
    ModeBadge,
    Warning,
    Error,
    Key,
    OverlayBorder,
}

impl Role {
    /// In the order the default config file lists them.
    pub const ALL: [Self; 11] = [
        Self::Border,
        Self::BorderFocused,
        Self::Title,
        Self::TitleFocused,
        Self::Dim,
        Self::StatusBar,
        Self::ModeBadge,
        Self::Warning,
        Self::Error,
        Self::Key,
        Self::OverlayBorder,
    ];

    /// The role's name in the config file's `[theme]`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Border => "border",
            Self::BorderFocused => "border-focused",
            Self::Title => "title",
            Self::TitleFocused => "title-focused",
            Self::Dim => "dim",
            Self::StatusBar => "status-bar",
            Self::ModeBadge => "mode-badge",
            Self::Warning => "warning",
            Self::Error => "error",
            Self::Key => "key",
            Self::OverlayBorder => "overlay-border",
        }
    }

    /// What the role colours, for the default config file's comments.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Self::Border => "borders of the panels without the focus",
            Self::BorderFocused => "the border of the focused panel",
            Self::Title => "titles of the panels without the focus",
            Self::TitleFocused => "the title of the focused panel",
            Self::Dim => "quiet text: hints, notes, empty panels",
            Self::StatusBar => "the status bar at the top",
            Self::ModeBadge => "the mode in the status bar (AUTO, MANUAL, REPLAY)",
            Self::Warning => "warnings in the status bar",
            Self::Error => "errors in the status bar",
            Self::Key => "key names in the footer and the help",
            Self::OverlayBorder => "borders of the help, prompts and menus",
        }
    }

    /// The role named `name` in the config file.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.name() == name)
    }

    /// The built-in style.
    #[must_use]
    pub fn builtin(self) -> Style {
        let plain = Style::new();
        match self {
            Self::Border | Self::Dim => plain.fg(Color::DarkGray),
            Self::BorderFocused => plain.fg(Color::Cyan),
            Self::Title => plain,
            Self::StatusBar => plain.bg(Color::Blue).fg(Color::White),
            Self::ModeBadge => plain.bg(Color::White).fg(Color::Black).add_modifier(Modifier::BOLD),
            Self::Warning => plain.bg(Color::Yellow).fg(Color::Black).add_modifier(Modifier::BOLD),
            Self::Error => plain.bg(Color::Red).fg(Color::White).add_modifier(Modifier::BOLD),
            Self::TitleFocused | Self::Key => plain.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            Self::OverlayBorder => plain.fg(Color::Yellow),
        }
    }

    fn index(self) -> usize {
        Self::ALL.iter().position(|&role| role == self).unwrap_or_default()
    }
}

/// A style for every role.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    styles: [Style; Role::ALL.len()],
}

impl Default for Theme {
    /// The built-in theme.
    fn default() -> Self {
        Self { styles: Role::ALL.map(Role::builtin) }
    }
}

impl Theme {
    /// This theme with `role` drawn in `style`.
    #[must_use]
    pub fn with(mut self, role: Role, style: Style) -> Self {
        self.styles[role.index()] = style;
        self
    }

    #[must_use]
    pub fn style(&self, role: Role) -> Style {
        self.styles[role.index()]
    }
}

/// The style of each role, by name, for the drawing code.
impl Theme {
    #[must_use]
    pub fn border(&self, focused: bool) -> Style {
        self.style(if focused { Role::BorderFocused } else { Role::Border })
    }

    #[must_use]
    pub fn title(&self, focused: bool) -> Style {
        self.style(if focused { Role::TitleFocused } else { Role::Title })
    }

    #[must_use]
    pub fn dim(&self) -> Style {
        self.style(Role::Dim)
    }

    #[must_use]
    pub fn status_bar(&self) -> Style {
        self.style(Role::StatusBar)
    }

    #[must_use]
    pub fn mode_badge(&self) -> Style {
        self.style(Role::ModeBadge)
    }

    #[must_use]
    pub fn warning(&self) -> Style {
        self.style(Role::Warning)
    }

    #[must_use]
    pub fn error(&self) -> Style {
        self.style(Role::Error)
    }

    #[must_use]
    pub fn key(&self) -> Style {
        self.style(Role::Key)
    }

    #[must_use]
    pub fn overlay_border(&self) -> Style {
        self.style(Role::OverlayBorder)
    }
}
