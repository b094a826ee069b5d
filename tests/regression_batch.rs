//! Batch predictions of the regressor: the m×m predictive covariance in one
//! call ([`Model::covariance_matrix_into`]) and the means of m queries at one
//! finite training time ([`Model::means_at_into`]).
//!
//! References: entry-wise [`Model::covariance_with`] / [`Model::mean_into`]
//! (the one-query code paths), and neural-tangents 0.6.5
//! `gradient_descent_mse_ensemble(compute_cov=True)` (float64) in
//! `tests/data/nt_regression.json` (`scripts/gen_regression.py`), whose
//! covariances are whole 4×4 matrices.

use ntk::regression::{
    covariance_work_len, means_work_len, Model, Regime, Regressor, Ridge, SliceRegressor, Time,
    Workspace, WORK_PER_CAPACITY,
};
use ntk::{Activation, Error, Network};
use serde_json::Value;

#[path = "common/nt_fixture.rs"]
mod nt_fixture;
use nt_fixture::{network as fixture_network, rows};

/// As `tests/regression_nt.rs`: every entry within 1e-9 of the array's
/// largest |entry|; the deep ReLU NTK cases 1e-8 (neural-tangents' ReLU
/// diagonal is off by ulps amplified by the solve; explained there).
const NT_TOL: f64 = 1e-9;
const NT_RELU_NTK_TOL: f64 = 1e-8;

/// max |a − b| / max |b|.
fn scaled_error(got: &[f64], want: &[f64]) -> f64 {
    let scale = want.iter().fold(0.0f64, |m, x| m.max(x.abs())).max(1e-300);
    let diff = got.iter().zip(want).map(|(a, b)| (a - b).abs());
    diff.fold(0.0, f64::max) / scale
}

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/nt_regression.json");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    data["cases"].as_array().unwrap().clone()
}

/// A fitted slice regressor on its own buffer, with its eigenbasis buffers.
struct Fitted {
    buf: Vec<f64>,
    basis: [Vec<f64>; 3],
    n: usize,
    d: usize,
    o: usize,
}

impl Fitted {
    fn new(n: usize, d: usize, o: usize) -> Self {
        Fitted {
            buf: vec![0.0; Workspace::<f64>::required_len(n, d, o)],
            basis: [vec![0.0; n * n], vec![0.0; n * n], vec![0.0; n]],
            n,
            d,
            o,
        }
    }

    /// Fits and calls `f` with the model and the time (`t`: None = ∞).
    fn run<R>(
        &mut self,
        (net, regime, ridge): (Network<f64>, Regime, Ridge<f64>),
        (x, y): (&[f64], &[f64]),
        (t, eta): (Option<f64>, f64),
        f: impl FnOnce(&SliceRegressor<'_, f64>, &Time<'_, f64>) -> R,
    ) -> R {
        let ws = Workspace::new(&mut self.buf, self.n, self.d, self.o).unwrap();
        let mut reg = SliceRegressor::with_storage(net, regime, ridge, ws).unwrap();
        reg.fit_rows(x, y).unwrap();
        let [a, v, e] = &mut self.basis;
        let time = match t {
            None => Time::Infinite,
            Some(t) => Time::Finite {
                t,
                learning_rate: eta,
                basis: reg.eigenbasis_into(a, v, e).unwrap(),
            },
        };
        f(&reg, &time)
    }
}

/// C by m² calls of `covariance_with`.
fn entrywise<S: ntk::regression::Storage<f64>>(
    reg: &Model<f64, S>,
    xs: &[f64],
    time: &Time<'_, f64>,
) -> Vec<f64> {
    let d = reg.shape().dim;
    let mut work = vec![0.0; WORK_PER_CAPACITY * reg.shape().capacity];
    let mut c = vec![];
    for x in xs.chunks(d) {
        for z in xs.chunks(d) {
            c.push(reg.covariance_with(x, z, time, &mut work).unwrap());
        }
    }
    c
}

