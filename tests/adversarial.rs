//! Adversarial inputs for every activation, depths 1–8: duplicate rows,
//! nearly parallel and antiparallel rows (angles 1e-12 … 1e-2 rad), scaled
//! copies, zero rows, d = 1, norms across the supported range.
//!
//! Every path that evaluates a kernel — the Gram tiles (symmetric and
//! rectangular), `Gram::entry` and the regressor's kernel rows — must equal
//! the exact recursion `Network::kernels`:
//! - f64: within 1e-13·√(K(x,x)K(z,z)) (K the kernel compared, NNGP or NTK);
//! - f32: within 2e-6·√(K(x,x)K(z,z)) of the f64 recursion on the same
//!   (f32) inputs up to depth 4, 2e-6·L/4 deeper (every layer rounds), and
//!   for activations whose variance map is a polynomial of degree n ≥ 2
//!   (ReQU, rectified monomials, monomials, Hermite, polynomials: it
//!   multiplies relative errors by about n at every layer), nᴸ·8ε₃₂; plus 4× the change of that f64 kernel when an f32
//!   input moves by one ulp (where the f32 inputs do not determine the
//!   kernel); pairs whose per-point layer variances leave f32's range are
//!   not compared (f32 cannot hold them, though their kernel may fit);
//!
//! and every symmetric f64 Gram matrix (tiles and recursion) has
//! λ_min ≥ −1e-14·trace — except GELU's NTK, whose output gaps are formed by
//! a subtraction (√ε of the next layer's angle near parallel pairs; measured down to
//! −1.1e-9·trace): 1e-8·trace, a known limitation.

use nalgebra::DMatrix;
use ntk::gram::{Gram, LaneReal, Output, Points, RowMajor};
use ntk::regression::{Regime, Ridge, Time, VecRegressor};
use ntk::{Activation, Kernels, Network};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

#[path = "common/activations.rs"]
mod activations;
use activations::activations;

/// One adversarial case: a network and a point set.
#[derive(Clone, Debug)]
struct Case {
    act: usize,
    depth: usize,
    w_std: f64,
    b_std: Option<f64>,
    standard: bool,
    points: Vec<Vec<f64>>,
}

impl Case {
    fn net<T: LaneReal>(&self) -> Network<T> {
        let act = activations::<T>()[self.act];
        let net = Network::<T>::new(self.depth, act)
            .unwrap()
            .with_std(T::from_f64(self.w_std), self.b_std.map(T::from_f64))
            .unwrap();
        if self.standard {
            let widths: Vec<usize> = (0..self.depth).map(|l| 3 + 2 * l).collect();
            net.with_standard_parameterization(&widths).unwrap()
        } else {
            net
        }
    }

    fn points<T: LaneReal>(&self) -> Vec<Vec<T>> {
        let p = self.points.iter();
        p.map(|v| v.iter().map(|&u| T::from_f64(u)).collect())
            .collect()
    }
}

/// x rotated by `t` rad towards the direction of `dir` (d ≥ 2), norm kept.
fn rotate(x: &[f64], dir: &[f64], t: f64) -> Vec<f64> {
    let norm = x.iter().map(|v| v * v).sum::<f64>().sqrt();
    let u: Vec<f64> = x.iter().map(|v| v / norm).collect();
    let proj: f64 = u.iter().zip(dir).map(|(a, b)| a * b).sum();
    let mut v: Vec<f64> = dir.iter().zip(&u).map(|(d, a)| d - proj * a).collect();
    let vn = v.iter().map(|w| w * w).sum::<f64>().sqrt();
    if x.len() < 2 || vn < 1e-3 {
        return x.iter().map(|a| a * (1.0 + t)).collect();
    }
    v.iter_mut().for_each(|w| *w /= vn);
    u.iter()
        .zip(&v)
        .map(|(a, b)| norm * (t.cos() * a + t.sin() * b))
        .collect()
}

