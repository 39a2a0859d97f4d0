//! A parallel map whose outputs are handed on in input order, as soon as each is next, with a
//! bounded reorder buffer: a worker starts item `i` only once fewer than `window` items before
//! it are still waiting to be handed on, so at most `window` outputs (one input's findings
//! each) are held however slow one input is and however many follow it.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

/// The state the workers share: how many outputs were handed on, and whether a worker
/// panicked (the others then stop, and the panic goes on once they have).
struct Gate {
    state: Mutex<(usize, bool)>,
    moved: Condvar,
}

impl Gate {
    /// Waits until item `i` may start; false when the run is being abandoned.
    fn wait_for(&self, i: usize, window: usize) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while !state.1 && i >= state.0 + window {
            state = self.moved.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        !state.1
    }

    fn set(&self, update: impl FnOnce(&mut (usize, bool))) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        update(&mut state);
        self.moved.notify_all();
    }
}

/// `work` on every item on `threads` threads; `sink` receives the outputs on this thread in
/// item order. A panic in `work` is raised again here once every worker has stopped.
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    window: usize,
    work: impl Fn(&T) -> R + Sync,
    sink: &mut dyn FnMut(R),
) {
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let gate = Gate {
        state: Mutex::new((0, false)),
        moved: Condvar::new(),
    };
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (next, gate, work) = (&next, &gate, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= items.len() || !gate.wait_for(i, window) {
                    return;
                }
                match panic::catch_unwind(AssertUnwindSafe(|| work(&items[i]))) {
                    Ok(r) => {
                        if tx.send((i, r)).is_err() {
                            return;
                        }
                    }
                    Err(cause) => {
                        gate.set(|s| s.1 = true);
                        panic::resume_unwind(cause);
                    }
                }
            });
        }
        drop(tx);
        hand_on(rx, &gate, sink);
    });
}

/// Receives the outputs as they come and hands each on when it is the next in order.
fn hand_on<R>(rx: mpsc::Receiver<(usize, R)>, gate: &Gate, sink: &mut dyn FnMut(R)) {
    let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
    let mut handed = 0;
    for (i, r) in rx {
        waiting.insert(i, r);
        while let Some(r) = waiting.remove(&handed) {
            sink(r);
            handed += 1;
            gate.set(|s| s.0 = handed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn outputs_come_in_item_order_with_at_most_window_held() {
        let items: Vec<u64> = (0..200).collect();
        let started = AtomicUsize::new(0);
        let mut seen = Vec::new();
        let handed = AtomicUsize::new(0);
        map_in_order(
            &items,
            4,
            8,
            |&i| {
                let ahead = started
                    .fetch_add(1, Ordering::SeqCst)
                    .saturating_sub(handed.load(Ordering::SeqCst));
                assert!(ahead < 8 + 4, "{ahead} started ahead of the output");
                // Early items slow, so later ones would race ahead if they could.
                std::thread::sleep(Duration::from_micros((200 - i) * 20));
                i
            },
            &mut |i| {
                seen.push(i);
                handed.fetch_add(1, Ordering::SeqCst);
            },
        );
        assert_eq!(seen, items);
    }

    #[test]
    fn a_panic_in_one_item_ends_the_run_and_goes_on() {
        let items: Vec<u32> = (0..50).collect();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            map_in_order(&items, 3, 4, |&i| assert_ne!(i, 7), &mut |_| {})
        }));
        assert!(caught.is_err());
    }
}