fn batch<S: ntk::regression::Storage<f64>>(
    reg: &Model<f64, S>,
    xs: &[f64],
    time: &Time<'_, f64>,
) -> Vec<f64> {
    let m = xs.len() / reg.shape().dim;
    let mut out = vec![f64::NAN; m * m];
    let mut work = vec![f64::NAN; covariance_work_len(reg.shape().capacity, m)];
    reg.covariance_matrix_into(xs, time, &mut out, &mut work)
        .unwrap();
    out
}

/// The means by m calls of `mean_into`.
fn one_by_one<S: ntk::regression::Storage<f64>>(
    reg: &Model<f64, S>,
    xs: &[f64],
    time: &Time<'_, f64>,
) -> Vec<f64> {
    let shape = reg.shape();
    let mut work = vec![0.0; WORK_PER_CAPACITY * shape.capacity];
    let mut out = vec![0.0; xs.len() / shape.dim * shape.outputs];
    for (x, o) in xs.chunks(shape.dim).zip(out.chunks_mut(shape.outputs)) {
        reg.mean_into(x, time, o, &mut work).unwrap();
    }
    out
}

fn batch_means<S: ntk::regression::Storage<f64>>(
    reg: &Model<f64, S>,
    xs: &[f64],
    time: &Time<'_, f64>,
) -> Vec<f64> {
    let shape = reg.shape();
    let m = xs.len() / shape.dim;
    let mut out = vec![f64::NAN; m * shape.outputs];
    let mut work = vec![f64::NAN; means_work_len(shape.capacity, shape.outputs, m)];
    reg.means_at_into(xs, time, &mut out, &mut work).unwrap();
    out
}

/// Batch covariance = neural-tangents' covariance matrix, and = the
/// entry-wise calls to rounding, on all 324 fixture cases.
#[test]
fn covariance_matrix_matches_neural_tangents_and_entrywise_calls() {
    let cases = cases();
    assert_eq!(cases.len(), 324);
    let (mut worst_nt, mut worst_entry) = (0.0f64, 0.0f64);
    for (c, case) in cases.iter().enumerate() {
        let (x, y, xt) = (
            rows(&case["x_train"]),
            rows(&case["y_train"]),
            rows(&case["x_test"]),
        );
        let o = case["outputs"].as_u64().unwrap() as usize;
        let d = case["x_train"][0].as_array().unwrap().len();
        let n = x.len() / d;
        let regime = if case["get"] == "nngp" {
            Regime::Nngp
        } else {
            Regime::Ntk
        };
        let r = case["diag_reg"].as_f64().unwrap();
        let ridge = if case["absolute"].as_bool().unwrap() {
            Ridge::Absolute(r)
        } else {
            Ridge::RelativeToMeanDiagonal(r)
        };
        let time = (case["t"].as_f64(), case["learning_rate"].as_f64().unwrap());
        let (got, each, means) = Fitted::new(n, d, o).run(
            (fixture_network(case), regime, ridge),
            (&x, &y),
            time,
            |reg, time| {
                let means = [batch_means(reg, &xt, time), one_by_one(reg, &xt, time)];
                (batch(reg, &xt, time), entrywise(reg, &xt, time), means)
            },
        );
        let tol = if case["net"] == "relu3" && regime == Regime::Ntk {
            NT_RELU_NTK_TOL
        } else {
            NT_TOL
        };
        let e_nt = scaled_error(&got, &rows(&case["cov"]));
        assert!(e_nt <= tol, "case {c}: batch covariance vs NT {e_nt:e}");
        let e_each = scaled_error(&got, &each);
        assert!(e_each <= 1e-13, "case {c}: vs entry-wise {e_each:e}");
        let [m_batch, m_one] = &means;
        let e_mean = scaled_error(m_batch, &rows(&case["mean"]));
        assert!(e_mean <= tol, "case {c}: batch means vs NT {e_mean:e}");
        let e_mean_one = scaled_error(m_batch, m_one);
        assert!(
            e_mean_one <= 1e-13,
            "case {c}: batch means vs one by one {e_mean_one:e}"
        );
        worst_nt = worst_nt.max(e_nt).max(e_mean);
        worst_entry = worst_entry.max(e_each).max(e_mean_one);
    }
    println!("batch covariance and means: worst scaled error vs NT {worst_nt:.1e}, vs one query at a time {worst_entry:.1e}");
}

