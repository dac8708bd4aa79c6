//! The table the UI runs on: the built-in [`BINDINGS`], or the table a config file derived
//! from it at start ([`Keymap::remapped`]). Dispatch, the help overlay and the footer all ask
//! this one value, so a remapped key changes all three at once.

use super::{Action, BINDINGS, Binding, Context, Key};
use std::borrow::Cow;

/// A keymap: bindings in table order (the first match wins).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keymap {
    bindings: Cow<'static, [Binding]>,
}

impl Default for Keymap {
    /// The built-in table.
    fn default() -> Self {
        Self { bindings: Cow::Borrowed(BINDINGS) }
    }
}

/// Bindings of one context that share an action, with all their keys: `j, ↓`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub keys: Vec<Key>,
    pub context: Context,
    pub action: Action,
    pub description: &'static str,
}

impl Group {
    /// The keys joined for display: `j/↓` (`separator` `/`) or `` `j`, `↓` `` in Markdown.
    #[must_use]
    pub fn keys_label(&self, separator: &str) -> String {
        self.keys.iter().map(|key| key.label()).collect::<Vec<_>>().join(separator)
    }
}

impl Keymap {
    pub(super) fn from_bindings(bindings: Vec<Binding>) -> Self {
        Self { bindings: Cow::Owned(bindings) }
    }

    /// Every binding, in table order.
    #[must_use]
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// The action `key` means where the contexts for which `active` is true apply; the
    /// table's first match wins.
    #[must_use]
    pub fn action_for(&self, key: Key, active: impl Fn(Context) -> bool) -> Option<Action> {
        self.bindings.iter().find(|b| b.key == key && active(b.context)).map(|b| b.action)
    }

    /// What `action` does, in the table's words.
    #[must_use]
    pub fn description(&self, action: Action) -> Option<&'static str> {
        self.bindings.iter().find(|b| b.action == action).map(|b| b.description)
    }

    /// The table grouped by context (in [`Context::ALL`] order) and action, in table order.
    #[must_use]
    pub fn groups(&self) -> Vec<Group> {
        let mut groups: Vec<Group> = Vec::new();
        for context in Context::ALL {
            for binding in self.bindings.iter().filter(|b| b.context == context) {
                match groups.iter_mut().find(|g| g.context == context && g.action == binding.action)
                {
                    Some(group) => group.keys.push(binding.key),
                    None => groups.push(Group {
                        keys: vec![binding.key],
                        context,
                        action: binding.action,
                        description: binding.description,
                    }),
                }
            }
        }
        groups
    }

    /// The footer's hints for what applies now, for the actions `keep` accepts (a replay
    /// leaves out what needs live sockets): `(keys, label)`, most specific context first.
    #[must_use]
    pub fn hints_where(
        &self,
        active: impl Fn(Context) -> bool,
        keep: impl Fn(Action) -> bool,
    ) -> Vec<(String, &'static str)> {
        let groups = self.groups();
        Context::MOST_SPECIFIC_FIRST
            .into_iter()
            .filter(|&context| active(context))
            .flat_map(|context| groups.iter().filter(move |group| group.context == context))
            .filter(|group| keep(group.action))
            .filter_map(|group| {
                // Only the keys that do this now: a focused panel may give `↓` its own meaning.
                let keys: Vec<Key> = group
                    .keys
                    .iter()
                    .copied()
                    .filter(|&key| self.action_for(key, &active) == Some(group.action))
                    .collect();
                let label = group.action.footer_label()?;
                (!keys.is_empty()).then(|| (Group { keys, ..group.clone() }.keys_label("/"), label))
            })
            .collect()
    }
}
