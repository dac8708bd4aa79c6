//! What a person decides about the messages an intercept holds (`H` opens their list): one
//! enum inside [`super::Action`], so the list's keys keep their names, footer words and
//! properties together.

/// An action of the held-messages list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HeldAction {
    /// Lists the messages an intercept holds (`:intercept`).
    Open,
    PickNext,
    PickPrev,
    /// Forward the highlighted message as it came.
    Forward,
    /// Edit the highlighted message as text with escapes, then forward the edit.
    EditText,
    /// Edit the highlighted message as hex, then forward the edit.
    EditHex,
    /// Drop the highlighted message: it is never forwarded.
    Drop,
    /// Forward everything its pair holds and stop intercepting that pair.
    ForwardAll,
}

impl HeldAction {
    /// The action's name in the config file: kebab-case, stable.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Open => "open-held-list",
            Self::PickNext => "pick-next-held",
            Self::PickPrev => "pick-prev-held",
            Self::Forward => "forward-held",
            Self::EditText => "prompt-edit-held-text",
            Self::EditHex => "prompt-edit-held-hex",
            Self::Drop => "drop-held",
            Self::ForwardAll => "forward-all-held",
        }
    }

    /// Whether it asks something of the engine (a replay only shows what was held).
    #[must_use]
    pub fn needs_engine(self) -> bool {
        match self {
            Self::Open | Self::PickNext | Self::PickPrev => false,
            Self::Forward | Self::EditText | Self::EditHex | Self::Drop | Self::ForwardAll => true,
        }
    }

    /// Whether the key lets bytes go (or never go) the moment it is pressed; editing asks
    /// first.
    #[must_use]
    pub fn changes_a_socket_at_once(self) -> bool {
        match self {
            Self::Forward | Self::Drop | Self::ForwardAll => true,
            Self::Open | Self::PickNext | Self::PickPrev | Self::EditText | Self::EditHex => false,
        }
    }

    /// The word shown next to the key in the footer.
    #[must_use]
    pub fn footer_label(self) -> Option<&'static str> {
        Some(match self {
            Self::Open => "held",
            Self::PickNext => "move",
            Self::Forward => "forward",
            Self::EditText => "edit",
            Self::EditHex => "edit hex",
            Self::Drop => "drop",
            Self::ForwardAll => "forward all",
            Self::PickPrev => return None,
        })
    }
}
