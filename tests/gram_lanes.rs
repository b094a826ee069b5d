//! The lane kernels of every closed-form activation against the exact
//! recursion: tiles (symmetric and rectangular) and `Gram::entry` equal
//! `Network::kernels` within the accuracy bounds of the `gram` docs, on random
//! and adversarial point sets (duplicates, scaled and negated copies, nearly
//! (anti)parallel rows from 1e-12 to 1e-2 rad, zero rows, d = 1), depths 1–8,
//! both parameterizations, f32 and f64.
//!
//! Reference: `Network::<f64>::kernels` (the libm recursion, checked against
//! neural-tangents and mpmath by `tests/neural_tangents.rs`) on the same
//! inputs widened to f64. Bound: |tile − exact| ≤ tol·√(K(x,x)·K(z,z)) per
//! kernel, tol = 1e-13 in f64 and 2e-6 in f32, the latter plus twice the f32
//! recursion's own error where that exceeds it (near-parallel rows, which f32
//! does not resolve; deep Sign and ReQU, which magnify every rounding).

#[path = "common/inputs.rs"]
mod inputs;

use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk::{Activation, Network};

/// The activations with lane kernels (Cos is Sin with a phase).
fn activations<T: LaneReal>() -> Vec<(&'static str, Activation<T>)> {
    let t = T::from_f64;
    vec![
        ("relu", Activation::Relu),
        ("leaky(0.1)", Activation::leaky_relu(t(0.1))),
        ("abs", Activation::abs()),
        ("sign", Activation::Sign),
        ("step", Activation::Step),
        ("requ", Activation::Requ),
        ("erf", Activation::erf()),
        (
            "erf(1.3,0.7,0.2)",
            Activation::Erf {
                a: t(1.3),
                b: t(0.7),
                c: t(0.2),
            },
        ),
        ("gelu", Activation::Gelu),
        (
            "sin(0.8,1.5,0.3)",
            Activation::Sin {
                a: t(0.8),
                b: t(1.5),
                c: t(0.3),
            },
        ),
        (
            "cos(1.1,0.6,-0.4)",
            Activation::cos(t(1.1), t(0.6), t(-0.4)),
        ),
        // Small b²q: F = a²/2·(s₁ − s₂) cancels there.
        (
            "sin(1.3,0.02,0)",
            Activation::Sin {
                a: t(1.3),
                b: t(0.02),
                c: t(0.0),
            },
        ),
        ("cos(2,0.05,0)", Activation::cos(t(2.0), t(0.05), t(0.0))),
        ("identity", Activation::Identity),
        ("rectified_monomial(0)", Activation::RectifiedMonomial(0)),
        ("rectified_monomial(1)", Activation::RectifiedMonomial(1)),
        ("requ", Activation::RectifiedMonomial(2)),
        ("monomial(1)", Activation::Monomial(1)),
        ("sigmoid_like", Activation::SigmoidLike),
        ("rbf(0.7)", Activation::Rbf(t(0.7))),
        ("rbf(3)", Activation::Rbf(t(3.0))),
        (
            "exp(0.9,0.4)",
            Activation::Exp {
                a: t(0.9),
                b: t(0.4),
            },
        ),
        (
            "gaussian(1.1,-0.8)",
            Activation::Gaussian {
                a: t(1.1),
                b: t(-0.8),
            },
        ),
        (
            "gaussian(1,-1)",
            Activation::Gaussian {
                a: t(1.0),
                b: t(-1.0),
            },
        ),
        (
            "gaussian(1,0.1)",
            Activation::Gaussian {
                a: t(1.0),
                b: t(0.1),
            },
        ),
        (
            "gaussian(0.7,0.02)",
            Activation::Gaussian {
                a: t(0.7),
                b: t(0.02),
            },
        ),
        ("gabor", Activation::Gabor),
        ("monomial(2)", Activation::Monomial(2)),
        ("monomial(3)", Activation::Monomial(3)),
        ("monomial(8)", Activation::Monomial(8)),
        ("hermite(0)", Activation::Hermite(0)),
        ("hermite(1)", Activation::Hermite(1)),
        ("hermite(3)", Activation::Hermite(3)),
        ("hermite(8)", Activation::Hermite(8)),
        ("rectified_monomial(3)", Activation::RectifiedMonomial(3)),
        ("polynomial(4)", poly(&[0.5, 1.0, -0.3, 0.1])),
        (
            "polynomial(8)",
            poly(&[0.2, -0.7, 0.4, 0.3, -0.1, 0.05, 0.02, -0.01]),
        ),
        ("polynomial(1)", poly(&[1.5])),
        ("rectified_monomial(8)", Activation::RectifiedMonomial(8)),
    ]
}

