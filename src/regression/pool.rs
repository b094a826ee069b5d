//! Pooled worker threads for [`threads`](super::threads) (feature `std`).
//!
//! Starting a thread per call costs more than the work it would share at
//! N ≈ 256: on the 2-vCPU test machine a spawned thread began its work
//! 47–136 µs after `spawn` (a fit takes ~900 µs), while a worker that is
//! still polling starts at once. So workers are kept: a worker that
//! finished a job polls for the next one for [`SPIN`], then sleeps on a
//! condition variable until woken. Jobs own their data (`'static`), so a
//! worker never holds a borrow of the caller's buffers and no `unsafe` is
//! needed; a panic inside a job is caught and reported to the caller.
//!
//! Their scratch vectors are kept between calls too ([`scratch`],
//! [`spare`], [`recycle`]): freed after every fit, they went back to the OS (glibc
//! trims its heaps) and were faulted in again, +300 µs per fit at n = 256
//! (`MALLOC_TRIM_THRESHOLD_` set high removed the difference).
//!
//! **Why not rayon.** The fit's jobs wait for rows that the other jobs
//! publish, so every job needs a thread of its own at once; rayon's global
//! pool promises none (called from inside a rayon job, or with the pool
//! busy, a job that would publish rows may never start, and with three or
//! more threads the waiters deadlock). Sending the jobs to rayon's global
//! pool instead (`bench_rayon_workers`, feature `rayon`; safe at two
//! threads, where the one job waits only on the caller) measured, fit +
//! predict at N = 256 on two threads (`cargo bench --bench regression --
//! workers`, f64, d = 16, depth 3, 2-vCPU Intel Xeon VM at load average
//! 7.7 from other builds, three alternating rounds, criterion medians):
//! pool 11.7 / 13.3 / 10.0 ms, rayon 11.8 / 10.1 / 11.3 ms. On a machine
//! that loaded (the unloaded figure is ~0.6 ms) the difference is within
//! the spread, so the measurement neither shows rayon ≥ 10 % slower nor
//! justifies replacing a pool that cannot deadlock by one that can; the
//! pool stays until a quiet-machine measurement and a non-waiting
//! formulation of the pipeline exist.

use std::any::Any;
use std::boxed::Box;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};
use std::vec::Vec;

/// How long a worker polls for its next job before it sleeps: long enough
/// to bridge the gaps between the calls of a fit-and-predict loop, short
/// enough that an idle program stops using the cores at once.
const SPIN: Duration = Duration::from_millis(2);

/// Measurement only (feature `rayon`): jobs go to rayon's global pool
/// instead of the workers here, to time one against the other in one run
/// (`benches/regression.rs`). Not safe in general: a pipeline job waits for
/// rows of the others, so with 3 or more threads on a busy rayon pool the
/// jobs that would publish them may never start.
#[cfg(feature = "rayon")]
static RAYON: AtomicBool = AtomicBool::new(false);

/// Sends the regression's thread jobs to rayon's global pool (`true`) or to
/// the crate's pooled workers (`false`, the default). For the benchmark
/// that compares them; see the module doc of `regression::pool` in the
/// source. Hidden: not part of the API.
#[cfg(feature = "rayon")]
#[doc(hidden)]
pub fn bench_rayon_workers(on: bool) {
    RAYON.store(on, Ordering::Relaxed);
}

/// Workers kept at most; beyond that a job gets a thread of its own.
const MAX_WORKERS: usize = 64;

/// Bytes of scratch vectors kept at most (more is freed: beyond this size
/// the O(n³) work dwarfs the page faults).
const SPARE_BYTES: usize = 16 << 20;

/// Scratch vectors for the next calls, with their bytes in all.
static SPARE: Mutex<(usize, Vec<Box<dyn Any + Send>>)> = Mutex::new((0, Vec::new()));

/// A vector of `len` copies of `fill`, reusing a kept one when there is one.
pub(crate) fn scratch<T: Copy + Send + 'static>(len: usize, fill: T) -> Vec<T> {
    let mut v = spare(len);
    v.resize(len, fill);
    v
}

