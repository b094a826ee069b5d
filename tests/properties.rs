//! Property tests of the kernels: symmetry, positive semi-definiteness,
//! homogeneity, closed forms (Cho & Saul's arc-cosine kernels), f32/f64
//! agreement and the depth behaviour theory predicts.
//!
//! The expected values here are written independently of `src/` (the
//! arc-cosine formulas use `acos` on augmented input vectors, the eigenvalues
//! come from a test-local Jacobi iteration).

use ntk::{Activation, Dense, Kernels, Network, Real};
use proptest::prelude::*;
use std::f64::consts::PI;

/// Every activation, parameterised by an index and three numbers in [0, 1).
fn activation<T: Real>(kind: usize, p: [f64; 3]) -> Activation<T> {
    let t = T::from_f64;
    let [u, v, w] = p;
    match kind {
        0 => Activation::Relu,
        1 => Activation::leaky_relu(t(0.5 * u - 0.2)),
        2 => Activation::AbRelu {
            a: t(2.0 * u - 1.0),
            b: t(0.2 + 1.5 * v),
        },
        3 => Activation::abs(),
        4 => Activation::Sign,
        5 => Activation::Step,
        6 => Activation::Requ,
        7 => Activation::Erf {
            a: t(0.5 + u),
            b: t(0.3 + 1.5 * v),
            c: t(w - 0.5),
        },
        8 => Activation::Gelu,
        9 => Activation::Sin {
            a: t(0.5 + u),
            b: t(0.3 + 1.5 * v),
            c: t(3.0 * w),
        },
        10 => Activation::cos(t(0.5 + u), t(0.3 + 1.5 * v), t(3.0 * w)),
        _ => Activation::Identity,
    }
}
const KINDS: usize = 12;
const REQU: usize = 6;

/// A network description independent of the scalar type, so the same one can
/// be built in f32 and f64.
#[derive(Clone, Debug)]
struct Spec {
    kind: usize,
    params: [f64; 3],
    layers: Vec<(f64, Option<f64>)>,
    widths: Option<Vec<usize>>,
}