/// The polynomial of coefficients `c`.
fn poly<T: LaneReal>(c: &[f64]) -> Activation<T> {
    let c: Vec<T> = c.iter().map(|&v| T::from_f64(v)).collect();
    Activation::Polynomial(ntk::activation::polynomial::Polynomial::new(&c).unwrap())
}

/// The network of case (activation `a`, depth, variant): variant 0 NTK
/// parameterization with W_std = 1.2, b_std = 0.1; 1 the defaults (no bias);
/// 2 standard parameterization, widths 30, W_std = 1.1, b_std = 0.2.
fn network<T: LaneReal>(a: usize, depth: usize, variant: usize) -> Network<T> {
    let act = activations::<T>()[a].1;
    let t = T::from_f64;
    let net = Network::new(depth, act).unwrap();
    match variant {
        0 => net.with_std(t(1.2), Some(t(0.1))).unwrap(),
        1 => net,
        _ => net
            .with_std(t(1.1), Some(t(0.2)))
            .unwrap()
            .with_standard_parameterization(&[30])
            .unwrap(),
    }
}

/// n rows of dimension d: random N(0, 1) rows, then for a few of them a
/// duplicate, a 2.5× copy, a negated copy, copies turned by 1e-12 … 1e-2 rad
/// (and their negations) and a zero row.
fn adversarial(d: usize, seed: u64) -> Vec<f64> {
    let base = inputs::gaussian(12 * d, inputs::SEED + seed);
    let dir = inputs::gaussian(12 * d, seed + 1);
    let mut rows: Vec<f64> = base.clone();
    for b in 0..3 {
        let x = &base[b * d..(b + 1) * d];
        let e = &dir[b * d..(b + 1) * d];
        rows.extend_from_slice(x);
        rows.extend(x.iter().map(|v| 2.5 * v));
        rows.extend(x.iter().map(|v| -v));
        for eta in [1e-12, 1e-8, 1e-4, 1e-2] {
            for sign in [1.0, -1.0] {
                rows.extend(x.iter().zip(e).map(|(v, w)| sign * (v + eta * w)));
            }
        }
    }
    rows.extend(std::iter::repeat_n(0.0, d));
    rows
}