/// An empty vector with room for `len`, reusing a kept one when there is one.
pub(crate) fn spare<T: Send + 'static>(len: usize) -> Vec<T> {
    let kept = {
        let mut spare = SPARE.lock().unwrap_or_else(PoisonError::into_inner);
        let fits = |b: &Box<dyn Any + Send>| b.downcast_ref::<Vec<T>>().map(Vec::capacity);
        let at = spare
            .1
            .iter()
            .position(|b| fits(b).is_some_and(|c| c >= len));
        let at = at.or_else(|| spare.1.iter().position(|b| fits(b).is_some()));
        at.map(|i| spare.1.swap_remove(i)).and_then(|b| {
            let v = b.downcast::<Vec<T>>().ok()?;
            spare.0 -= v.capacity() * core::mem::size_of::<T>();
            Some(*v)
        })
    };
    let mut v = kept.unwrap_or_default();
    v.clear();
    v.reserve(len);
    v
}

/// Keeps `v` for a later [`scratch`] (or frees it past [`SPARE_BYTES`]).
pub(crate) fn recycle<T: Send + 'static>(v: Vec<T>) {
    let bytes = v.capacity() * core::mem::size_of::<T>();
    let mut spare = SPARE.lock().unwrap_or_else(PoisonError::into_inner);
    if bytes > 0 && spare.0 + bytes <= SPARE_BYTES {
        spare.0 += bytes;
        spare.1.push(Box::new(v));
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A job's state: running, done, or panicked.
const RUNNING: u8 = 0;
const DONE: u8 = 1;
const PANICKED: u8 = 2;

struct Worker {
    /// Reserved by a caller (from handing over a job until it has run).
    busy: AtomicBool,
    /// A job is waiting in `slot` (set under its lock).
    ready: AtomicBool,
    slot: Mutex<Option<(Job, Arc<AtomicU8>)>>,
    wake: Condvar,
}

static WORKERS: Mutex<Vec<Arc<Worker>>> = Mutex::new(Vec::new());

/// A job handed to a worker; [`Handle::wait`] blocks until it has ended.
pub(crate) struct Handle(Arc<AtomicU8>);

impl Handle {
    /// Waits for the job; `false` if it panicked.
    pub(crate) fn wait(&self) -> bool {
        let mut round = 0;
        loop {
            match self.0.load(Ordering::Acquire) {
                RUNNING => backoff(&mut round),
                state => return state == DONE,
            }
        }
    }
}

/// One step of waiting for another thread: spin (the wait is usually short),
/// then yield (the other thread may be descheduled on a busy host), then
/// sleep (a long wait, as for a large fit, should not burn a core).
pub(crate) fn backoff(round: &mut u32) {
    *round = round.saturating_add(1);
    if *round < 1 << 12 {
        core::hint::spin_loop();
    } else if *round < 1 << 14 {
        std::thread::yield_now();
    } else {
        std::thread::sleep(Duration::from_micros(20));
    }
}

/// Runs `job` on an idle pooled worker (a new one if none is idle, or a
/// thread of its own past [`MAX_WORKERS`]); `None`, with the job dropped
/// unrun, if the OS refuses a thread.
pub(crate) fn run(job: impl FnOnce() + Send + 'static) -> Option<Handle> {
    let state = Arc::new(AtomicU8::new(RUNNING));
    let job: Job = Box::new(job);
    #[cfg(feature = "rayon")]
    if RAYON.load(Ordering::Relaxed) {
        let done = Arc::clone(&state);
        rayon::spawn(move || execute(job, &done));
        return Some(Handle(state));
    }
    match reserve() {
        Some(worker) => {
            let mut slot = worker.slot.lock().unwrap_or_else(PoisonError::into_inner);
            *slot = Some((job, Arc::clone(&state)));
            worker.ready.store(true, Ordering::Release);
            drop(slot);
            worker.wake.notify_one();
        }
        None => {
            let done = Arc::clone(&state);
            std::thread::Builder::new()
                .spawn(move || execute(job, &done))
                .ok()?;
        }
    }
    Some(Handle(state))
}

/// An idle worker, now busy: an existing one, else a new one (`None` past
/// [`MAX_WORKERS`], or if the OS refuses a thread).
fn reserve() -> Option<Arc<Worker>> {
    let mut workers = WORKERS.lock().unwrap_or_else(PoisonError::into_inner);
    let idle = workers.iter().find(|w| {
        w.busy
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    });
    if let Some(w) = idle {
        return Some(Arc::clone(w));
    }
    if workers.len() >= MAX_WORKERS {
        return None;
    }
    let worker = Arc::new(Worker {
        busy: AtomicBool::new(true),
        ready: AtomicBool::new(false),
        slot: Mutex::new(None),
        wake: Condvar::new(),
    });
    let serving = Arc::clone(&worker);
    std::thread::Builder::new()
        .name("ntk-worker".into())
        .spawn(move || serve(&serving))
        .ok()?;
    workers.push(Arc::clone(&worker));
    Some(worker)
}

/// A worker's life: poll for [`SPIN`], sleep until a job is ready, run it.
fn serve(w: &Worker) {
    loop {
        let polled = Instant::now();
        while !w.ready.load(Ordering::Acquire) && polled.elapsed() < SPIN {
            core::hint::spin_loop();
        }
        let mut slot = w.slot.lock().unwrap_or_else(PoisonError::into_inner);
        while !w.ready.load(Ordering::Acquire) {
            slot = w.wake.wait(slot).unwrap_or_else(PoisonError::into_inner);
        }
        w.ready.store(false, Ordering::Relaxed);
        let taken = slot.take();
        drop(slot);
        if let Some((job, state)) = taken {
            // Free for the next caller before the caller sees the state.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
            w.busy.store(false, Ordering::Release);
            state.store(
                if result.is_ok() { DONE } else { PANICKED },
                Ordering::Release,
            );
        } else {
            w.busy.store(false, Ordering::Release);
        }
    }
}

/// Runs a job on a thread of its own.
fn execute(job: Job, state: &AtomicU8) {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
    state.store(
        if result.is_ok() { DONE } else { PANICKED },
        Ordering::Release,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    /// Jobs run concurrently (each round's three jobs meet at a barrier, so
    /// they need three threads at once), and later rounds reuse the workers.
    #[test]
    fn jobs_run_concurrently_and_workers_are_reused() {
        let count = Arc::new(AtomicUsize::new(0));
        for _ in 0..50 {
            let meet = Arc::new(std::sync::Barrier::new(3));
            let handles: Vec<_> = (0..3)
                .map(|_| {
                    let (c, meet) = (Arc::clone(&count), Arc::clone(&meet));
                    run(move || {
                        meet.wait();
                        c.fetch_add(1, Ordering::Relaxed);
                    })
                    .expect("a thread")
                })
                .collect();
            assert!(handles.iter().all(Handle::wait));
        }
        assert_eq!(count.load(Ordering::Relaxed), 150);
        let workers = WORKERS.lock().unwrap().len();
        // Three at once at least; without reuse, 150 jobs would have made
        // MAX_WORKERS workers (other tests may hold a few of their own).
        assert!((3..=16).contains(&workers), "{workers} workers");
    }

    /// Recycled vectors come back (same allocation), refilled.
    #[test]
    fn scratch_reuses_recycled_vectors() {
        let v = scratch::<u16>(1000, 7);
        assert!(v.len() == 1000 && v.iter().all(|&x| x == 7));
        let ptr = v.as_ptr();
        recycle(v);
        // Other tests may take it first: look for it among a few.
        let got: Vec<Vec<u16>> = (0..8).map(|_| scratch::<u16>(900, 3)).collect();
        assert!(got.iter().any(|w| w.as_ptr() == ptr));
        assert!(got
            .iter()
            .all(|w| w.len() == 900 && w.iter().all(|&x| x == 3)));
    }

    /// A panicking job is reported, and its worker serves the next job.
    #[test]
    fn a_panic_is_reported() {
        assert!(!run(|| panic!("deliberate")).expect("a thread").wait());
        assert!(run(|| ()).expect("a thread").wait());
    }
}
