//! The run-time dispatched copies of the Gram fill (build code, AVX2,
//! AVX-512F on x86_64) give bitwise the same matrices, on random and
//! adversarial inputs, for every tile shape the driver has (symmetric,
//! rectangular, with its transpose), both precisions and parameterizations.
//!
//! The copies are selected with the hidden `gram::simd::set_limit`; a copy
//! the CPU lacks is reported, not silently skipped.

use ntk::gram::simd::{self, Isa};
use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk::{Activation, Network};

#[path = "common/inputs.rs"]
mod inputs;

/// The copies this CPU runs, widest last (always at least `Build`).
fn copies() -> Vec<Isa> {
    let all = [Isa::Build, Isa::Avx2, Isa::Avx512];
    let have: Vec<Isa> = all
        .into_iter()
        .filter(|&i| simd::set_limit(i) == i)
        .collect();
    println!("copies run by this CPU: {have:?}");
    have
}

/// n points of dimension d: Gaussian, then overwritten by adversarial rows:
/// duplicates, exactly and nearly (anti)parallel scaled copies, zero rows,
/// and norms at the edges of (and beyond) the lane kernel's fast range.
/// `far` = (small, large) scales: inside the fast range and beyond it.
fn adversarial(n: usize, d: usize, seed: u64, far: [f64; 4]) -> Vec<f64> {
    let mut x = inputs::gaussian(n * d, seed);
    let row = |x: &[f64], i: usize| x[i * d..(i + 1) * d].to_vec();
    let set = |x: &mut Vec<f64>, i: usize, v: Vec<f64>| x[i * d..(i + 1) * d].copy_from_slice(&v);
    let r0 = row(&x, 0);
    let scaled = |s: f64| r0.iter().map(|v| v * s).collect::<Vec<_>>();
    let nudged = |e: f64| {
        r0.iter()
            .enumerate()
            .map(|(k, v)| v + if k == 0 { e } else { 0.0 })
            .collect::<Vec<_>>()
    };
    let rows: Vec<Vec<f64>> = vec![
        r0.clone(),
        scaled(2.0),
        scaled(-3.0),
        scaled(-1.0),
        nudged(1e-7),
        nudged(-1e-12),
        vec![0.0; d],
        scaled(far[0]),
        scaled(far[1]),
        scaled(far[2]),
        scaled(far[3]),
        r0.clone(),
    ];
    for (k, v) in rows.into_iter().enumerate() {
        // Spread over the matrix so that they fall in different lanes and blocks.
        let i = (k * 37 + 3) % n;
        set(&mut x, i, v);
    }
    x
}

