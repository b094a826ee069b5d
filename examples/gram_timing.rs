//! Times the Gram fill on one core and on all cores (rayon) and prints entries per second.
//!
//! ```sh
//! cargo run --release --example gram_timing -- [n] [d] [depth] [input.f64]
//! cargo run --release --example gram_timing -- acos     # vector acos evaluations per CPU-second
//! cargo run --release --example gram_timing -- copies [rounds] [n] [d] [depth]
//! ```
//!
//! `copies` times the one-thread fill of each run-time dispatched copy the
//! CPU has (build code, AVX2, AVX-512; x86_64 default builds), interleaved
//! round by round, and prints the median rate of each and its ratio to the
//! AVX2 copy's.
//!
//! Computes NNGP + NTK of `depth`×[Dense, Relu] + Dense (neural-tangents
//! defaults: W_std = 1, no bias) on n points of dimension d, the symmetric
//! K(X, X) (n² entries, each unordered pair computed once), in f32 and f64.
//! The points are read from `input.f64` (n·d little-endian f64, row-major;
//! `scripts/bench_vs_nt.py` writes it) or drawn N(0, 1) with a fixed seed.
//! Output lines: `<precision> n=<n> d=<d> depth=<L> threads=<k> seconds=<t> entries_per_s=<r>`.

use ntk::gram::simd::Isa;
use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor};
use ntk::{Activation, Network};
use std::time::Instant;

#[path = "../tests/common/inputs.rs"]
mod inputs;
#[path = "../tests/common/parallel.rs"]
mod parallel;

/// CPU time of the calling thread in seconds (Linux `schedstat`; 0 elsewhere).
/// On a shared machine the single-thread figure is reported per CPU-second too.
fn thread_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |ns| ns * 1e-9)
}

/// Best wall seconds and mean thread-CPU seconds of repeated runs of `f`
/// (after one warm-up) until ≥ 1 s has passed (the CPU clock advances in
/// scheduler steps, so it is averaged rather than minimised).
fn best_seconds(mut f: impl FnMut()) -> (f64, f64) {
    f();
    let (mut best, mut total, mut runs) = (f64::INFINITY, 0.0, 0u32);
    let c0 = thread_cpu_seconds();
    while total < 1.0 {
        let t = Instant::now();
        f();
        let s = t.elapsed().as_secs_f64();
        best = best.min(s);
        total += s;
        runs += 1;
    }
    (best, (thread_cpu_seconds() - c0) / f64::from(runs))
}

/// Vector acos throughput on one core: 4096 arguments in [−1, 1], 64 lanes per
/// call (with 8, LLVM fully unrolls the loop before its loop vectoriser runs,
/// and the SLP vectoriser leaves it scalar: 3× slower).
fn acos_rate<T: LaneReal>(name: &str) {
    const LEN: usize = 4096;
    let xs: Vec<[T; 64]> = (0..LEN / 64)
        .map(|i| std::array::from_fn(|l| T::from_f64((i * 64 + l) as f64 / LEN as f64 * 2.0 - 1.0)))
        .collect();
    let mut out = vec![[T::ZERO; 64]; LEN / 64];
    let reps = 2000;
    let (_, cpu) = best_seconds(|| {
        for _ in 0..reps {
            for (o, x) in out.iter_mut().zip(std::hint::black_box(&xs)) {
                ntk::gram::acos::acos_lanes(x, o);
            }
            std::hint::black_box(&out);
        }
    });
    println!(
        "acos {name} evals_per_cpu_s={:.4e}",
        (LEN * reps) as f64 / cpu
    );
}

fn time<T: LaneReal>(
    name: &str,
    data: &[f64],
    n: usize,
    d: usize,
    depth: usize,
) -> Result<(), ntk::Error> {
    let x: Vec<T> = data.iter().map(|&v| T::from_f64(v)).collect();
    let points = Points::new(&x, d)?;
    let gram = Gram::new(Network::<T>::new(depth, Activation::Relu)?);
    let (mut nngp, mut ntk) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let one = best_seconds(|| {
        gram.symmetric(
            &points,
            Output::both(RowMajor(&mut nngp, n), RowMajor(&mut ntk, n)),
        )
        .expect("valid call")
    });
    let all = best_seconds(|| {
        parallel::par_symmetric(&gram, &points, &mut nngp, &mut ntk);
    });
    let e = (n * n) as f64;
    println!(
        "{name} n={n} d={d} depth={depth} threads=1 seconds={:.6} entries_per_s={:.4e} cpu_seconds={:.6} entries_per_cpu_s={:.4e}",
        one.0, e / one.0, one.1, e / one.1
    );
    println!(
        "{name} n={n} d={d} depth={depth} threads={} seconds={:.6} entries_per_s={:.4e}",
        rayon::current_num_threads(),
        all.0,
        e / all.0
    );
    Ok(())
}