/// Cases: activation, depth 1–8, σ_w, σ_b, parameterization, and seven
/// points of dimension 1–6 around a base point of norm 10^e: a duplicate, a
/// copy rotated by 10^v rad, an antiparallel rotated and scaled copy, a scaled
/// copy, the zero point and an unrelated point.
fn cases(max_exp: f64) -> impl Strategy<Value = Case> {
    let shape = (
        0..activations::<f64>().len(),
        1..=8usize,
        0..3usize,
        0..3usize,
        any::<bool>(),
        1..=6usize,
    );
    let data = (
        prop::collection::vec(-1.0f64..1.0, 12),
        -max_exp..max_exp,
        -12.0f64..-2.0,
        -12.0f64..-2.0,
        0.1f64..10.0,
        -3.0f64..3.0,
    );
    (shape, data).prop_map(
        |((act, depth, w, b, standard, d), (raw, e, v1, v2, alpha, e2))| {
            let scale = 10f64.powf(e);
            let base: Vec<f64> = raw[..d]
                .iter()
                .map(|u| (u + 0.05_f64.copysign(*u)) * scale)
                .collect();
            let dir = &raw[6..6 + d];
            let near = rotate(&base, dir, 10f64.powf(v1));
            let anti: Vec<f64> = rotate(&base, dir, 10f64.powf(v2))
                .iter()
                .map(|a| -alpha * a)
                .collect();
            let scaled: Vec<f64> = base.iter().map(|a| a * alpha).collect();
            let other: Vec<f64> = dir.iter().map(|a| a * scale * 10f64.powf(e2)).collect();
            Case {
                act,
                depth,
                w_std: [1.0, 2f64.sqrt(), 1.3][w],
                b_std: [None, Some(0.0), Some(0.2)][b],
                standard,
                points: vec![base.clone(), base, near, anti, scaled, vec![0.0; d], other],
            }
        },
    )
}

/// The f64 recursion on every pair, `None` if some kernel overflows.
fn reference(net: &Network<f64>, pts: &[Vec<f64>]) -> Option<Vec<Vec<Kernels<f64>>>> {
    pts.iter()
        .map(|x| pts.iter().map(|z| net.kernels(x, z).ok()).collect())
        .collect()
}

/// The one-ulp (f32) moves of a point: coordinates alternately up and down
/// (the angle moves), all up (the norm moves).
fn nudged(x: &[f64]) -> [Vec<f64>; 3] {
    let step = |v: f64, up: bool| {
        let f = v as f32;
        f64::from(if up { f.next_up() } else { f.next_down() })
    };
    [0, 1, 2].map(|s| {
        x.iter()
            .enumerate()
            .map(|(i, &v)| step(v, s == 2 || (i + s) % 2 == 0))
            .collect()
    })
}

/// Checks one path's kernels `got[i][j]` against the reference; returns the
/// number of entries out of bounds and prints the first few.
struct Checker<'a> {
    case: &'a Case,
    reference: &'a [Vec<Kernels<f64>>],
    /// Allowance per entry (NNGP, NTK) for inputs that do not determine the kernel.
    allow: Vec<Vec<(f64, f64)>>,
    rel: f64,
    /// Whether every layer variance of point i is 0 or within T's normal range.
    in_range: Vec<bool>,
    /// T's largest finite value and smallest normal one (an absolute floor).
    max: f64,
    tiny: f64,
}