/// Largest error of the lanes over (NNGP, NTK), relative to √(K(x,x)K(z,z)),
/// for the symmetric Gram, a rectangular tile and `Gram::entry`, in units of
/// the bound: `tol` in f64; in f32 `tol` plus twice the f32 recursion's own
/// error (deep Sign and ReQU magnify the rounding of f32 inputs and layers
/// beyond 2e-6, in the recursion as in the lanes).
fn worst<T: LaneReal>(
    net: Network<T>,
    exact: &Network<f64>,
    rows: &[T],
    d: usize,
    tol: f64,
) -> f64 {
    let n = rows.len() / d;
    let wide: Vec<f64> = rows.iter().map(|v| v.to_f64()).collect();
    let row = |i: usize| &wide[i * d..(i + 1) * d];
    let row_t = |i: usize| &rows[i * d..(i + 1) * d];
    let p = Points::new(rows, d).unwrap();
    let gram = Gram::new(net);
    assert!(gram.is_lane_kernel());
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let out = Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n));
    if let Err(e) = gram.symmetric(&p, out) {
        // A kernel beyond the range of T (deep ReQU) is an error, as in the recursion.
        let overflows = |i: usize| (0..n).any(|j| net.kernels(row_t(i), row_t(j)).is_err());
        assert!((0..n).any(overflows), "{e:?}");
        return 0.0;
    }
    // A rectangular tile off the diagonal: the general (non-mirrored) fill.
    let (r0, c0) = (n / 3, 1);
    let (mut ts, mut tt) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let w = n - c0;
    let out = Output::both(RowMajor(&mut ts, w), RowMajor(&mut tt, w));
    gram.tile(&p, &p, Tile::new(r0..n, c0..n), out).unwrap();
    let diag: Vec<_> = (0..n).map(|i| exact.kernels(row(i), row(i)).ok()).collect();
    let mut worst = 0f64;
    for i in 0..n {
        for j in 0..n {
            // Kernels beyond the range of T (deep ReQU) are refused by the recursion.
            let (Some(di), Some(dj), Ok(k), Ok(rec)) = (
                diag[i],
                diag[j],
                exact.kernels(row(i), row(j)),
                net.kernels(row_t(i), row_t(j)),
            ) else {
                continue;
            };
            // Root by root: the product of two tiny diagonals may underflow.
            let root = |a: f64, b: f64| a.sqrt() * b.sqrt();
            let scale = (root(di.nngp, dj.nngp), root(di.ntk, dj.ntk));
            let err = |(gs, gt): (T, T)| {
                let es = rel(gs.to_f64(), k.nngp, scale.0);
                es.max(rel(gt.to_f64(), k.ntk, scale.1))
            };
            let allow = if f32_like::<T>() {
                2.0 * err((rec.nngp, rec.ntk))
            } else {
                0.0
            };
            let e = gram.entry(row_t(i), row_t(j)).unwrap();
            let mut got = vec![(s[i * n + j], t[i * n + j]), (e.nngp, e.ntk)];
            if i >= r0 && j >= c0 {
                let at = (i - r0) * w + (j - c0);
                got.push((ts[at], tt[at]));
            }
            for g in got {
                worst = worst.max(err(g) / (tol + allow));
            }
        }
    }
    worst
}

/// The factor on the f32 bound for activation `a` at `depth`: ReQU squares
/// its variance in every layer, so a relative rounding of the inputs or of
/// any layer is magnified up to 2^L times; in f32 that exceeds 2e-6 from
/// depth 4 on (the f32 inputs then do not determine the kernel to 2e-6).
fn condition<T: LaneReal>(a: usize, depth: usize) -> f64 {
    let requ = activations::<T>()[a].0 == "requ";
    if f32_like::<T>() && requ {
        (f64::from(1u32 << depth) / 8.0).max(1.0)
    } else {
        1.0
    }
}

/// Whether T is f32.
fn f32_like<T: LaneReal>() -> bool {
    T::EPSILON.to_f64() > 1e-10
}

/// |got − want|/scale; a zero scale (a zero row's kernel is 0) needs equality.
fn rel(got: f64, want: f64, scale: f64) -> f64 {
    match (got - want).abs() {
        0.0 => 0.0,
        e if scale > 0.0 => e / scale,
        _ => f64::INFINITY,
    }
}

/// Every activation, depth 1–8, the three network variants, d ∈ {1, 3, 16}.
fn check<T: LaneReal>(tol: f64) {
    let (mut report, mut failed) = (Vec::new(), Vec::new());
    for a in 0..activations::<T>().len() {
        let mut act_worst = 0f64;
        for depth in 1..=8 {
            for variant in 0..3 {
                let (net, exact) = (
                    network::<T>(a, depth, variant),
                    network::<f64>(a, depth, variant),
                );
                for (d, seed) in [(1, 7), (3, 11), (16, 13)] {
                    let rows = adversarial(d, seed + depth as u64);
                    let rows: Vec<T> = rows.iter().map(|&v| T::from_f64(v)).collect();
                    let e = worst(net, &exact, &rows, d, tol * condition::<T>(a, depth));
                    act_worst = act_worst.max(e);
                    if e.is_nan() || e > 1.0 {
                        let name = activations::<T>()[a].0;
                        failed.push(format!(
                            "{name} depth {depth} variant {variant} d {d}: {e:.1e}"
                        ));
                    }
                }
            }
        }
        report.push(format!("{} {act_worst:.2}", activations::<T>()[a].0));
    }
    println!(
        "worst per activation, in units of the bound: {}",
        report.join(", ")
    );
    assert!(
        failed.is_empty(),
        "{} cases over {tol:e}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

#[test]
fn lanes_equal_the_recursion_f64() {
    check::<f64>(1e-13);
}

#[test]
fn lanes_equal_the_recursion_f32() {
    check::<f32>(2e-6);
}