/// Adversarial queries: a training point, a duplicate query, zero, tiny,
/// huge, antiparallel to a training point; ReLU (lane formula) and erf
/// (exact recursion); both regimes; t = ∞ and finite t.
#[test]
fn covariance_matrix_on_adversarial_queries_equals_entrywise() {
    let x = [
        1.0, 0.5, -0.2, 0.3, 1.0, 0.4, -0.7, 0.2, 0.9, 0.0, -1.0, 0.5, 0.6, 0.6, 0.6,
    ];
    let y = [1.0, -0.5, 0.25, 2.0, -1.0];
    let queries = [
        [1.0, 0.5, -0.2],
        [0.2, -0.3, 0.8],
        [0.2, -0.3, 0.8],
        [0.0, 0.0, 0.0],
        [1e-100, -2e-100, 3e-100],
        [3e40, 1e40, -2e40],
        [-0.6, -0.6, -0.6],
    ]
    .concat();
    let erf = Activation::Erf {
        a: 1.0,
        b: 1.0,
        c: 0.0,
    };
    for act in [Activation::Relu, erf] {
        let net = Network::new(3, act)
            .unwrap()
            .with_std(1.4, Some(0.2))
            .unwrap();
        for regime in [Regime::Nngp, Regime::Ntk] {
            for t in [None, Some(0.0), Some(2.5), Some(1e6)] {
                let ridge = Ridge::Absolute(1e-3);
                let (got, each, means) = Fitted::new(8, 3, 1).run(
                    (net, regime, ridge),
                    (&x, &y),
                    (t, 0.7),
                    |reg, time| {
                        let m = [
                            batch_means(reg, &queries, time),
                            one_by_one(reg, &queries, time),
                        ];
                        (
                            batch(reg, &queries, time),
                            entrywise(reg, &queries, time),
                            m,
                        )
                    },
                );
                let e = scaled_error(&got, &each);
                assert!(e <= 1e-13, "{act:?} {regime:?} t={t:?}: {e:e}");
                // Means: each query against its own scale (the huge query's
                // mean dwarfs the others).
                for (q, (a, b)) in means[0].iter().zip(&means[1]).enumerate() {
                    let e = (a - b).abs() / b.abs().max(1e-300);
                    assert!(
                        e <= 1e-12 || (a - b).abs() <= 1e-14,
                        "{act:?} {regime:?} t={t:?} mean {q}: {a} vs {b}"
                    );
                }
                // The duplicate queries give identical rows and columns.
                assert_eq!(got[1], got[2]);
                assert_eq!(got[7..14], got[14..21]);
            }
        }
    }
}

/// The inline `Regressor` gives the slice form's numbers.
#[test]
fn inline_covariance_matrix_equals_slice_form() {
    let net = Network::new(2, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    let xs = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-0.5, 0.3]];
    let ys = [[1.0], [-1.0], [0.5], [0.2]];
    let queries = [[0.5, 0.5], [1.0, 1.0], [-2.0, 0.1]];
    for regime in [Regime::Nngp, Regime::Ntk] {
        let mut reg = Regressor::<f64, 6, 2>::new(net, regime, Ridge::Absolute(1e-4)).unwrap();
        reg.fit(&xs, &ys).unwrap();
        let spectrum = reg.eigenbasis().unwrap();
        for time in [Time::Infinite, spectrum.at(1.5, 0.5)] {
            let got = reg.covariance_matrix(&queries, &time).unwrap();
            let want = batch(&reg, queries.as_flattened(), &time);
            assert_eq!(got.as_flattened(), &want[..]);
        }
    }
}