impl Checker<'_> {
    fn count(&self, what: &str, got: impl Fn(usize, usize) -> Option<Kernels<f64>>) -> usize {
        let r = self.reference;
        let n = r.len();
        let mut bad = 0;
        for i in 0..n {
            for j in 0..n {
                if !(self.in_range[i] && self.in_range[j]) {
                    continue;
                }
                let e = r[i][j];
                let Some(g) = got(i, j) else {
                    // A Gram path may err only where the kernel does not fit T
                    // (the regressor may also refuse a singular pair Gram), or
                    // where a point's own K(x, x) does not: its variances
                    // overflow and `Network::point` refuses it (documented).
                    let fits = |k: &Kernels<f64>| k.nngp.abs().max(k.ntk.abs()) <= 0.5 * self.max;
                    if what != "regressor" && fits(&e) && fits(&r[i][i]) && fits(&r[j][j]) {
                        eprintln!("{what} ({i},{j}) erred where the kernel {e:?} fits");
                        bad += 1;
                    }
                    continue;
                };
                let scale = |a: f64, b: f64| a.abs().sqrt() * b.abs().sqrt();
                let scale_s = scale(r[i][i].nngp, r[j][j].nngp);
                let scale_t = scale(r[i][i].ntk, r[j][j].ntk);
                // Values beyond T's range are not compared (∞ or 0 there).
                if e.nngp.abs().max(e.ntk.abs()) > self.max {
                    continue;
                }
                let (as_, at) = self.allow[i][j];
                let ok_s = (g.nngp - e.nngp).abs() <= self.rel * scale_s + as_ + self.tiny;
                let ok_t = (g.ntk - e.ntk).abs() <= self.rel * scale_t + at + self.tiny;
                if !(ok_s && ok_t) {
                    if bad == 0 && std::env::var_os("ADVERSARIAL_CASES").is_some() {
                        eprintln!("CASE {:?}", self.case);
                    }
                    if bad < 3 {
                        eprintln!(
                            "{what} {:?} L{} ({i},{j}) got {g:?} want {e:?} scale {scale_s:e}/{scale_t:e}",
                            activations::<f64>()[self.case.act],
                            self.case.depth
                        );
                    }
                    bad += 1;
                }
            }
        }
        bad
    }
}

/// Entry (i, j) of a whole-matrix call that succeeded, or else of a 1 × 1
/// tile of the pair alone: a tile never returns `Ok` with a non-finite entry,
/// so when one pair's kernel does not fit T the whole call errs, and every
/// other pair is then checked on its own (`None` where that call errs too).
fn whole_or_pair<T: LaneReal>(
    gram: &Gram<T>,
    pts: &[Vec<T>],
    whole: Option<(&Vec<T>, &Vec<T>)>,
    i: usize,
    j: usize,
) -> Option<Kernels<f64>> {
    let n = pts.len();
    if let Some((s, t)) = whole {
        return Some(Kernels {
            nngp: s[i * n + j].to_f64(),
            ntk: t[i * n + j].to_f64(),
        });
    }
    let (xi, zj) = (
        Points::new(&pts[i], pts[i].len()).ok()?,
        Points::new(&pts[j], pts[j].len()).ok()?,
    );
    let (mut a, mut b) = ([T::ZERO], [T::ZERO]);
    gram.matrix(
        &xi,
        &zj,
        Output::both(RowMajor(&mut a, 1), RowMajor(&mut b, 1)),
    )
    .ok()?;
    Some(kernels_f64(Kernels {
        nngp: a[0],
        ntk: b[0],
    }))
}

fn kernels_f64<T: LaneReal>(k: Kernels<T>) -> Kernels<f64> {
    Kernels {
        nngp: k.nngp.to_f64(),
        ntk: k.ntk.to_f64(),
    }
}

/// K(xᵢ, xⱼ) from the regressor's kernel row: one training point xⱼ, t = ∞,
/// so the mean at xᵢ is K(xᵢ, xⱼ)·α. The target is chosen so that α ≈ 1
/// (refit with y = 1/α): a tiny α would push the mean into subnormals.
fn regressor_entry<T: LaneReal>(net: Network<T>, regime: Regime, x: &[T], z: &[T]) -> Option<T> {
    let mut reg =
        VecRegressor::with_capacity(net, regime, Ridge::Absolute(T::ONE), 1, x.len(), 1).ok()?;
    reg.fit_rows(z, &[T::ONE]).ok()?;
    let y = T::ONE / reg.alpha()[0];
    reg.fit_rows(z, &[y]).ok()?;
    let (mut out, mut work) = ([T::ZERO], [T::ZERO; 2]);
    reg.mean_into(x, &Time::Infinite, &mut out, &mut work)
        .ok()?;
    Some(out[0] / reg.alpha()[0])
}

