//! Cholesky and Jacobi against independent references: reconstruction
//! A = L·Lᵀ, residuals, refactoring from scratch, and matrices with known
//! spectra (Q·diag(λ)·Qᵀ with a Householder Q, the [−1, 2, −1] Toeplitz
//! matrix with λ_k = 2 − 2cos(kπ/(n+1))).

use super::{cholesky, jacobi};
use crate::Error;
use proptest::prelude::*;
use std::{vec, vec::Vec};

/// A = B·Bᵀ + shift·I from a row-major n×m matrix B.
fn gram(b: &[f64], n: usize, m: usize, shift: f64) -> Vec<f64> {
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = (0..m).map(|k| b[i * m + k] * b[j * m + k]).sum::<f64>();
        }
        a[i * n + i] += shift;
    }
    a
}

fn lower_times_transpose(l: &[f64], n: usize) -> Vec<f64> {
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = (0..=i.min(j)).map(|k| l[i * n + k] * l[j * n + k]).sum();
        }
    }
    a
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn spd() -> impl Strategy<Value = (usize, Vec<f64>)> {
    (1usize..12).prop_flat_map(|n| {
        (Just(n), prop::collection::vec(-1.0f64..1.0, n * (n + 2)))
            .prop_map(|(n, b)| (n, gram(&b, n, n + 2, 0.1)))
    })
}