/// The inline `Regressor`'s batch means equal the slice form's, and at
/// t = ∞ they are `means_into`'s; two outputs.
#[test]
fn inline_batch_means_equal_slice_form() {
    let net = Network::new(3, Activation::Relu)
        .unwrap()
        .with_std(1.3, Some(0.3))
        .unwrap();
    let xs = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [-0.5, 0.3], [0.2, -0.9]];
    let ys = [[1.0, 0.0], [-1.0, 2.0], [0.5, 0.5], [0.2, -0.3], [0.0, 1.0]];
    let queries = [[0.5, 0.5], [1.0, 1.0], [-2.0, 0.1], [1.0, 1.0]];
    for regime in [Regime::Nngp, Regime::Ntk] {
        let mut reg = Regressor::<f64, 6, 2, 2>::new(net, regime, Ridge::Absolute(1e-4)).unwrap();
        reg.fit(&xs, &ys).unwrap();
        let spectrum = reg.eigenbasis().unwrap();
        for time in [Time::Infinite, spectrum.at(0.0, 1.0), spectrum.at(7.0, 0.3)] {
            let got = reg.predict_many_at(&queries, &time).unwrap();
            assert_eq!(
                got.as_flattened(),
                &batch_means(&reg, queries.as_flattened(), &time)[..]
            );
            for (q, g) in queries.iter().zip(&got) {
                let want = reg.predict_at(q, &time).unwrap();
                for (a, b) in g.iter().zip(&want) {
                    assert!((a - b).abs() <= 1e-13 * b.abs().max(1.0), "{a} vs {b}");
                }
            }
            assert_eq!(got[1], got[3]);
        }
        // t = 0 is the prior mean: 0.
        assert_eq!(
            reg.predict_many_at(&queries, &spectrum.at(0.0, 1.0))
                .unwrap(),
            [[0.0; 2]; 4]
        );
    }
}

#[test]
fn batch_means_errors_are_typed() {
    let net = Network::new(1, Activation::Relu).unwrap();
    let mut reg = Regressor::<f64, 4, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    reg.fit(&[[0.0, 1.0], [1.0, 0.0]], &[[1.0], [2.0]]).unwrap();
    let spectrum = reg.eigenbasis().unwrap();
    let time = spectrum.at(1.0, 1.0);
    let (mut out, mut work) = ([0.0; 2], [0.0; 64]);
    let q = [0.1, 0.2, 0.3, 0.4];
    // (m + O + 1)·n = (2 + 1 + 1)·2 = 8 scalars.
    assert!(matches!(
        reg.means_at_into(&q, &time, &mut out, &mut work[..7]),
        Err(Error::BufferTooSmall { needed: 8, .. })
    ));
    assert_eq!(
        reg.means_at_into(&q, &time, &mut out, &mut work[..8]),
        Ok(())
    );
    assert!(matches!(
        reg.means_at_into(&q, &time, &mut out[..1], &mut work),
        Err(Error::BufferTooSmall { .. })
    ));
    assert!(matches!(
        reg.means_at_into(&q[..3], &time, &mut out, &mut work),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        reg.means_at_into(&[f64::INFINITY, 0.0], &time, &mut out, &mut work),
        Err(Error::NonFinite { .. })
    ));
    let bad = Time::Finite {
        t: -1.0,
        learning_rate: 1.0,
        basis: spectrum.basis(),
    };
    assert!(matches!(
        reg.means_at_into(&q, &bad, &mut out, &mut work),
        Err(Error::InvalidParameter { .. })
    ));
    reg.insert([0.5, 0.5], [0.0]).unwrap();
    assert!(matches!(
        reg.predict_many_at(&[[0.1, 0.2]], &time),
        Err(Error::DimensionMismatch { .. })
    ));
}

