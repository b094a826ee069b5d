//! A structured random driver over ntk's public API (stable Rust).
//!
//! For every entry point it draws adversarial arguments ([`gen`]), calls it
//! under `catch_unwind` and checks: no panic, no hang (a watchdog), every
//! value inside `Ok` finite, the documented invariants (symmetry, PSD,
//! learnabilities in [0, 1] summing as documented, …), and on `Err` the
//! state of a model exactly as before (snapshots before and after).
//!
//! ```text
//! FUZZ_ITERS=2000 cargo run --release          # inputs per entry point (default 2000)
//! FUZZ_SEED=7 FUZZ_THREADS=2 FUZZ_ONLY=gram    # seed, threads, entry-name filter
//! FUZZ_SECONDS=3600                            # stop after an hour (entry points advance evenly)
//! FUZZ_REPLAY=1234 FUZZ_ONLY=gram.entry        # re-run one input, printing its verdict
//! ```
//!
//! Input i of entry e uses the seed mix(FUZZ_SEED, e, i): any failure
//! printed can be replayed alone. Exit status 1 on any finding.

mod gen;
mod targets;

use gen::Gen;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What one call did.
pub enum Verdict {
    /// `Ok` with finite values and the invariants holding.
    Ok,
    /// A typed error, the state unchanged.
    Err,
    /// `Ok` holding NaN or ±∞.
    NonFinite(String),
    /// A documented invariant broken.
    Broken(String),
    /// An error that changed the state.
    Lost(String),
}

/// One public entry point and its argument generator + checks.
pub struct Entry {
    pub name: &'static str,
    pub run: fn(&mut Gen) -> Verdict,
}

#[derive(Default, Clone)]
struct Stats {
    inputs: u64,
    ok: u64,
    err: u64,
    panics: u64,
    non_finite: u64,
    broken: u64,
    lost: u64,
    /// Thread-seconds spent on this entry point's inputs.
    secs: f64,
    examples: Vec<String>,
}

impl Stats {
    fn findings(&self) -> u64 {
        self.panics + self.non_finite + self.broken + self.lost
    }

    /// Counts one verdict (`None`: a panic with message `msg`) of input i.
    fn count(&mut self, v: Option<Verdict>, msg: String, i: u64) {
        self.inputs += 1;
        let finding = match v {
            Some(Verdict::Ok) => {
                self.ok += 1;
                return;
            }
            Some(Verdict::Err) => {
                self.err += 1;
                return;
            }
            None => {
                self.panics += 1;
                format!("panic: {msg}")
            }
            Some(Verdict::NonFinite(m)) => {
                self.non_finite += 1;
                format!("non-finite in Ok: {m}")
            }
            Some(Verdict::Broken(m)) => {
                self.broken += 1;
                format!("broken invariant: {m}")
            }
            Some(Verdict::Lost(m)) => {
                self.lost += 1;
                format!("lost state: {m}")
            }
        };
        if self.examples.len() < 3 {
            self.examples.push(format!("#{i} {finding}"));
        }
    }

    fn add(&mut self, o: Stats) {
        self.inputs += o.inputs;
        self.ok += o.ok;
        self.err += o.err;
        self.panics += o.panics;
        self.non_finite += o.non_finite;
        self.broken += o.broken;
        self.lost += o.lost;
        self.secs += o.secs;
        for ex in o.examples {
            if self.examples.len() < 3 {
                self.examples.push(ex);
            }
        }
    }
}

