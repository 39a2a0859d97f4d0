//! Page faults of a large document's tree, taken on the other core.
//!
//! The tree parser (roxmltree) allocates its node arena at once (a 15 MB response: about
//! 45 MB) and then writes it from start to end, taking a page fault for every 4 KiB page on
//! the one thread that parses: a fifth of the parse. The prescan runs beside it on the
//! other core and ends well before it. This module records the program's most recent large
//! allocations (the allocator below passes everything else straight to the system's), and
//! the prescan's thread, once done, asks the kernel to fault in their pages
//! (`madvise(MADV_POPULATE_WRITE)`, Linux 5.14), and then those of any it grows into, until
//! the parser is done: the parser finds its pages mapped.
//!
//! Populating pages changes no memory's content, so a recorded range that was freed or
//! reused in the meantime costs at most some memory faulted in early; an older kernel
//! refuses the advice (EINVAL) and nothing happens. Written here by hand because no crate
//! offers it: it is an allocator hook plus one system call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The size from which an allocation is recorded.
const RECORDED_FROM: usize = 8 * 1024 * 1024;

/// The last few large allocations, as (address, length); 0 where empty.
const SLOTS: usize = 4;
static ADDR: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static LEN: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static NEXT: AtomicUsize = AtomicUsize::new(0);
/// Held while a slot's pair is written or read, so that no reader sees half a pair.
static LOCK: AtomicBool = AtomicBool::new(false);

fn locked<R>(f: impl FnOnce() -> R) -> R {
    while LOCK
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        std::hint::spin_loop();
    }
    let r = f();
    LOCK.store(false, Ordering::Release);
    r
}

fn record(addr: *mut u8, len: usize) {
    if addr.is_null() || len < RECORDED_FROM {
        return;
    }
    locked(|| {
        let i = NEXT.fetch_add(1, Ordering::Relaxed) % SLOTS;
        ADDR[i].store(addr as usize, Ordering::Relaxed);
        LEN[i].store(len, Ordering::Relaxed);
    });
}

fn forget(addr: *mut u8, len: usize) {
    if len < RECORDED_FROM {
        return;
    }
    locked(|| {
        for i in 0..SLOTS {
            if ADDR[i].load(Ordering::Relaxed) == addr as usize {
                ADDR[i].store(0, Ordering::Relaxed);
                LEN[i].store(0, Ordering::Relaxed);
            }
        }
    });
}

/// The system's allocator, recording large allocations.
pub struct Recording;

// SAFETY: every call is passed to `System` with its own arguments, unchanged; the recording
// only reads the returned address and the size, and allocates nothing.
unsafe impl GlobalAlloc for Recording {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        record(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        record(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        forget(ptr, layout.size());
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        forget(ptr, layout.size());
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        record(p, new_size);
        p
    }
}

/// Faults in the pages of the recorded allocations, and of each one recorded after them
/// until `parsing` is false (the hook `xml::set_after_prescan` runs on the prescan's thread):
/// the parser's arena grows once or twice while it parses (its first guess is one node per
/// '<', and text nodes are more), and each grown arena is faulted in too.
pub fn populate_while(parsing: &AtomicBool) {
    let mut done: [(usize, usize); SLOTS] = [(0, 0); SLOTS];
    let mut seen = usize::MAX;
    // Nothing to do once the parse is over (when the prescan ran after it, on its thread).
    while parsing.load(Ordering::Acquire) {
        let recorded = NEXT.load(Ordering::Acquire);
        if recorded != seen {
            seen = recorded;
            let ranges: [(usize, usize); SLOTS] = locked(|| {
                std::array::from_fn(|i| {
                    (
                        ADDR[i].load(Ordering::Relaxed),
                        LEN[i].load(Ordering::Relaxed),
                    )
                })
            });
            for range in ranges {
                if range.0 != 0 && !done.contains(&range) {
                    populate(range.0, range.1);
                }
            }
            done = ranges;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
}

#[cfg(target_os = "linux")]
fn populate(addr: usize, len: usize) {
    // madvise wants a page-aligned start: the range is narrowed to the whole pages in it.
    let page = 4096;
    let start = addr.div_ceil(page) * page;
    let end = (addr + len) / page * page;
    if end > start {
        // SAFETY: MADV_POPULATE_WRITE only faults in page tables for the range, "as if
        // writing to each page" without writing; it changes no content, and on a range that
        // is not (or no longer) mapped it fails with ENOMEM, which is ignored.
        unsafe {
            libc::madvise(
                start as *mut libc::c_void,
                end - start,
                libc::MADV_POPULATE_WRITE,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn populate(_addr: usize, _len: usize) {}