/// λ_min ≥ −1e-14·trace − n·f64::MIN_POSITIVE of a symmetric n × n matrix:
/// the entries' absolute floor (subnormal kernels keep only absolute
/// precision) moves eigenvalues by at most n·MIN_POSITIVE.
fn psd_violations(case: &Case, what: &str, m: &DMatrix<f64>) -> usize {
    if m.iter().any(|v| !v.is_finite()) {
        return 0;
    }
    let trace = m.trace();
    let lmin = m.clone().symmetric_eigen().eigenvalues.min();
    let gelu = matches!(activations::<f64>()[case.act], Activation::Gelu);
    let tol = if gelu && what.ends_with("NTK") {
        1e-8
    } else {
        1e-14
    };
    if lmin < -tol * trace.abs() - m.nrows() as f64 * f64::MIN_POSITIVE {
        let act = activations::<f64>()[case.act];
        if std::env::var_os("ADVERSARIAL_CASES").is_some() {
            eprintln!("CASE {case:?}");
        }
        eprintln!(
            "{what} {act:?} L{}: λ_min {lmin:e}, trace {trace:e}",
            case.depth
        );
        1
    } else {
        0
    }
}

/// The degree n ≥ 2 of a polynomial variance map F_diag(q) ~ qⁿ (ReQU and
/// the rectified monomials, monomials, Hermite, polynomials): it multiplies
/// the relative error of q, which an f32 recursion rounds at every layer, by
/// about n per layer (Hermite(3)'s q·F′/F peaks at 3.6 near q = 2, within the
/// bound's factor 8), so an f32 kernel of depth L is held to nᴸ·8ε₃₂.
fn variance_degree(act: &Activation<f64>) -> Option<u32> {
    let n = match *act {
        Activation::Requ => 2,
        Activation::RectifiedMonomial(n) | Activation::Monomial(n) | Activation::Hermite(n) => n,
        Activation::Polynomial(ref p) => p.coefficients().len().saturating_sub(1) as u32,
        _ => return None,
    };
    (n >= 2).then_some(n)
}