impl Spec {
    fn build<T: Real>(&self) -> Network<T> {
        let depth = self.layers.len() - 1;
        let mut net = Network::new(depth, activation(self.kind, self.params)).unwrap();
        for (l, &(w, b)) in self.layers.iter().enumerate() {
            let layer = Dense::new(T::from_f64(w), b.map(T::from_f64));
            net = net.with_layer(l, layer).unwrap();
        }
        if let Some(widths) = &self.widths {
            net = net.with_standard_parameterization(widths).unwrap();
        }
        net
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    (0..KINDS, any::<[u16; 3]>(), 1usize..=10, any::<bool>()).prop_flat_map(
        |(kind, p, depth, standard)| {
            // ReQU squares the variance each layer: keep it shallow and contracting.
            let (depth, wmax) = if kind == REQU {
                (depth.min(3), 0.9)
            } else {
                (depth, 2.0)
            };
            let layer = (0.3..wmax, prop::option::of(0.0..1.0f64));
            let widths = if standard {
                prop::collection::vec(1usize..300, depth)
                    .prop_map(Some)
                    .boxed()
            } else {
                Just(None).boxed()
            };
            (prop::collection::vec(layer, depth + 1), widths).prop_map(move |(layers, widths)| {
                Spec {
                    kind,
                    params: p.map(|v| f64::from(v) / 65536.0),
                    layers,
                    widths,
                }
            })
        },
    )
}

fn points(n: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    (1usize..=6)
        .prop_flat_map(move |d| prop::collection::vec(prop::collection::vec(-2.0..2.0f64, d), n))
}

fn gram(net: &Network<f64>, xs: &[Vec<f64>]) -> [Vec<Vec<f64>>; 2] {
    let ks: Vec<Vec<Kernels<f64>>> = xs
        .iter()
        .map(|x| xs.iter().map(|z| net.kernels(x, z).unwrap()).collect())
        .collect();
    let pick = |f: fn(&Kernels<f64>) -> f64| ks.iter().map(|r| r.iter().map(f).collect()).collect();
    [pick(|k| k.nngp), pick(|k| k.ntk)]
}

/// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations.
fn jacobi_eigenvalues(mut a: Vec<Vec<f64>>) -> Vec<f64> {
    let n = a.len();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[p][q] == 0.0 {
                    continue;
                }
                let tau = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = tau.signum() / (tau.abs() + (1.0 + tau * tau).sqrt());
                let t = if tau == 0.0 { 1.0 } else { t };
                let (c, s) = (1.0 / (1.0 + t * t).sqrt(), t / (1.0 + t * t).sqrt());
                for row in a.iter_mut() {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (rp, rq) = (a[p].clone(), a[q].clone());
                for (k, (apk, aqk)) in rp.into_iter().zip(rq).enumerate() {
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
    (0..n).map(|i| a[i][i]).collect()
}

/// Cholesky of a + jitter·I succeeds (every pivot > 0).
fn cholesky_ok(a: &[Vec<f64>], jitter: f64) -> bool {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let d = a[i][i] + jitter - s;
                if d.is_nan() || d <= 0.0 {
                    return false;
                }
                l[i][i] = d.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    true
}

/// Cho & Saul (2009) arc-cosine kernels of order 0 and 1 of the augmented
/// pre-activation vectors: k₀ = 1 − θ/π, k₁ = |u||v|(sin θ + (π − θ) cos θ)/π.
fn arccos_kernels(u: &[f64], v: &[f64]) -> (f64, f64) {
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let (nu, nv) = (dot(u, u).sqrt(), dot(v, v).sqrt());
    let theta = (dot(u, v) / (nu * nv)).clamp(-1.0, 1.0).acos();
    (
        1.0 - theta / PI,
        nu * nv * (theta.sin() + (PI - theta) * theta.cos()) / PI,
    )
}

/// sin θ of the first hidden layer's pre-activations, the smallest sin θ and
/// the largest variance q of the pre-activations of every hidden layer, in f64.
fn layer_conditioning(spec: &Spec, x: &[f64], z: &[f64]) -> (f64, f64, f64) {
    let sin = |k: f64, q1: f64, q2: f64| (1.0 - k * k / (q1 * q2)).max(0.0).sqrt();
    let dot =
        |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(u, v)| u * v).sum::<f64>() / a.len() as f64;
    let (w, b) = spec.layers[0];
    let aff = |k: f64| w * w * k + b.map_or(0.0, |b| b * b);
    let (qx, qz) = (aff(dot(x, x)), aff(dot(z, z)));
    let first = sin(aff(dot(x, z)), qx, qz);
    let mut min = first;
    let mut max_q = qx.max(qz);
    for l in 1..spec.layers.len() - 1 {
        let prefix = Spec {
            layers: spec.layers[..=l].to_vec(),
            widths: spec.widths.as_ref().map(|w| w[..l].to_vec()),
            ..spec.clone()
        };
        let net: Network<f64> = prefix.build();
        let k = |a: &[f64], b: &[f64]| net.kernels(a, b).unwrap().nngp;
        let (qx, qz) = (k(x, x), k(z, z));
        min = min.min(sin(k(x, z), qx, qz));
        max_q = max_q.max(qx).max(qz);
    }
    (first, min, max_q)
}

fn relu_net(layers: &[(f64, Option<f64>)]) -> Network<f64> {
    let spec = Spec {
        kind: 0,
        params: [0.0; 3],
        layers: layers.to_vec(),
        widths: None,
    };
    spec.build()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// K(x, z) = K(z, x) to a few ulps: the pair's gaps and its variances'
    /// products are rounded in an order that depends on which point is which
    /// (and fused multiply-adds, on aarch64 and FMA builds, round once). Gram
    /// matrices are symmetric exactly: each pair is computed once and mirrored.
    #[test]
    fn symmetric(spec in spec(), xs in points(2)) {
        let net: Network<f64> = spec.build();
        let (a, b) = (net.kernels(&xs[0], &xs[1]).unwrap(), net.kernels(&xs[1], &xs[0]).unwrap());
        let close = |u: f64, v: f64| (u - v).abs() <= 8.0 * f64::EPSILON * u.abs().max(v.abs());
        prop_assert!(close(a.nngp, b.nngp) && close(a.ntk, b.ntk), "{:?} vs {:?}", a, b);
    }

    #[test]
    fn gram_matrices_are_positive_semidefinite(spec in spec(), xs in points(6)) {
        let net: Network<f64> = spec.build();
        for g in gram(&net, &xs) {
            let trace: f64 = (0..g.len()).map(|i| g[i][i]).sum();
            prop_assert!(trace.is_finite() && trace >= 0.0, "trace {}", trace);
            let min = jacobi_eigenvalues(g.clone()).into_iter().fold(f64::INFINITY, f64::min);
            prop_assert!(min >= -1e-12 * trace, "smallest eigenvalue {:e}, trace {:e}", min, trace);
            let jitter = 1e-10 * trace + f64::MIN_POSITIVE;
            prop_assert!(cholesky_ok(&g, jitter), "Cholesky failed with jitter {:e}", jitter);
        }
    }

    #[test]
    fn relu_family_without_bias_is_positively_homogeneous(
        kind in 0usize..4, p in any::<[u16; 3]>(), depth in 1usize..=10,
        w in 0.5..2.0f64, zero_bias in any::<bool>(),
        xs in points(2), alpha in 1e-3..1e3f64, beta in 1e-3..1e3f64,
    ) {
        let spec = Spec {
            kind,
            params: p.map(|v| f64::from(v) / 65536.0),
            layers: vec![(w, zero_bias.then_some(0.0)); depth + 1],
            widths: None,
        };
        let net: Network<f64> = spec.build();
        let k = net.kernels(&xs[0], &xs[1]).unwrap();
        let sx: Vec<f64> = xs[0].iter().map(|v| alpha * v).collect();
        let sz: Vec<f64> = xs[1].iter().map(|v| beta * v).collect();
        let ks = net.kernels(&sx, &sz).unwrap();
        // |Σ(x, z)| ≤ √(Σ(x, x)Σ(z, z)): scale the tolerance by that bound.
        let bound = |f: fn(&Kernels<f64>) -> f64| {
            (f(&net.kernels(&xs[0], &xs[0]).unwrap()) * f(&net.kernels(&xs[1], &xs[1]).unwrap())).sqrt()
        };
        let (bn, bt) = (bound(|k| k.nngp), bound(|k| k.ntk));
        prop_assert!((ks.nngp - alpha * beta * k.nngp).abs() <= 1e-12 * alpha * beta * bn);
        prop_assert!((ks.ntk - alpha * beta * k.ntk).abs() <= 1e-12 * alpha * beta * bt);
    }

    #[test]
    fn one_layer_relu_is_cho_saul_arccos(
        w0 in 0.2..2.0f64, b0 in prop::option::of(0.0..1.0f64),
        w1 in 0.2..2.0f64, b1 in prop::option::of(0.0..1.0f64),
        xs in points(2),
    ) {
        let net = relu_net(&[(w0, b0), (w1, b1)]);
        let k = net.kernels(&xs[0], &xs[1]).unwrap();
        // First-layer pre-activations are Gaussian with covariance ũ·ṽ,
        // ũ = (σ_w x/√d, σ_b): then E[relu(u)relu(v)] = k₁/2, E[1(u>0)1(v>0)] = k₀/2.
        let d = xs[0].len() as f64;
        let aug = |x: &[f64]| -> Vec<f64> {
            x.iter().map(|v| w0 * v / d.sqrt()).chain([b0.unwrap_or(0.0)]).collect()
        };
        let (u, v) = (aug(&xs[0]), aug(&xs[1]));
        let (k0, k1) = arccos_kernels(&u, &v);
        let (w1s, b1s) = (w1 * w1, b1.map_or(0.0, |b| b * b));
        let nngp = w1s * k1 / 2.0 + b1s;
        let first: f64 = u.iter().zip(&v).map(|(a, b)| a * b).sum();
        let ntk = nngp + w1s * first * k0 / 2.0;
        let scale = |f: fn(&Kernels<f64>) -> f64| {
            (f(&net.kernels(&xs[0], &xs[0]).unwrap()) * f(&net.kernels(&xs[1], &xs[1]).unwrap())).sqrt()
        };
        prop_assert!((k.nngp - nngp).abs() <= 1e-12 * scale(|k| k.nngp), "{} vs {}", k.nngp, nngp);
        // k₀ through acos is ill-conditioned at θ ≈ 0 (√ulp): allow 1e-7 there.
        prop_assert!((k.ntk - ntk).abs() <= 1e-7 * scale(|k| k.ntk), "{} vs {}", k.ntk, ntk);
    }

    #[test]
    fn f32_agrees_with_f64(spec in spec(), xs in points(2)) {
        let (n64, n32): (Network<f64>, Network<f32>) = (spec.build(), spec.build());
        // The f64 network sees the f32-rounded inputs, so only arithmetic differs.
        let x32: Vec<Vec<f32>> = xs.iter().map(|x| x.iter().map(|&v| v as f32).collect()).collect();
        let x64: Vec<Vec<f64>> = x32.iter().map(|x| x.iter().map(|&v| f64::from(v)).collect()).collect();
        let k64 = n64.kernels(&x64[0], &x64[1]).unwrap();
        let k32 = n32.kernels(&x32[0], &x32[1]).unwrap();
        let diag = |f: fn(&Kernels<f64>) -> f64| {
            (f(&n64.kernels(&x64[0], &x64[0]).unwrap()) * f(&n64.kernels(&x64[1], &x64[1]).unwrap())).sqrt()
        };
        let (bn, bt) = (diag(|k| k.nngp), diag(|k| k.ntk));
        // An f32 rounding of the inputs' cosine c moves θ by ε/sin θ: no f32
        // evaluation can do better where c is near ±1. The ReLU family carries
        // the angle exactly from there on (`Activation::dual_gap`), so only the
        // first layer's angle matters; Sign, Step (slope ∞ at c = ±1, compounding
        // with depth) and ReQU need every layer's. This property covers pairs
        // with those sin θ ≥ 0.2; the fixtures and tests/edge_cases.rs cover the
        // (anti)parallel ones.
        let (first_sin, min_sin, max_q) = layer_conditioning(&spec, &x64[0], &x64[1]);
        let relu_family = spec.kind <= 3;
        prop_assume!(spec.kind > REQU || (relu_family && first_sin >= 0.2) || min_sin >= 0.2);
        // Sin/Cos evaluate exp(b²(K − (q₁ + q₂)/2)): an f32 rounding of K or q
        // costs ε·b²·q relative per layer.
        let b2q = if spec.kind == 9 || spec.kind == 10 { (0.3 + 1.5 * spec.params[1]).powi(2) * max_q } else { 0.0 };
        let tol = 2e-5 + 4.0 * spec.layers.len() as f64 * f64::from(f32::EPSILON) * b2q;
        let rel = |a: f32, b: f64, s: f64| (f64::from(a) - b).abs() / s;
        prop_assert!(rel(k32.nngp, k64.nngp, bn) <= tol, "nngp {} vs {}", k32.nngp, k64.nngp);
        prop_assert!(rel(k32.ntk, k64.ntk, bt) <= tol, "ntk {} vs {}", k32.ntk, k64.ntk);
    }

    #[test]
    fn critical_relu_ntk_grows_linearly_with_depth(x in prop::collection::vec(-3.0..3.0f64, 1..8)) {
        // σ_w² = 2, no bias: every pre-activation variance is 2|x|²/d (ReLU halves
        // it, the next Dense doubles it), so Σ(x, x) = 2|x|²/d at every depth; each
        // Dense adds that to Θ after ReLU's Ḟ(θ = 0) = ½ and σ_w² = 2 cancel:
        // Θ(x, x) = 2(L + 1)|x|²/d.
        let q = 2.0 * x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64;
        for depth in 1..=ntk::MAX_DEPTH {
            let net = relu_net(&vec![(2f64.sqrt(), None); depth + 1]);
            let k = net.kernels(&x, &x).unwrap();
            let layers = depth as f64 + 1.0;
            prop_assert!((k.nngp - q).abs() <= 1e-14 * q, "Σ {} vs {}", k.nngp, q);
            prop_assert!((k.ntk - layers * q).abs() <= 1e-14 * layers * q, "Θ {} vs {}", k.ntk, layers * q);
        }
    }

    #[test]
    fn relu_correlation_increases_with_depth(
        xs in points(2), w in 0.5..2.0f64, zero_bias in any::<bool>(),
    ) {
        // Without bias the ReLU correlation map ρ ↦ (√(1−ρ²) + (π − arccos ρ)ρ)/π
        // (independent of σ_w) is ≥ ρ on [−1, 1]: ρ_L is non-decreasing in L.
        // (With a bias ρ_L tends to a fixed point below 1, from either side.)
        let b = zero_bias.then_some(0.0);
        let mut last = -1.0;
        for depth in 1..=ntk::MAX_DEPTH {
            let net = relu_net(&vec![(w, b); depth + 1]);
            let k = |x: &[f64], z: &[f64]| net.kernels(x, z).unwrap().nngp;
            let denom = (k(&xs[0], &xs[0]) * k(&xs[1], &xs[1])).sqrt();
            if denom == 0.0 {
                return Ok(());
            }
            let rho = k(&xs[0], &xs[1]) / denom;
            prop_assert!(rho <= 1.0 + 1e-15 && rho >= last - 1e-13, "depth {}: ρ {} after {}", depth, rho, last);
            last = rho;
        }
    }
}
