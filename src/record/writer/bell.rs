//! The bell a failing writer rings: the runner's alarm, set at any time, hears the failure
//! once, whether it was set before the failure or after.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Told once, on the writer's thread, why writing failed (the OS's error, e.g. "No space left
/// on device (os error 28)") when it fails before the recording is finished: the session goes
/// on unrecorded, and whoever shows it can say so then, not only when the session ends.
pub type Alarm = Box<dyn FnOnce(String) + Send>;

/// Where a failure goes: to the alarm once one is set, else kept until one is.
#[derive(Default)]
pub(super) struct Bell {
    alarm: Option<Alarm>,
    failure: Option<String>,
}

pub(super) type SharedBell = Arc<Mutex<Bell>>;

fn lock(bell: &SharedBell) -> MutexGuard<'_, Bell> {
    bell.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The writer failed: tells the alarm, or keeps the news for it.
pub(super) fn ring(bell: &SharedBell, failure: String) {
    let alarm = {
        let mut bell = lock(bell);
        let alarm = bell.alarm.take();
        if alarm.is_none() {
            bell.failure = Some(failure.clone());
        }
        alarm
    };
    if let Some(alarm) = alarm {
        alarm(failure);
    }
}

/// Sets the alarm; if the writer has already failed, tells it now.
pub(super) fn set(bell: &SharedBell, alarm: Alarm) {
    let failure = {
        let mut bell = lock(bell);
        let failure = bell.failure.take();
        if failure.is_none() {
            bell.alarm = Some(alarm);
            return;
        }
        failure
    };
    if let Some(failure) = failure {
        alarm(failure);
    }
}

impl fmt::Debug for Bell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Bell")
            .field("alarm", &self.alarm.is_some())
            .field("failure", &self.failure)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn alarm_into(told: &mpsc::Sender<String>) -> Alarm {
        let told = told.clone();
        Box::new(move |failure| told.send(failure).unwrap())
    }

    #[test]
    fn the_alarm_hears_the_failure_once_whether_set_before_or_after_it() {
        let (told, heard) = mpsc::channel();
        let before = SharedBell::default();
        set(&before, alarm_into(&told));
        ring(&before, "full".into());
        let after = SharedBell::default();
        ring(&after, "gone".into());
        set(&after, alarm_into(&told));
        set(&after, alarm_into(&told));
        assert_eq!(heard.try_iter().collect::<Vec<_>>(), ["full", "gone"]);
    }
}