/// Entries per thread-CPU-second of the one-thread symmetric fill of the
/// copy `isa` (wall-clock rate too: the CPU figure is the one that does not
/// count the other processes of a shared machine).
fn copy_rate<T: LaneReal>(gram: &Gram<T>, points: &Points<'_, T>, isa: Isa) -> (f64, f64) {
    let n = points.len();
    let (mut nngp, mut ntk) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    assert_eq!(ntk::gram::simd::set_limit(isa), isa, "the CPU runs {isa:?}");
    let (wall, cpu) = best_seconds(|| {
        let out = Output::both(RowMajor(&mut nngp, n), RowMajor(&mut ntk, n));
        gram.symmetric(points, out).expect("valid call")
    });
    let e = (n * n) as f64;
    (e / cpu, e / wall)
}

/// The `copies` mode (module docs).
fn copies(args: &[String]) -> Result<(), ntk::Error> {
    let arg =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let (rounds, n, d, depth) = (arg(0, 5), arg(1, 2048), arg(2, 64), arg(3, 3));
    let isas: Vec<Isa> = [Isa::Build, Isa::Avx2, Isa::Avx512]
        .into_iter()
        .filter(|&i| ntk::gram::simd::set_limit(i) == i)
        .collect();
    let data = inputs::gaussian(n * d, inputs::SEED);
    let (x32, x64): (Vec<f32>, Vec<f64>) = (data.iter().map(|&v| v as f32).collect(), data.clone());
    let (p32, p64) = (Points::new(&x32, d)?, Points::new(&x64, d)?);
    let g32 = Gram::new(Network::<f32>::new(depth, Activation::Relu)?);
    let g64 = Gram::new(Network::<f64>::new(depth, Activation::Relu)?);
    let mut rates = vec![Vec::new(); 2 * isas.len()];
    for round in 0..rounds {
        for (k, &isa) in isas.iter().enumerate() {
            let (a, b) = (copy_rate(&g32, &p32, isa), copy_rate(&g64, &p64, isa));
            println!(
                "round {round} {isa:?} f32 entries_per_cpu_s={:.4e} entries_per_s={:.4e} f64 entries_per_cpu_s={:.4e} entries_per_s={:.4e} load={}",
                a.0, a.1, b.0, b.1, load()
            );
            rates[2 * k].push(a.0);
            rates[2 * k + 1].push(b.0);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let meds: Vec<f64> = rates.iter_mut().map(median).collect();
    let avx2 = isas.iter().position(|&i| i == Isa::Avx2);
    for (k, isa) in isas.iter().enumerate() {
        let ratio = |p: usize| avx2.map_or(f64::NAN, |a| meds[2 * k + p] / meds[2 * a + p]);
        println!(
            "median {isa:?} n={n} d={d} depth={depth} f32 entries_per_cpu_s={:.4e} ({:.2}x AVX2) f64 entries_per_cpu_s={:.4e} ({:.2}x AVX2)",
            meds[2 * k], ratio(0), meds[2 * k + 1], ratio(1)
        );
    }
    Ok(())
}

/// The 1-minute load average (Linux; "?" elsewhere).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".into())
}

fn main() -> Result<(), ntk::Error> {
    if std::env::args().nth(1).as_deref() == Some("copies") {
        let args: Vec<String> = std::env::args().skip(2).collect();
        return copies(&args);
    }
    if std::env::args().nth(1).as_deref() == Some("acos") {
        acos_rate::<f32>("f32");
        acos_rate::<f64>("f64");
        return Ok(());
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg =
        |i: usize, default: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(default);
    let (n, d, depth) = (arg(0, 2048), arg(1, 64), arg(2, 3));
    let data = match args.get(3) {
        Some(path) => std::fs::read(path)
            .expect("read input file")
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect(),
        None => inputs::gaussian(n * d, inputs::SEED),
    };
    assert_eq!(data.len(), n * d, "input must hold n·d values");
    time::<f32>("f32", &data, n, d, depth)?;
    time::<f64>("f64", &data, n, d, depth)?;
    Ok(())
}