/// The bits of every entry of NNGP and NTK of each tile the driver has.
fn matrices<T: LaneReal>(net: Network<T>, data: &[f64], d: usize) -> Vec<u64> {
    let xs: Vec<T> = data.iter().map(|&v| T::from_f64(v)).collect();
    let x = Points::new(&xs, d).unwrap();
    let n = x.len();
    let gram = Gram::new(net);
    let mut bits = Vec::new();
    let mut push = |v: &[T]| bits.extend(v.iter().map(|p| p.to_f64().to_bits()));
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    // Kernels beyond the range of T (Exp, monomials at huge norms) are an
    // error, with the tile written: the copies must agree on both.
    let ok = gram
        .symmetric(&x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
        .is_ok();
    push(&[T::from_f64(f64::from(u8::from(ok)))]);
    push(&s);
    push(&t);
    // A rectangular block off the diagonal, with its transpose.
    let (rows, cols) = (3..n - 5, 1..n - 2);
    let (r, c) = (rows.len(), cols.len());
    let (mut a, mut b) = (vec![T::ZERO; r * c], vec![T::ZERO; r * c]);
    let (mut at, mut bt) = (vec![T::ZERO; r * c], vec![T::ZERO; r * c]);
    let ok = gram
        .tile_and_transpose(
            &x,
            &x,
            Tile::new(rows, cols),
            Output::both(RowMajor(&mut a, c), RowMajor(&mut b, c)),
            Output::both(RowMajor(&mut at, r), RowMajor(&mut bt, r)),
        )
        .is_ok();
    push(&[T::from_f64(f64::from(u8::from(ok)))]);
    for v in [&a, &b, &at, &bt] {
        push(v);
    }
    assert!(t.iter().any(|&v| v != T::ZERO), "a non-trivial NTK");
    bits
}

/// Each copy's bits against the build code's, for one network and input.
fn agree<T: LaneReal>(net: Network<T>, data: &[f64], d: usize, what: &str) {
    let mut reference = None;
    for isa in copies() {
        simd::set_limit(isa);
        let bits = matrices(net, data, d);
        match &reference {
            None => reference = Some(bits),
            Some(r) => {
                let diff = r.iter().zip(&bits).filter(|(a, b)| a != b).count();
                assert_eq!(
                    diff, 0,
                    "{what}: {isa:?} differs from Build in {diff} entries"
                );
            }
        }
    }
    simd::set_limit(Isa::Avx512);
}

fn networks<T: LaneReal>() -> Vec<(Network<T>, &'static str)> {
    let t = T::from_f64;
    let relu = Network::<T>::new(3, Activation::Relu).unwrap();
    let leaky = Network::<T>::new(
        5,
        Activation::AbRelu {
            a: t(-0.1),
            b: t(1.0),
        },
    )
    .unwrap()
    .with_std(t(1.3), Some(t(0.2)))
    .unwrap();
    let abs = Network::<T>::new(
        8,
        Activation::AbRelu {
            a: t(-1.0),
            b: t(1.0),
        },
    )
    .unwrap()
    .with_standard_parameterization(&[512])
    .unwrap();
    let mut nets = vec![
        (relu, "relu depth 3"),
        (leaky, "leaky depth 5, bias"),
        (abs, "abs depth 8, standard"),
    ];
    // A map of each lane-map module of the generic loop.
    let poly = ntk::activation::polynomial::Polynomial::new(&[t(0.5), t(1.0), t(-0.3)]).unwrap();
    for (act, name) in [
        (Activation::Rbf(t(1.0)), "rbf depth 3"),
        (
            Activation::Exp {
                a: t(1.0),
                b: t(0.5),
            },
            "exp depth 3",
        ),
        (
            Activation::Gaussian {
                a: t(1.0),
                b: t(-1.0),
            },
            "gaussian depth 3",
        ),
        (Activation::Gabor, "gabor depth 3"),
        (Activation::Monomial(3), "monomial(3) depth 3"),
        (Activation::Hermite(3), "hermite(3) depth 3"),
        (
            Activation::RectifiedMonomial(3),
            "rectified_monomial(3) depth 3",
        ),
        (Activation::Polynomial(poly), "polynomial depth 3"),
    ] {
        nets.push((Network::<T>::new(3, act).unwrap(), name));
    }
    nets
}

fn all_cases<T: LaneReal>() {
    // d = 1 (every pair parallel or antiparallel), d below, across and
    // above the 32-coordinate packing block; n not a multiple of the lanes.
    for (n, d, k) in [(77, 1, 1), (150, 7, 2), (97, 33, 3), (140, 70, 4)] {
        // Squared norms inside [ε⁴, ε⁻⁴] and outside it (the exact lanes), finite.
        let far = if T::EPSILON.to_f64() > 1e-10 {
            [1e-12, 1e12, 1e-18, 1e16]
        } else {
            [1e-30, 1e30, 1e-200, 1e140]
        };
        let data = adversarial(n, d, inputs::SEED + k, far);
        for (net, name) in networks::<T>() {
            agree(net, &data, d, &format!("{name}, n = {n}, d = {d}"));
        }
    }
}

/// One test: the copy limit is global, and parallel tests would race on it.
#[test]
fn copies_equal_bitwise() {
    all_cases::<f32>();
    all_cases::<f64>();
}