/// Out-of-bounds entries and non-PSD Gram matrices of one case in precision T.
fn violations<T: LaneReal>(case: &Case) -> usize {
    let net64 = case.net::<f64>();
    let pts = case.points::<T>();
    let wide: Vec<Vec<f64>> = pts
        .iter()
        .map(|p| p.iter().map(|v| v.to_f64()).collect())
        .collect();
    let Some(reference) = reference(&net64, &wide) else {
        return 0;
    };
    let n = pts.len();
    let f32_run = T::EPSILON.to_f64() > 1e-10;
    // Where the f32 inputs do not determine the kernel: 4× its change under
    // a one-ulp move of either point.
    // Rbf is a Sin, √2·sin(√(2γ)x + π/4), with the same amplification.
    let sin_like = matches!(
        activations::<f64>()[case.act],
        Activation::Sin { .. } | Activation::Rbf(_)
    );
    let net_t = case.net::<T>();
    let allow: Vec<Vec<(f64, f64)>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if !f32_run {
                        return (0.0, 0.0);
                    }
                    let e = reference[i][j];
                    let mut a = (0.0f64, 0.0f64);
                    for (x, z) in nudged(&wide[i])
                        .iter()
                        .map(|x| (x, &wide[j]))
                        .chain(nudged(&wide[j]).iter().map(|z| (&wide[i], z)))
                    {
                        if let Ok(k) = net64.kernels(x, z) {
                            a = (
                                a.0.max(4.0 * (k.nngp - e.nngp).abs()),
                                a.1.max(4.0 * (k.ntk - e.ntk).abs()),
                            );
                        }
                    }
                    // Sin and Cos amplify each layer's rounding (by up to
                    // b²·e^{…} per layer): deep nets there are held to the f32
                    // recursion's own accuracy, twice its error.
                    if sin_like {
                        if let Ok(k) = net_t.kernels(&pts[i], &pts[j]) {
                            a = (
                                a.0.max(2.0 * (k.nngp.to_f64() - e.nngp).abs()),
                                a.1.max(2.0 * (k.ntk.to_f64() - e.ntk).abs()),
                            );
                        }
                    }
                    a
                })
                .collect()
        })
        .collect();
    let checker = Checker {
        case,
        reference: &reference,
        allow,
        rel: if !f32_run {
            1e-13
        } else if let Some(n) = variance_degree(&activations::<f64>()[case.act]) {
            (2e-6 * (case.depth as f64 / 4.0).max(1.0))
                .max(f64::from(n).powi(case.depth as i32) * 8.0 * f64::from(f32::EPSILON))
        } else {
            2e-6 * (case.depth as f64 / 4.0).max(1.0)
        },
        in_range: wide
            .iter()
            .map(|p| {
                let point = net64.point(p).unwrap();
                let (lo, hi) = (T::MIN_POSITIVE.to_f64(), T::MAX.to_f64());
                point
                    .variances()
                    .iter()
                    .all(|&q| q == 0.0 || (lo..=hi).contains(&q))
            })
            .collect(),
        max: T::MAX.to_f64(),
        tiny: T::MIN_POSITIVE.to_f64(),
    };
    let net = case.net::<T>();
    let gram = Gram::new(net);
    let flat: Vec<T> = pts.concat();
    let d = pts[0].len();
    let x = Points::new(&flat, d).unwrap();
    let mut bad = 0;
    // Tiles: symmetric (each pair once) and rectangular.
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let whole = gram.symmetric(&x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)));
    bad += checker.count("symmetric", |i, j| {
        whole_or_pair(&gram, &pts, whole.is_ok().then_some((&s, &t)), i, j)
    });
    let (mut s2, mut t2) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    let whole = gram.matrix(
        &x,
        &x,
        Output::both(RowMajor(&mut s2, n), RowMajor(&mut t2, n)),
    );
    bad += checker.count("matrix", |i, j| {
        whole_or_pair(&gram, &pts, whole.is_ok().then_some((&s2, &t2)), i, j)
    });
    let at = |v: &[T], i: usize, j: usize| v[i * n + j].to_f64();
    bad += checker.count("entry", |i, j| {
        gram.entry(&pts[i], &pts[j]).ok().map(kernels_f64)
    });
    bad += checker.count("regressor", |i, j| {
        let nngp = regressor_entry(net, Regime::Nngp, &pts[i], &pts[j])?;
        let ntk = regressor_entry(net, Regime::Ntk, &pts[i], &pts[j])?;
        Some(kernels_f64(Kernels { nngp, ntk }))
    });
    if !f32_run {
        let m = |v: &[T]| DMatrix::from_fn(n, n, |i, j| at(v, i, j));
        let r = |f: fn(&Kernels<f64>) -> f64| DMatrix::from_fn(n, n, |i, j| f(&reference[i][j]));
        bad += psd_violations(case, "tile NNGP", &m(&s)) + psd_violations(case, "tile NTK", &m(&t));
        bad += psd_violations(case, "recursion NNGP", &r(|k| k.nngp))
            + psd_violations(case, "recursion NTK", &r(|k| k.ntk));
    }
    bad
}

proptest! {
    #![proptest_config(Config::with_cases(256))]

    #[test]
    fn every_path_equals_the_recursion_f64(case in cases(30.0)) {
        prop_assert_eq!(violations::<f64>(&case), 0);
    }

    #[test]
    fn every_path_equals_the_recursion_f32(case in cases(15.0)) {
        prop_assert_eq!(violations::<f32>(&case), 0);
    }
}

/// The same checks on 600 fixed-seed cases per precision, counting every
/// violation (the proptests stop at the first failing case).
#[test]
fn sweep_counts_no_violation() {
    let mut total = [0usize; 2];
    for (slot, max_exp) in [(0, 30.0), (1, 15.0)] {
        let mut runner = TestRunner::deterministic();
        let strategy = cases(max_exp);
        for _ in 0..600 {
            let case = strategy.new_tree(&mut runner).unwrap().current();
            total[slot] += if slot == 0 {
                violations::<f64>(&case)
            } else {
                violations::<f32>(&case)
            };
        }
    }
    println!("violations: f64 {}, f32 {}", total[0], total[1]);
    assert_eq!(total, [0, 0]);
}

