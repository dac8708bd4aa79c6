//! A config file's key bindings applied to the built-in table, giving the [`Keymap`] the UI
//! runs on. The keys given for an action replace all of its keys (in one context, or in every
//! context it has); its place in the table and its description stay. A key that would then
//! mean two things where both can apply is an error naming both, never a silent override,
//! unless the built-in table already orders the two that way on purpose (a focused panel's `↓`
//! before the main view's).

use super::{Action, BINDINGS, Binding, Context, Key, Keymap};
use crossterm::event::{KeyCode, KeyModifiers};
use std::fmt;

/// New keys for an action: everywhere it is bound, or only in `context`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rebinding {
    pub action: Action,
    pub context: Option<Context>,
    pub keys: Vec<Key>,
}

/// Why a set of rebindings cannot be applied; `index` is the rebinding at fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RemapError {
    pub index: usize,
    pub kind: RemapErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemapErrorKind {
    /// The action has no key in that context to replace.
    NotInContext(Action, Context),
    /// The same key would mean two actions where both apply.
    Collision { key: Key, first: (Action, Context), second: (Action, Context) },
    /// A plain character everywhere would never reach the command line.
    TypedKeyAnywhere(Key),
}

impl fmt::Display for RemapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            RemapErrorKind::NotInContext(action, context) => {
                write!(f, "'{}' has no key in '{}' to replace", action.name(), context.name())
            }
            RemapErrorKind::Collision { key, first, second } => write!(
                f,
                "key '{}' would mean both '{}' ({}) and '{}' ({})",
                key.label(),
                first.0.name(),
                first.1.name(),
                second.0.name(),
                second.1.name()
            ),
            RemapErrorKind::TypedKeyAnywhere(key) => write!(
                f,
                "key '{}' cannot apply anywhere: it could not be typed in the command line",
                key.label()
            ),
        }
    }
}

impl std::error::Error for RemapError {}

impl Keymap {
    /// The built-in table with `rebindings` applied in order.
    pub fn remapped(rebindings: &[Rebinding]) -> Result<Self, RemapError> {
        let mut table: Vec<Binding> = BINDINGS.to_vec();
        let mut added: Vec<(usize, Binding)> = Vec::new();
        for (index, rebinding) in rebindings.iter().enumerate() {
            let fail = |kind| RemapError { index, kind };
            let contexts = contexts_of(&table, rebinding);
            if let (Some(context), true) = (rebinding.context, contexts.is_empty()) {
                return Err(fail(RemapErrorKind::NotInContext(rebinding.action, context)));
            }
            added.retain(|(_, b)| !(b.action == rebinding.action && contexts.contains(&b.context)));
            for context in contexts {
                let place = |b: &Binding| b.action == rebinding.action && b.context == context;
                let Some(at) = table.iter().position(place) else { continue };
                let description = table[at].description;
                table.retain(|b| !(b.action == rebinding.action && b.context == context));
                let mut keys = rebinding.keys.clone();
                keys.dedup();
                for (offset, key) in keys.into_iter().enumerate() {
                    if context == Context::Anywhere && typed(key) {
                        return Err(fail(RemapErrorKind::TypedKeyAnywhere(key)));
                    }
                    let binding = Binding { key, context, action: rebinding.action, description };
                    table.insert(at + offset, binding);
                    added.push((index, binding));
                }
            }
        }
        check_collisions(&table, &added)?;
        Ok(Self::from_bindings(table))
    }
}

/// The contexts the rebinding changes, in table order.
fn contexts_of(table: &[Binding], rebinding: &Rebinding) -> Vec<Context> {
    let mut contexts = Vec::new();
    for binding in table.iter().filter(|b| b.action == rebinding.action) {
        let wanted = rebinding.context.is_none_or(|c| c == binding.context);
        if wanted && !contexts.contains(&binding.context) {
            contexts.push(binding.context);
        }
    }
    contexts
}

/// A key the command line would otherwise take as typed text.
fn typed(key: Key) -> bool {
    matches!(key.code, KeyCode::Char(_))
        && !key.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

/// Every new binding against every other: the same key, overlapping contexts, another action.
fn check_collisions(table: &[Binding], added: &[(usize, Binding)]) -> Result<(), RemapError> {
    for &(index, new) in added {
        let clash = table.iter().find(|other| {
            other.key == new.key
                && other.action != new.action
                && other.context.overlaps(new.context)
                && !(BINDINGS.contains(other) && BINDINGS.contains(&new))
        });
        if let Some(other) = clash {
            let kind = RemapErrorKind::Collision {
                key: new.key,
                first: (other.action, other.context),
                second: (new.action, new.context),
            };
            return Err(RemapError { index, kind });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
