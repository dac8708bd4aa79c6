//! A FIFO whose live items are still one slice, so views can binary-search and index them.

/// Fewest popped items worth compacting away; below this the dead prefix is kept.
const MIN_COMPACT: usize = 64;

/// A queue that pops from the front in amortised O(1) and lends its items as one slice.
///
/// `VecDeque` would pop as cheaply but only lends two slices, and the views need binary search
/// by offset over chunks and messages. Popping only advances `head`; the dead prefix is dropped
/// once it is as long as the live part, so each item is moved at most once per pop and memory
/// stays within twice the live items (plus the vector's own growth slack).
#[derive(Clone, Debug)]
pub(crate) struct FrontQueue<T> {
    items: Vec<T>,
    head: usize,
}

impl<T> Default for FrontQueue<T> {
    fn default() -> Self {
        Self { items: Vec::new(), head: 0 }
    }
}

impl<T: Copy> FrontQueue<T> {
    pub(crate) fn push_back(&mut self, item: T) {
        self.items.push(item);
    }

    /// The live items, oldest first.
    pub(crate) fn as_slice(&self) -> &[T] {
        self.items.get(self.head..).unwrap_or_default()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len().saturating_sub(self.head)
    }

    pub(crate) fn front(&self) -> Option<&T> {
        self.items.get(self.head)
    }

    pub(crate) fn pop_front(&mut self) -> Option<T> {
        let item = *self.items.get(self.head)?;
        self.head += 1;
        self.compact_if_worthwhile();
        Some(item)
    }

    fn compact_if_worthwhile(&mut self) {
        if self.head < MIN_COMPACT || self.head < self.len() {
            return;
        }
        self.items.drain(..self.head);
        self.head = 0;
        // A queue that was long once should not pin its peak capacity for ever.
        if self.items.capacity() > 4 * self.items.len().max(MIN_COMPACT) {
            self.items.shrink_to(2 * self.items.len().max(MIN_COMPACT));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_order_and_keeps_the_rest_as_one_slice() {
        let mut queue = FrontQueue::default();
        for item in 0..1000_u32 {
            queue.push_back(item);
        }
        for expected in 0..700 {
            assert_eq!(queue.pop_front(), Some(expected));
            assert_eq!(queue.as_slice().first(), Some(&(expected + 1)));
            assert_eq!(queue.len(), 999 - expected as usize);
        }
        assert!(queue.items.len() < 1000, "the dead prefix was compacted away");
        assert_eq!(queue.as_slice(), (700..1000).collect::<Vec<_>>().as_slice());
    }

    #[test]
    fn empty_queue_pops_nothing() {
        let mut queue = FrontQueue::<u8>::default();
        assert_eq!(queue.pop_front(), None);
        assert_eq!(queue.front(), None);
        assert!(queue.as_slice().is_empty());
    }
}