/// ReQU near the top of f32's range: Σ(x, x) = 3q²/2 ≈ 1.4e38 and
/// Θ(x, x) = 7q²/2 ≈ 3.2e38 fit in f32 (q = x², x = 3.08e9), and the tiles
/// and `Gram::entry` return them, not +∞ (they formed r·(r·J₂) with
/// r·J₂ ≈ 9e38 on the way).
#[test]
fn requ_kernel_near_f32_max_is_finite() {
    let x = [3.08e9f32, -3.08e9];
    let net = Network::<f32>::new(1, Activation::Requ).unwrap();
    let exact = Network::<f64>::new(1, Activation::Requ)
        .unwrap()
        .kernels(&[3.08e9], &[3.08e9])
        .unwrap();
    assert!(exact.nngp > 1.3e38 && exact.ntk < f64::from(f32::MAX));
    let (mut s, mut t) = ([0.0f32; 4], [0.0f32; 4]);
    let points = Points::new(&x, 1).unwrap();
    Gram::new(net)
        .symmetric(
            &points,
            Output::both(RowMajor(&mut s, 2), RowMajor(&mut t, 2)),
        )
        .unwrap();
    let entry = Gram::new(net).entry(&x[..1], &x[..1]).unwrap();
    for (v, want) in [
        (s[0], exact.nngp),
        (s[3], exact.nngp),
        (entry.nngp, exact.nngp),
    ]
    .into_iter()
    .chain([(t[0], exact.ntk), (t[3], exact.ntk), (entry.ntk, exact.ntk)])
    {
        assert!((f64::from(v) - want).abs() <= 2e-6 * want, "{v} vs {want}");
    }
}

/// A hidden layer of zero variance (σ_w = 0, no bias) in either
/// parameterization: every pair has a zero variance from there on, where the
/// recursion uses neural-tangents' c = 0 fill; the lanes must agree (they
/// set c = 1 for identical points there). Every tile entry equals
/// `Network::kernels` to 1e-13 of the scale.
#[test]
fn zero_variance_layer_tiles_equal_the_recursion() {
    let xs = [[1.0, 2.0], [2.0, 4.0], [-1.0, 0.5], [0.3, -0.2]];
    let flat: Vec<f64> = xs.concat();
    let points = Points::new(&flat, 2).unwrap();
    for standard in [false, true] {
        for act in [Activation::Relu, Activation::abs()] {
            let mut net = Network::<f64>::new(3, act)
                .unwrap()
                .with_layer(1, ntk::Dense::new(0.0, None))
                .unwrap();
            if standard {
                net = net.with_standard_parameterization(&[4, 4, 4]).unwrap();
            }
            let (mut s, mut t) = ([0.0; 16], [0.0; 16]);
            Gram::new(net)
                .symmetric(
                    &points,
                    Output::both(RowMajor(&mut s, 4), RowMajor(&mut t, 4)),
                )
                .unwrap();
            for i in 0..4 {
                for j in 0..4 {
                    let k = net.kernels(&xs[i], &xs[j]).unwrap();
                    let d = |a: &[f64; 16], f: fn(&Kernels<f64>) -> f64| {
                        let (di, dj) = (
                            net.kernels(&xs[i], &xs[i]).unwrap(),
                            net.kernels(&xs[j], &xs[j]).unwrap(),
                        );
                        (a[i * 4 + j] - f(&k)).abs()
                            <= 1e-13 * (f(&di) * f(&dj)).abs().sqrt() + f64::MIN_POSITIVE
                    };
                    assert!(
                        d(&s, |k| k.nngp) && d(&t, |k| k.ntk),
                        "{act:?} standard {standard} ({i},{j}): {} {} vs {k:?}",
                        s[i * 4 + j],
                        t[i * 4 + j]
                    );
                }
            }
        }
    }
}