proptest! {
    #[test]
    fn factor_reconstructs_and_solves((n, a) in spd(), seed in -1.0f64..1.0) {
        let mut l = a.clone();
        cholesky::factor_strided(&mut l, n, n).unwrap();
        for i in 0..n { for j in i + 1..n { l[i * n + j] = 0.0; } }
        let back = lower_times_transpose(&l, n);
        let err = max_abs(&back.iter().zip(&a).map(|(x, y)| x - y).collect::<Vec<_>>());
        prop_assert!(err <= 1e-13 * max_abs(&a), "reconstruction error {err}");
        let b: Vec<f64> = (0..n).map(|i| seed + i as f64).collect();
        let mut x = b.clone();
        cholesky::solve_strided(&l, n, n, &mut x, 1).unwrap();
        for i in 0..n {
            let ax: f64 = (0..n).map(|j| a[i * n + j] * x[j]).sum();
            prop_assert!((ax - b[i]).abs() <= 1e-10 * (1.0 + b[i].abs()));
        }
    }

    #[test]
    fn remove_equals_refactor((n, a) in spd(), k_frac in 0.0f64..1.0) {
        let k = ((k_frac * n as f64) as usize).min(n - 1);
        let mut l = a.clone();
        cholesky::factor_strided(&mut l, n, n).unwrap();
        cholesky::remove_strided(&mut l, n, n, k).unwrap();
        // Reference: drop row/column k of A, factor from scratch (stride n kept).
        let mut r = vec![0.0; n * n];
        let keep: Vec<usize> = (0..n).filter(|&i| i != k).collect();
        for (i2, &i) in keep.iter().enumerate() {
            for (j2, &j) in keep.iter().enumerate() { r[i2 * n + j2] = a[i * n + j]; }
        }
        cholesky::factor_strided(&mut r, n - 1, n).unwrap();
        for i in 0..n - 1 {
            for j in 0..=i {
                prop_assert!((l[i * n + j] - r[i * n + j]).abs() <= 1e-12 * (1.0 + r[i * n + i].abs()),
                    "L[{i}][{j}] {} vs {}", l[i * n + j], r[i * n + j]);
            }
        }
    }

    #[test]
    fn append_equals_factor((n, a) in spd()) {
        let mut l = a.clone();
        cholesky::factor_strided(&mut l, n - 1, n).unwrap();
        cholesky::append_strided(&mut l, n - 1, n).unwrap();
        let mut r = a.clone();
        cholesky::factor_strided(&mut r, n, n).unwrap();
        for i in 0..n { for j in 0..=i { prop_assert_eq!(l[i * n + j], r[i * n + j]); } }
    }

    /// PSD matrices of rank < n (duplicate points): the suggested ridge works.
    #[test]
    fn suggested_ridge_works_for_semidefinite(n in 2usize..16, rank in 1usize..4, b in prop::collection::vec(-2.0f64..2.0, 64)) {
        let rank = rank.min(n - 1);
        let a = gram(&b[..n * rank], n, rank, 0.0);
        let mut l = a.clone();
        let Err(Error::NotPositiveDefinite { pivot, suggested_ridge }) = cholesky::factor_strided(&mut l, n, n) else {
            return Ok(()); // rounding made it PD: nothing to test
        };
        prop_assert!(pivot < n && suggested_ridge > 0.0);
        // Rows from the failed pivot on are back to the input (to rounding).
        let scale = max_abs(&a);
        for r in pivot..n {
            for j in 0..=r {
                prop_assert!((l[r * n + j] - a[r * n + j]).abs() <= 1e-13 * scale, "row {r} col {j}");
            }
        }
        let mut r = a.clone();
        for i in 0..n { r[i * n + i] += suggested_ridge; }
        prop_assert!(cholesky::factor_strided(&mut r, n, n).is_ok());
        // (How small δ is depends on the conditioning of the leading block: the
        // failed pivot is rounding noise of size ε·κ·scale, so no fixed bound.)
    }

    #[test]
    fn eigen_matches_known_spectrum(vals in prop::collection::vec(-5.0f64..5.0, 1..20), u in prop::collection::vec(-1.0f64..1.0, 20)) {
        let n = vals.len();
        let u = &u[..n];
        let uu: f64 = u.iter().map(|x| x * x).sum::<f64>();
        prop_assume!(uu > 1e-3);
        let q = |i: usize, j: usize| f64::from(u8::from(i == j)) - 2.0 * u[i] * u[j] / uu;
        let mut a = vec![0.0; n * n];
        for i in 0..n { for j in 0..n { a[i * n + j] = (0..n).map(|k| q(i, k) * vals[k] * q(j, k)).sum(); } }
        let a0 = a.clone();
        let (mut values, mut v) = (vec![0.0; n], vec![0.0; n * n]);
        jacobi::eigen_strided(&mut a, n, n, &mut values, Some((&mut v, n))).unwrap();
        let mut sorted = vals.clone();
        sorted.sort_by(f64::total_cmp);
        let scale = max_abs(&vals).max(1.0) * n as f64;
        for k in 0..n { prop_assert!((values[k] - sorted[k]).abs() <= 1e-14 * scale, "{:?} vs {:?}", values, sorted); }
        // A v_k = λ_k v_k and VᵀV = I.
        for k in 0..n {
            for i in 0..n {
                let av: f64 = (0..n).map(|j| a0[i * n + j] * v[j * n + k]).sum();
                prop_assert!((av - values[k] * v[i * n + k]).abs() <= 1e-13 * scale);
            }
            for m in 0..n {
                let d: f64 = (0..n).map(|i| v[i * n + k] * v[i * n + m]).sum();
                prop_assert!((d - f64::from(u8::from(k == m))).abs() <= 1e-13 * n as f64);
            }
        }
    }
}

#[test]
fn eigen_toeplitz_generic_const_n_f32_and_f64() {
    fn check<const N: usize>() {
        let mut a = [[0.0f64; N]; N];
        let mut a32 = [[0.0f32; N]; N];
        for i in 0..N {
            a[i][i] = 2.0;
            a32[i][i] = 2.0;
            if i > 0 {
                a[i][i - 1] = -1.0;
                a32[i][i - 1] = -1.0;
            }
        }
        let (mut v, mut v32) = ([0.0; N], [0.0f32; N]);
        jacobi::eigen(&mut a, &mut v, None).unwrap();
        jacobi::eigen(&mut a32, &mut v32, None).unwrap();
        for k in 0..N {
            let exact =
                2.0 - 2.0 * (((k + 1) as f64) * std::f64::consts::PI / (N as f64 + 1.0)).cos();
            assert!(
                (v[k] - exact).abs() < 1e-14 * N as f64,
                "N={N} k={k}: {} vs {exact}",
                v[k]
            );
            assert!((f64::from(v32[k]) - exact).abs() < 1e-6 * N as f64);
        }
    }
    check::<1>();
    check::<7>();
    check::<33>();
}