#[test]
fn covariance_matrix_errors_are_typed() {
    let net = Network::new(1, Activation::Relu).unwrap();
    let mut reg = Regressor::<f64, 4, 2>::new(net, Regime::Ntk, Ridge::Absolute(1e-3)).unwrap();
    let (mut out, mut work) = ([0.0; 4], [0.0; 64]);
    let q = [0.1, 0.2, 0.3, 0.4];
    assert_eq!(
        reg.covariance_matrix_into(&q, &Time::Infinite, &mut out, &mut work),
        Err(Error::NotFitted)
    );
    reg.fit(&[[0.0, 1.0], [1.0, 0.0]], &[[1.0], [2.0]]).unwrap();
    let inf = Time::Infinite;
    assert!(matches!(
        reg.covariance_matrix_into(&q[..3], &inf, &mut out, &mut work),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        reg.covariance_matrix_into(&[0.1, f64::NAN], &inf, &mut out, &mut work),
        Err(Error::NonFinite { .. })
    ));
    assert!(matches!(
        reg.covariance_matrix_into(&q, &inf, &mut out[..3], &mut work),
        Err(Error::BufferTooSmall { .. })
    ));
    // (3·2 + 1)·n = 14 scalars for n = 2 points.
    assert!(matches!(
        reg.covariance_matrix_into(&q, &inf, &mut out, &mut work[..13]),
        Err(Error::BufferTooSmall { needed: 14, .. })
    ));
    assert_eq!(
        reg.covariance_matrix_into(&q, &inf, &mut out, &mut work[..14]),
        Ok(())
    );
    assert_eq!(
        reg.covariance_matrix_into(&[], &inf, &mut [], &mut []),
        Ok(())
    );
    let spectrum = reg.eigenbasis().unwrap();
    reg.insert([0.5, 0.5], [0.0]).unwrap();
    assert!(matches!(
        reg.covariance_matrix(&[[0.1, 0.2]], &spectrum.at(1.0, 1.0)),
        Err(Error::DimensionMismatch { .. })
    ));
}

/// f32: the batch covariance and means equal the one-query paths to f32
/// rounding (scaled by the largest entry; the ridge keeps A well
/// conditioned so that rounding is not amplified past 1e-4).
#[test]
fn f32_batch_results_equal_one_query_paths() {
    let net = Network::<f32>::new(3, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.1))
        .unwrap();
    let xs: [[f32; 3]; 6] = core::array::from_fn(|i| {
        [
            (i as f32).sin(),
            (0.5 * i as f32).cos(),
            0.2 * i as f32 - 0.5,
        ]
    });
    let ys = xs.map(|x| [x[0] - x[1] * x[2]]);
    let queries = [
        [0.3f32, -0.2, 0.9],
        [1.0, 0.0, -0.5],
        [0.3, -0.2, 0.9],
        xs[2],
    ];
    for regime in [Regime::Nngp, Regime::Ntk] {
        let mut reg = Regressor::<f32, 6, 3>::new(net, regime, Ridge::Absolute(1e-2)).unwrap();
        reg.fit(&xs, &ys).unwrap();
        let spectrum = reg.eigenbasis().unwrap();
        for time in [Time::Infinite, spectrum.at(2.0, 0.5)] {
            let cov = reg.covariance_matrix(&queries, &time).unwrap();
            let scale = cov
                .as_flattened()
                .iter()
                .fold(0.0f32, |m, v| m.max(v.abs()));
            let means = reg.predict_many_at(&queries, &time).unwrap();
            for (i, x) in queries.iter().enumerate() {
                for (j, z) in queries.iter().enumerate() {
                    let c = reg.covariance(x, z, &time).unwrap();
                    assert!(
                        (cov[i][j] - c).abs() <= 1e-4 * scale,
                        "{regime:?} ({i}, {j}): {} vs {c}",
                        cov[i][j]
                    );
                }
                let [m] = reg.predict_at(x, &time).unwrap();
                assert!(
                    (means[i][0] - m).abs() <= 1e-5 * m.abs().max(1.0),
                    "{regime:?} {i}: {} vs {m}",
                    means[i][0]
                );
            }
        }
    }
}