/// Inputs per unit of work.
const BATCH: u64 = 1000;

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// The seed of input i of entry e.
fn seed_of(seed: u64, e: usize, i: u64) -> u64 {
    let mut g = Gen::new(seed ^ ((e as u64) << 40) ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
    g.u64()
}

fn one(entry: &Entry, seed: u64) -> (Option<Verdict>, String) {
    let mut g = Gen::new(seed);
    g.start();
    match panic::catch_unwind(AssertUnwindSafe(|| (entry.run)(&mut g))) {
        Ok(v) => (Some(v), String::new()),
        Err(p) => {
            let msg = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            (None, msg)
        }
    }
}

fn main() {
    let iters: u64 = env("FUZZ_ITERS", 2000);
    let seed: u64 = env("FUZZ_SEED", 1);
    let threads: usize = env("FUZZ_THREADS", 1usize).max(1);
    let hang_secs: u64 = env("FUZZ_HANG_SECS", 120);
    let only = std::env::var("FUZZ_ONLY").unwrap_or_default();
    // FUZZ_SECONDS: stop starting new batches after this long (all entry
    // points have then had about the same number of inputs).
    let seconds: u64 = env("FUZZ_SECONDS", 0);
    let deadline = (seconds > 0).then(|| Instant::now() + Duration::from_secs(seconds));
    let replay: Option<u64> = std::env::var("FUZZ_REPLAY")
        .ok()
        .and_then(|v| v.parse().ok());
    if replay.is_none() {
        panic::set_hook(Box::new(|_| {}));
    }
    let entries: Vec<(usize, Entry)> = targets::all()
        .into_iter()
        .enumerate()
        .filter(|(_, e)| e.name.contains(only.as_str()))
        .collect();
    if let Some(i) = replay {
        for (e, entry) in &entries {
            let (v, msg) = one(entry, seed_of(seed, *e, i));
            let what = match v {
                None => format!("panic: {msg}"),
                Some(Verdict::Ok) => "ok".into(),
                Some(Verdict::Err) => "err".into(),
                Some(Verdict::NonFinite(s)) => format!("non-finite in Ok: {s}"),
                Some(Verdict::Broken(s)) => format!("broken invariant: {s}"),
                Some(Verdict::Lost(s)) => format!("lost state: {s}"),
            };
            println!("{} #{i}: {what}", entry.name);
        }
        return;
    }
    let entries = Arc::new(entries);
    let next = Arc::new(AtomicUsize::new(0));
    let results = Arc::new(Mutex::new(vec![Stats::default(); entries.len()]));
    // Watchdog: each worker bumps its counter per input; a counter that does
    // not move for `hang_secs` is a hang (the entry and input are printed).
    let progress: Arc<Vec<(AtomicU64, AtomicUsize, AtomicU64)>> = Arc::new(
        (0..threads)
            .map(|_| {
                (
                    AtomicU64::new(0),
                    AtomicUsize::new(usize::MAX),
                    AtomicU64::new(0),
                )
            })
            .collect(),
    );
    let done = Arc::new(AtomicBool::new(false));
    {
        let (progress, done, entries) = (progress.clone(), done.clone(), entries.clone());
        std::thread::spawn(move || {
            let mut last: Vec<(u64, Instant)> = vec![(0, Instant::now()); progress.len()];
            while !done.load(Relaxed) {
                std::thread::sleep(Duration::from_secs(1));
                for (t, (count, entry, input)) in progress.iter().enumerate() {
                    let c = count.load(Relaxed);
                    if c != last[t].0 {
                        last[t] = (c, Instant::now());
                    } else if entry.load(Relaxed) != usize::MAX
                        && last[t].1.elapsed() > Duration::from_secs(hang_secs)
                    {
                        let (e, i) = (entry.load(Relaxed), input.load(Relaxed));
                        println!("HANG: {} input #{i} (> {hang_secs} s); replay: FUZZ_ONLY={} FUZZ_REPLAY={i}", entries[e].1.name, entries[e].1.name);
                        std::process::exit(2);
                    }
                }
            }
        });
    }
    let start = Instant::now();
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (entries, next, results, progress) = (
                entries.clone(),
                next.clone(),
                results.clone(),
                progress.clone(),
            );
            std::thread::spawn(move || loop {
                // Units of BATCH inputs, entry-major within a batch round:
                // every entry point advances evenly, whenever the run stops.
                let u = next.fetch_add(1, Relaxed);
                let (k, round) = (u % entries.len().max(1), (u / entries.len().max(1)) as u64);
                let first = round * BATCH;
                if entries.is_empty()
                    || first >= iters
                    || deadline.is_some_and(|d| Instant::now() > d)
                {
                    progress[t].1.store(usize::MAX, Relaxed);
                    return;
                }
                let (e, entry) = &entries[k];
                progress[t].1.store(k, Relaxed);
                let mut s = Stats::default();
                let began = Instant::now();
                for i in first..(first + BATCH).min(iters) {
                    progress[t].2.store(i, Relaxed);
                    progress[t].0.fetch_add(1, Relaxed);
                    let (v, msg) = one(entry, seed_of(seed, *e, i));
                    s.count(v, msg, i);
                }
                s.secs = began.elapsed().as_secs_f64();
                results.lock().unwrap()[k].add(s);
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    done.store(true, Relaxed);
    let results = results.lock().unwrap();
    println!(
        "{:<40} {:>10} {:>10} {:>10} {:>6} {:>9} {:>6} {:>5} {:>9}",
        "entry point", "inputs", "ok", "err", "panic", "nonfinite", "broken", "lost", "µs/input"
    );
    let (mut total, mut bad_entries) = (Stats::default(), 0);
    for ((_, entry), s) in entries.iter().zip(results.iter()) {
        println!(
            "{:<40} {:>10} {:>10} {:>10} {:>6} {:>9} {:>6} {:>5} {:>9.1}",
            entry.name,
            s.inputs,
            s.ok,
            s.err,
            s.panics,
            s.non_finite,
            s.broken,
            s.lost,
            s.secs * 1e6 / s.inputs.max(1) as f64
        );
        for ex in &s.examples {
            println!("    {}: {ex}", entry.name);
        }
        if s.findings() > 0 {
            bad_entries += 1;
        }
        total.add(s.clone());
    }
    println!(
        "total: {} entry points, {} inputs ({} ok, {} err) in {:.1} s; panics {}, non-finite in Ok {}, broken invariants {}, lost state {}",
        entries.len(),
        total.inputs,
        total.ok,
        total.err,
        start.elapsed().as_secs_f64(),
        total.panics,
        total.non_finite,
        total.broken,
        total.lost
    );
    println!(
        "fuzz: {} passed, {} failed",
        entries.len() - bad_entries,
        bad_entries
    );
    if bad_entries > 0 {
        std::process::exit(1);
    }
}