#[test]
fn fixed_array_cholesky_and_gershgorin() {
    // Duplicate rows: singular PSD Gram; the Gershgorin ridge always works.
    let x = [[1.0, 2.0], [1.0, 2.0], [0.5, -1.0]];
    let mut a = [[0.0f64; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            a[i][j] = x[i][0] * x[j][0] + x[i][1] * x[j][1];
        }
    }
    let g = cholesky::gershgorin_ridge(a.as_flattened(), 3, 3).unwrap();
    let mut l = a;
    let Err(Error::NotPositiveDefinite {
        pivot: 1,
        suggested_ridge,
    }) = cholesky::factor(&mut l)
    else {
        panic!("duplicate rows must fail at pivot 1");
    };
    assert!(suggested_ridge > 0.0 && suggested_ridge < 1e-13);
    let mut r = a;
    (0..3).for_each(|i| r[i][i] += suggested_ridge);
    cholesky::factor(&mut r).unwrap();
    let mut r = a;
    (0..3).for_each(|i| r[i][i] += g);
    cholesky::factor(&mut r).unwrap();
    // Indefinite: [[1, 2], [2, 1]] has λ = −1, 3.
    let ind = [1.0f64, 2.0, 2.0, 1.0];
    let g = cholesky::gershgorin_ridge(&ind, 2, 2).unwrap();
    assert!(g > 1.0);
    let mut r = [[1.0 + g, 0.0], [2.0, 1.0 + g]];
    cholesky::factor(&mut r).unwrap();
    let mut b = [1.0f64, 1.0];
    cholesky::solve(&r, &mut b);
    assert!(((1.0 + g) * b[0] + 2.0 * b[1] - 1.0).abs() < 1e-14);
}

/// The fixed-array append/remove forms: grow a 3×3 factor row by row, drop row 0.
#[test]
fn fixed_array_append_and_remove() {
    let a = [[4.0f64, 2.0, 0.4], [2.0, 5.0, 1.0], [0.4, 1.0, 3.0]];
    let mut l = a;
    cholesky::append(&mut l, 0).unwrap();
    cholesky::append(&mut l, 1).unwrap();
    cholesky::append(&mut l, 2).unwrap();
    let mut full = a;
    cholesky::factor(&mut full).unwrap();
    assert_eq!(l, full);
    cholesky::remove(&mut l, 3, 0).unwrap();
    // Factor of [[5, 1], [1, 3]]: L = [[√5, 0], [1/√5, √(3 − 1/5)]].
    assert!((l[0][0] - 5f64.sqrt()).abs() < 1e-15);
    assert!((l[1][0] - 1.0 / 5f64.sqrt()).abs() < 1e-15);
    assert!((l[1][1] - (3.0f64 - 0.2).sqrt()).abs() < 1e-15);
    assert!(matches!(
        cholesky::append(&mut l, 3),
        Err(Error::IndexOutOfRange { .. })
    ));
}