/// Gaussian(1.1, −0.8), depth 4, standard parameterization, σ_w = √2, no
/// bias: a near-parallel pair (0, 1) and a near-antiparallel one (2, 3) at
/// norms ≈ 3.8e3 and 2.2e4. φ is even, so after one layer both pairs are
/// nearly parallel, and the output gaps formed as (r′ − F)/r′ cancelled to
/// 0: the recursion returned the diagonal NTK 18.161228729991 for (2, 3)
/// (2.3e-6 off) and its Gram was not PSD. Each NTK entry equals a 50-digit
/// mpmath evaluation of the same recursion (`scripts/mp_reference.py`).
#[test]
fn gaussian_keeps_the_angle_through_layers() {
    let pts = [
        [
            -794.2487781284844,
            2348.321337240695,
            645.0346423471225,
            -2811.0162826615056,
        ],
        [
            -794.2486347659491,
            2348.321462452122,
            645.0346292307411,
            -2811.0162215766068,
        ],
        [
            4506.782923038775,
            -13325.013683820793,
            -3660.101774666708,
            15950.469946220246,
        ],
        [
            -4506.783362365364,
            13325.01330011727,
            3660.1018148611347,
            -15950.470133411549,
        ],
    ];
    let mpmath = [
        [
            18.146087187334203,
            18.146086939146414,
            11.320925206476272,
            11.320925222899987,
        ],
        [
            18.146086939146414,
            18.146087187334203,
            11.32092521098781,
            11.32092516658966,
        ],
        [
            11.320925206476272,
            11.32092521098781,
            18.161228729991212,
            18.16122639512436,
        ],
        [
            11.320925222899987,
            11.32092516658966,
            18.16122639512436,
            18.161228729991212,
        ],
    ];
    let net = Network::<f64>::new(4, Activation::Gaussian { a: 1.1, b: -0.8 })
        .unwrap()
        .with_std(2f64.sqrt(), None)
        .unwrap()
        .with_standard_parameterization(&[3, 5, 7, 9])
        .unwrap();
    for i in 0..4 {
        for j in 0..4 {
            let got = net.kernels(&pts[i], &pts[j]).unwrap().ntk;
            let want = mpmath[i][j];
            assert!(
                (got - want).abs() <= 1e-13 * 18.2,
                "({i},{j}) {got} vs {want}"
            );
        }
    }
}

/// Rbf(0.7), depth 8, σ_w = √2, no bias, at points of norm ≈ 2e-7 along one
/// direction (exactly parallel and antiparallel scaled copies): F ≈ 1 after
/// the first layer, and the output gap formed as 1 − F cancelled (1 − exp of
/// an exponent below ε), snapping distinct pairs to parallel; the
/// recursion's NTK Gram was not PSD (λ_min −4.2e-10, trace
/// 2.9e4). The gap is now −expm1(…).
#[test]
fn rbf_grams_of_tiny_parallel_points_are_psd() {
    let act = activations::<f64>()
        .iter()
        .position(|a| matches!(a, Activation::Rbf(_)))
        .unwrap();
    let (u, v) = (1.1157873981143848e-7, 1.1269452720955286e-7);
    let case = Case {
        act,
        depth: 8,
        w_std: 2f64.sqrt(),
        b_std: None,
        standard: false,
        points: [u, u, v, -0.1 * v, 0.1 * u, 0.0, 0.0]
            .iter()
            .map(|&c| vec![c; 3])
            .collect(),
    };
    let net = case.net::<f64>();
    let reference = reference(&net, &case.points).unwrap();
    let n = case.points.len();
    let r = |f: fn(&Kernels<f64>) -> f64| DMatrix::from_fn(n, n, |i, j| f(&reference[i][j]));
    let bad = psd_violations(&case, "recursion NNGP", &r(|k| k.nngp))
        + psd_violations(&case, "recursion NTK", &r(|k| k.ntk));
    assert_eq!(bad, 0);
}