#[test]
fn bad_shapes_are_errors() {
    let mut a = [1.0; 3];
    assert!(matches!(
        cholesky::factor_strided(&mut a, 2, 2),
        Err(Error::BufferTooSmall { .. })
    ));
    assert!(matches!(
        cholesky::factor_strided(&mut a, 2, 1),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut l = [1.0];
    assert!(matches!(
        cholesky::remove_strided(&mut l, 1, 1, 1),
        Err(Error::IndexOutOfRange { .. })
    ));
    let mut nan = [[f64::NAN]];
    assert!(matches!(
        cholesky::factor(&mut nan),
        Err(Error::NotPositiveDefinite { .. })
    ));
    assert!(matches!(
        jacobi::eigen(&mut nan, &mut [0.0], None),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn triangular_solves_reject_short_buffers_without_writing() {
    let l = [2.0f64, 0.0, 1.0, 3.0]; // 2×2 lower factor
    let mut b = [4.0f64];
    for r in [
        cholesky::solve_lower(&l, 2, 2, &mut b, 1),
        cholesky::solve_upper(&l, 2, 2, &mut b, 1),
        cholesky::solve_lower(&l[..3], 2, 2, &mut [1.0, 1.0], 1),
        cholesky::solve_upper(&l, 2, 2, &mut [1.0, 1.0], 0),
    ] {
        assert!(matches!(r, Err(Error::BufferTooSmall { .. })), "{r:?}");
    }
    assert_eq!(b, [4.0]);
    let mut ok = [4.0, 7.0];
    cholesky::solve_lower(&l, 2, 2, &mut ok, 1).unwrap();
    assert_eq!(ok, [2.0, (7.0 - 2.0) / 3.0]);
}

/// The textbook Cholesky–Banachiewicz factor (sequential sums, in f64 or f32),
/// independent of the crate's blocked one.
fn textbook<T: crate::Real>(a: &[T], n: usize) -> Vec<T> {
    let mut l = vec![T::ZERO; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= l[i * n + k] * l[j * n + k];
            }
            l[i * n + j] = if i == j { s.sqrt() } else { s / l[j * n + j] };
        }
    }
    l
}

/// A = B·Bᵀ + n·I with B uniform in (−1, 1)^{n×n}, rounded to T: λ_min ≥ n/2.
fn random_spd<T: crate::Real>(n: usize, seed: u64) -> Vec<T> {
    use rand_core::{Rng, SeedableRng};
    let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
    let b: Vec<f64> = (0..n * n)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0)
        .collect();
    gram(&b, n, n, n as f64)
        .into_iter()
        .map(T::from_f64)
        .collect()
}

/// The blocked factor against the textbook one, sizes around the block of 8
/// rows, f64 and f32. Two bounds, with u = ε/2 and γ_k = k·u/(1 − k·u):
///
/// 1. Backward error (Higham, *Accuracy and Stability*, Thm 10.3; it holds for
///    any order of the inner sums, so for the lane sums too; an entry with j
///    products takes at most j + 3 ≤ n + 2 roundings on any path, counting
///    the subtraction from A_ij, 1/L_jj and the product with it):
///    |A − L̂L̂ᵀ| ≤ γ_{n+2}|L̂||L̂ᵀ| entrywise; checked with γ_{n+2} + 2γ_n for the
///    rounding of the check's own products.
/// 2. Forward: both factors are exact factors of A + E₁, A + E₂ with
///    ‖E_i‖_F ≤ γ_{n+2}‖|L||Lᵀ|‖_F ≤ γ_{n+2}‖L‖²_F = γ_{n+2}·tr A. To first
///    order, L⁻¹(E₁ − E₂)L⁻ᵀ = X + Xᵀ with X = L⁻¹ΔL lower triangular, so
///    ‖X‖_F ≤ ‖L⁻¹(E₁ − E₂)L⁻ᵀ‖_F/√2 and
///    ‖L̂ − L̃‖_F ≤ ‖L‖₂‖L⁻¹‖₂²·2γ_{n+2}·tr A/√2 = √2·γ_{n+2}·tr A·√λ_max/λ_min;
///    with λ_max ≤ tr A, λ_min ≥ n/2 and a factor 2 for the higher-order terms:
///    ‖L̂ − L̃‖_F ≤ 2√2·γ_{n+2}·(tr A)^{3/2}/(n/2).
#[test]
fn blocked_factor_matches_textbook() {
    fn check<T: crate::Real>() {
        let u = T::EPSILON.to_f64() / 2.0;
        let gamma = |k: usize| k as f64 * u / (1.0 - k as f64 * u);
        for (seed, n) in [1usize, 2, 7, 8, 9, 15, 16, 17, 23, 33, 64, 71]
            .into_iter()
            .enumerate()
        {
            let a = random_spd::<T>(n, seed as u64);
            let mut l = a.clone();
            cholesky::factor_strided(&mut l, n, n).unwrap();
            let r = textbook(&a, n);
            let f = |x: T| x.to_f64();
            let (mut diff, mut trace) = (0.0, 0.0);
            for i in 0..n {
                trace += f(a[i * n + i]);
                for j in 0..n {
                    if j > i {
                        // The strict upper triangle is not touched.
                        assert_eq!(l[i * n + j], a[i * n + j]);
                        continue;
                    }
                    diff += (f(l[i * n + j]) - f(r[i * n + j])).powi(2);
                    let (mut back, mut abs) = (T::ZERO, T::ZERO);
                    for k in 0..=j {
                        back += l[i * n + k] * l[j * n + k];
                        abs += (l[i * n + k] * l[j * n + k]).abs();
                    }
                    let bound = (gamma(n + 2) + 2.0 * gamma(n)) * f(abs);
                    let err = (f(a[i * n + j]) - f(back)).abs();
                    assert!(
                        err <= bound,
                        "n {n} ({i},{j}): backward {err:e} > {bound:e}"
                    );
                }
            }
            let bound = 2.0 * 2f64.sqrt() * gamma(n + 2) * trace.powf(1.5) / (n as f64 / 2.0);
            assert!(
                diff.sqrt() <= bound,
                "n {n}: ‖L − L_textbook‖_F = {:e} > {bound:e}",
                diff.sqrt()
            );
        }
    }
    check::<f64>();
    check::<f32>();
}

/// A pivot that fails inside a block of rows (row 13 duplicates row 12, rows
/// 8..16 form a block): the error names it, rows < 13 are the factor of the
/// leading block, rows ≥ 13 are back to A to rounding, and A + the suggested
/// ridge factors.
#[test]
fn failure_inside_a_block_restores_the_rows() {
    // A = M·Mᵀ with rows m_i = (b_i, e_i), and m_13 = m_12: PSD of rank n − 1.
    let (n, m) = (21, 25);
    let mut rows: Vec<f64> = (0..n * m)
        .map(|k| {
            let (i, c) = (k / m, k % m);
            if c < 4 {
                (0.7 * k as f64 + 0.3).sin()
            } else {
                f64::from(u8::from(c - 4 == i))
            }
        })
        .collect();
    rows.copy_within(12 * m..13 * m, 13 * m);
    let a = gram(&rows, n, m, 0.0);
    let mut l = a.clone();
    let err = cholesky::factor_strided(&mut l, n, n).unwrap_err();
    let Error::NotPositiveDefinite {
        pivot,
        suggested_ridge,
    } = err
    else {
        panic!("{err:?}");
    };
    let mut lead = a.clone();
    cholesky::factor_strided(&mut lead, pivot, n).unwrap();
    for i in 0..n {
        for j in 0..n {
            let (got, want) = (
                l[i * n + j],
                if i < pivot && j <= i {
                    lead[i * n + j]
                } else {
                    a[i * n + j]
                },
            );
            assert!(
                (got - want).abs() <= 1e-13 * (1.0 + want.abs()),
                "({i},{j}) {got} vs {want}"
            );
        }
    }
    let mut r = a.clone();
    (0..n).for_each(|i| r[i * n + i] += suggested_ridge);
    cholesky::factor_strided(&mut r, n, n).unwrap();
    assert!(
        pivot > 8 && pivot < 16,
        "pivot {pivot} should sit inside the block 8..16"
    );
}

// ---- the fuzzing report's reproducers (issue 13): sizes that wrap, zero pivots, overflow ----

#[test]
fn strided_linalg_with_a_wrapping_stride_is_an_error() {
    let big = usize::MAX;
    let r = cholesky::gershgorin_ridge(&[4.0f64], 2, big);
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
    let r = jacobi::eigen_strided(&mut [4.0f64], 2, big, &mut [0.0; 2], None);
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
    let r = cholesky::remove_strided(&mut [4.0f64], 2, big, 0);
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
    let r = cholesky::factor_strided(&mut [4.0f64], 3, big / 2 + 1);
    assert!(matches!(r, Err(Error::SizeOverflow { .. })), "{r:?}");
}

#[test]
fn solve_lower_with_a_wrapping_step_writes_nothing() {
    let l = [2.0f64, 0.0, 1.0, 1.0];
    let mut b = [2.0f64];
    let r = (cholesky::solve_lower(&l, 2, 2, &mut b, usize::MAX), b);
    assert!(r.0.is_err(), "{:?}", r.0);
    assert_eq!(r.1, [2.0], "b was written");
}

#[test]
fn solves_reject_zero_pivots_and_nan_right_hand_sides_unwritten() {
    // L = [[0, ·], [1, 1]]: not a Cholesky factor.
    let l = [0.0f64, 0.0, 1.0, 1.0];
    let mut b = [1.0, 2.0];
    assert!(cholesky::solve_lower(&l, 2, 2, &mut b, 1).is_err());
    assert!(cholesky::solve_upper(&l, 2, 2, &mut b, 1).is_err());
    assert_eq!(b, [1.0, 2.0]);
    let l = [2.0f64, 0.0, 1.0, 1.0];
    let mut b = [f64::NAN, 2.0];
    assert!(matches!(
        cholesky::solve_strided(&l, 2, 2, &mut b, 1),
        Err(Error::NonFinite { .. })
    ));
    assert_eq!(b[1], 2.0);
    // A finite, valid solve still works: L = [[2, 0], [1, 1]], L y = [2, 2] → y = [1, 1].
    let mut b = [2.0, 2.0];
    cholesky::solve_lower(&l, 2, 2, &mut b, 1).unwrap();
    assert_eq!(b, [1.0, 1.0]);
}

#[test]
fn jacobi_scales_a_matrix_whose_frobenius_norm_overflows() {
    // [[0, s], [s, s]] has eigenvalues s·(1 ∓ √5)/2.
    let s = 1e154f64;
    let mut a = [[0.0, s], [s, s]];
    let mut v = [0.0; 2];
    jacobi::eigen(&mut a, &mut v, None).unwrap();
    let root5 = 5f64.sqrt();
    let want = [s * (1.0 - root5) / 2.0, s * (1.0 + root5) / 2.0];
    for (got, want) in v.iter().zip(want) {
        assert!((got / want - 1.0).abs() < 1e-14, "{v:?} vs {want:e}");
    }
    // Entries near the largest finite number: an eigenvalue beyond it errs.
    let m = f64::MAX;
    let mut a = [[m, m], [m, m]];
    assert!(matches!(
        jacobi::eigen(&mut a, &mut v, None),
        Err(Error::NonFinite { .. })
    ));
}

#[test]
fn gershgorin_ridge_factors_an_indefinite_matrix() {
    // [[0, 1], [1, 0]]: eigenvalues ±1; A + δI must factor.
    let a = [0.0f64, 0.0, 1.0, 0.0];
    let delta = cholesky::gershgorin_ridge(&a, 2, 2).unwrap();
    let mut shifted = [delta, 0.0, 1.0, delta];
    cholesky::factor_strided(&mut shifted, 2, 2).unwrap();
    // A matrix with overflowing row sums has no finite ridge.
    let m = f64::MAX;
    assert!(cholesky::gershgorin_ridge(&[m, 0.0, m, m], 2, 2).is_err());
}
