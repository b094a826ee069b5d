//! The `Kernel` trait: user kernels against hand computations, the network's
//! kernels through the trait against `Gram` bit for bit, and the regression
//! on a precomputed Gram matrix against the network regressor bit for bit.

use ntk::gram::{ColMajor, Gram, IntoTarget, LaneReal, Output, Points, RowMajor, Tile};
use ntk::kernel::{self, Kernel, Laplace, Rbf};
use ntk::regression::{Precomputed, Regime, Regressor, Ridge, Time};
use ntk::{Activation, Error, Network, Real};

/// Values computed by hand (Python `math`, independent of this crate):
/// x = (1, 2), z = (0, 0.5): ‖x − z‖² = 3.25;
/// 2·exp(−3.25/(2·1.5²)) and 2·exp(−√3.25/1.5).
#[test]
fn rbf_and_laplace_match_hand_computation() {
    let (x, z) = ([1.0f64, 2.0], [0.0, 0.5]);
    let rbf = Rbf::new(1.5, 2.0).unwrap();
    let lap = Laplace::new(1.5, 2.0).unwrap();
    let close = |a: f64, b: f64| (a - b).abs() <= 2.0 * f64::EPSILON * b;
    assert!(close(rbf.eval(&x, &z).unwrap(), 0.9713435704954247));
    assert!(close(lap.eval(&x, &z).unwrap(), 0.6012747798072995));
    assert_eq!(rbf.eval(&x, &x).unwrap(), 2.0);
    // f32: the same to f32 rounding.
    let r32 = Rbf::new(1.5f32, 2.0).unwrap();
    let v = r32.eval(&[1.0, 2.0], &[0.0, 0.5]).unwrap();
    assert!((v as f64 - 0.9713435704954247).abs() < 2e-7);
}

/// A user-defined RBF (a closure) filled through the default tile and
/// symmetric methods: every entry equals the hand formula, in both layouts.
#[test]
fn user_rbf_gram_matches_the_formula() {
    let user = |a: &[f64], b: &[f64]| {
        let d2: f64 = a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum();
        (-d2 / 2.0).exp()
    };
    let xs: Vec<f64> = (0..5 * 2).map(|i| (i as f64 * 0.37).sin()).collect();
    let x = Points::new(&xs, 2).unwrap();
    let mut sym = vec![f64::NAN; 25];
    kernel::symmetric(&user, &x, RowMajor(&mut sym, 5)).unwrap();
    let mut col = vec![f64::NAN; 15];
    let z = x.slice(1..4).unwrap();
    kernel::matrix(&user, &x, &z, ColMajor(&mut col, 5)).unwrap();
    for i in 0..5 {
        for j in 0..5 {
            let (p, q) = (&xs[2 * i..2 * i + 2], &xs[2 * j..2 * j + 2]);
            let d2 = (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2);
            let want = (-d2 / 2.0).exp();
            assert!((sym[i * 5 + j] - want).abs() <= 1e-15, "({i}, {j})");
            if (1..4).contains(&j) {
                assert_eq!(col[(j - 1) * 5 + i], user(p, q));
            }
        }
    }
    // The library RBF with ℓ = 1, σ² = 1 is the same kernel.
    let mut lib = vec![0.0; 25];
    kernel::symmetric(&Rbf::new(1.0, 1.0).unwrap(), &x, RowMajor(&mut lib, 5)).unwrap();
    for (a, b) in lib.iter().zip(&sym) {
        assert!((a - b).abs() <= 1e-15);
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    assert!(matches!(
        Rbf::new(0.0, 1.0),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Laplace::new(1.0, f64::NAN),
        Err(Error::NonFinite { .. })
    ));
    let nan = |_: &[f64], _: &[f64]| f64::NAN;
    assert!(matches!(
        nan.eval(&[1.0], &[1.0]),
        Err(Error::NonFinite { .. })
    ));
    let rbf = Rbf::new(1.0, 1.0).unwrap();
    assert!(matches!(
        rbf.eval(&[1.0], &[1.0, 2.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(rbf.eval(&[], &[]), Err(Error::Empty { .. })));
    assert!(matches!(
        rbf.eval(&[f64::INFINITY], &[0.0]),
        Err(Error::NonFinite { .. })
    ));
    let xs = [0.0, 1.0, 2.0];
    let (x, z) = (
        Points::new(&xs, 1).unwrap(),
        Points::new(&xs[..2], 2).unwrap(),
    );
    let mut buf = [0.0; 9];
    assert!(matches!(
        kernel::matrix(&rbf, &x, &z, RowMajor(&mut buf, 3)),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        kernel::symmetric(&rbf, &x, RowMajor(&mut buf[..8], 3)),
        Err(Error::BufferTooSmall { .. })
    ));
    assert!(matches!(
        rbf.tile(
            &x,
            &x,
            Tile::new(0..4, 0..1),
            RowMajor(&mut buf, 3).into_target()
        ),
        Err(Error::IndexOutOfRange { .. })
    ));
}

/// Only `eval`: exercises the trait's default tile and symmetric methods.
struct PairsOnly<K>(K);

impl<T: Real, K: Kernel<T>> Kernel<T> for PairsOnly<K> {
    fn eval(&self, x: &[T], z: &[T]) -> Result<T, Error> {
        self.0.eval(x, z)
    }
}

fn bits<T: LaneReal>(v: &[T]) -> Vec<u64> {
    v.iter().map(|x| x.to_f64().to_bits()).collect()
}

/// The network's NNGP and NTK through the trait (fast tiles and the default
/// pair-by-pair methods) equal `Gram` bit for bit.
fn network_kernel_equals_gram<T: LaneReal>(activation: Activation<T>) {
    let net = Network::<T>::new(3, activation)
        .unwrap()
        .with_std(T::from_f64(1.3), Some(T::from_f64(0.1)))
        .unwrap();
    let (n, m, d) = (70, 9, 5);
    let mut xs: Vec<T> = (0..n * d)
        .map(|i| T::from_f64(((i * 37 % 101) as f64 - 50.0) / 17.0))
        .collect();
    // A duplicate and an antiparallel point, a zero point.
    let p0: Vec<T> = xs[..d].to_vec();
    xs[d..2 * d].copy_from_slice(&p0);
    for (c, v) in xs[2 * d..3 * d].iter_mut().zip(&p0) {
        *c = -*v;
    }
    xs[3 * d..4 * d].iter_mut().for_each(|c| *c = T::ZERO);
    let x = Points::new(&xs, d).unwrap();
    let z = x.slice(0..m).unwrap();
    let g = Gram::new(net);
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    g.symmetric(&x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
        .unwrap();
    let (mut sr, mut tr) = (vec![T::ZERO; n * m], vec![T::ZERO; n * m]);
    g.matrix(
        &x,
        &z,
        Output::both(RowMajor(&mut sr, m), RowMajor(&mut tr, m)),
    )
    .unwrap();
    for (k, want, want_rect) in [(net.nngp(), &s, &sr), (net.ntk(), &t, &tr)] {
        let mut got = vec![T::ZERO; n * n];
        kernel::symmetric(&k, &x, RowMajor(&mut got, n)).unwrap();
        assert_eq!(bits(&got), bits(want));
        kernel::symmetric(&PairsOnly(k), &x, RowMajor(&mut got, n)).unwrap();
        assert_eq!(bits(&got), bits(want));
        let mut rect = vec![T::ZERO; n * m];
        kernel::matrix(&k, &x, &z, RowMajor(&mut rect, m)).unwrap();
        assert_eq!(bits(&rect), bits(want_rect));
        kernel::matrix(&PairsOnly(k), &x, &z, RowMajor(&mut rect, m)).unwrap();
        assert_eq!(bits(&rect), bits(want_rect));
        assert_eq!(
            k.eval(x.point(5), x.point(6)).unwrap().to_f64().to_bits(),
            want[5 * n + 6].to_f64().to_bits()
        );
    }
}

#[test]
fn network_kernels_through_the_trait_equal_gram_bitwise() {
    network_kernel_equals_gram::<f32>(Activation::Relu);
    network_kernel_equals_gram::<f64>(Activation::Relu);
    network_kernel_equals_gram::<f64>(Activation::leaky_relu(0.2));
    network_kernel_equals_gram::<f64>(Activation::Erf {
        a: 1.0,
        b: 1.0,
        c: 0.0,
    });
}

/// The regressor on a precomputed Gram matrix equals the regressor on the
/// network bit for bit (α and the batch means), and its variance is the
/// NNGP-regime covariance.
#[test]
fn precomputed_gram_regressor_equals_network_regressor() {
    const N: usize = 40;
    let n = 33;
    let net = Network::<f64>::new(3, Activation::Relu)
        .unwrap()
        .with_std(1.5, Some(0.05))
        .unwrap();
    let xs: Vec<[f64; 3]> = (0..n)
        .map(|i| {
            let t = i as f64 * 0.3;
            [t.sin(), (1.7 * t).cos(), 0.2 * t - 1.0]
        })
        .collect();
    let ys: Vec<[f64; 2]> = xs.iter().map(|p| [p[0] * p[1], p[2].sin()]).collect();
    let queries: Vec<f64> = (0..7 * 3).map(|i| (i as f64 * 0.71).cos()).collect();
    let x = Points::from_arrays(&xs).unwrap();
    let q = Points::new(&queries, 3).unwrap();
    for regime in [Regime::Nngp, Regime::Ntk] {
        for ridge in [Ridge::Absolute(1e-6), Ridge::RelativeToMeanDiagonal(1e-3)] {
            let mut reg = Regressor::<f64, N, 3, 2>::new(net, regime, ridge).unwrap();
            reg.fit(&xs, &ys).unwrap();
            let kern = match regime {
                Regime::Nngp => net.nngp(),
                Regime::Ntk => net.ntk(),
            };
            let mut k = vec![0.0; n * n];
            kernel::symmetric(&kern, &x, RowMajor(&mut k, n)).unwrap();
            let mut alpha = vec![0.0; n * 2];
            let y: Vec<f64> = ys.as_flattened().to_vec();
            let pre = Precomputed::fit(RowMajor(&mut k, n), n, &y, ridge, &mut alpha).unwrap();
            assert_eq!(pre.lambda().to_bits(), reg.lambda().to_bits());
            assert_eq!(bits(pre.alpha()), bits(reg.alpha()), "{regime:?} {ridge:?}");
            let mut kq = vec![0.0; 7 * n];
            kernel::matrix(&kern, &q, &x, RowMajor(&mut kq, n)).unwrap();
            let (mut got, mut want) = (vec![0.0; 14], vec![0.0; 14]);
            pre.means_into(&kq, &mut got).unwrap();
            reg.means_into(&queries, &mut want, &mut vec![0.0; 7 * N])
                .unwrap();
            assert_eq!(bits(&got), bits(&want));
            if regime == Regime::Nngp {
                let qp = q.point(2);
                let kxx = kern.eval(qp, qp).unwrap();
                let var = pre
                    .variance(kxx, &kq[2 * n..3 * n], &mut [0.0; 40])
                    .unwrap();
                let qa: [f64; 3] = qp.try_into().unwrap();
                let cov = reg.covariance(&qa, &qa, &Time::Infinite).unwrap();
                assert!((var - cov).abs() <= 1e-9 * kxx, "{var} vs {cov}");
            }
        }
    }
}

#[test]
fn precomputed_errors() {
    let mut k = [1.0, 0.0, 0.0, 1.0];
    let mut alpha = [0.0; 2];
    let r = Ridge::Absolute(0.0);
    assert!(matches!(
        Precomputed::fit(RowMajor(&mut k, 1), 2, &[1.0, 2.0], r, &mut alpha),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        Precomputed::fit(RowMajor(&mut k, 2), 2, &[1.0, 2.0, 3.0], r, &mut alpha),
        Err(Error::DimensionMismatch { .. })
    ));
    let mut singular = [1.0, 1.0, 1.0, 1.0];
    assert!(matches!(
        Precomputed::fit(RowMajor(&mut singular, 2), 2, &[1.0, 2.0], r, &mut alpha),
        Err(Error::NotPositiveDefinite { .. })
    ));
    let mut nan = [f64::NAN, 0.0, 0.0, 1.0];
    assert!(matches!(
        Precomputed::fit(RowMajor(&mut nan, 2), 2, &[1.0, 2.0], r, &mut alpha),
        Err(Error::NonFinite { .. })
    ));
    let pre = Precomputed::fit(RowMajor(&mut k, 2), 2, &[1.0, 2.0], r, &mut alpha).unwrap();
    assert!(matches!(
        pre.means_into(&[1.0, 0.0, 1.0], &mut [0.0; 2]),
        Err(Error::DimensionMismatch { .. })
    ));
}

/// A user's own kernel (a struct implementing `Kernel`, no tiles of its
/// own) in the fixed-size regressor: means K(x, X)·(K + λI)⁻¹·Y and
/// variances k(x, x) − K(x, X)·(K + λI)⁻¹·K(X, x) against the same formulas
/// solved independently with nalgebra's Cholesky; online inserts and the
/// batch means against the same reference.
#[test]
fn user_kernel_regressor_matches_nalgebra_cholesky() {
    use nalgebra::{DMatrix, DVector};
    use ntk::regression::KernelRegressor;

    #[derive(Clone, Debug)]
    struct MyRbf(f64);
    impl Kernel<f64> for MyRbf {
        fn eval(&self, x: &[f64], z: &[f64]) -> ntk::Result<f64> {
            let d2: f64 = x.iter().zip(z).map(|(a, b)| (a - b) * (a - b)).sum();
            Ok((-d2 / (2.0 * self.0 * self.0)).exp())
        }
    }
    let k = |x: &[f64], z: &[f64]| MyRbf(0.7).eval(x, z).unwrap();
    const N: usize = 16;
    let (n, lambda) = (13, 1e-3);
    let xs: Vec<[f64; 2]> = (0..n)
        .map(|i| [(0.9 * i as f64).sin(), 0.25 * i as f64 - 1.5])
        .collect();
    let ys: Vec<[f64; 2]> = xs
        .iter()
        .map(|p| [p[0] * p[1], (2.0 * p[1]).cos()])
        .collect();
    let a = DMatrix::from_fn(n, n, |i, j| {
        k(&xs[i], &xs[j]) + if i == j { lambda } else { 0.0 }
    });
    let y = DMatrix::from_fn(n, 2, |i, m| ys[i][m]);
    let chol = a.cholesky().expect("K + λI is positive definite");
    let alpha = chol.solve(&y);
    let queries = [[0.1, -0.2], [0.8, 1.1], [-0.5, 0.4]];

    let new = || {
        KernelRegressor::<f64, MyRbf, N, 2, 2>::from_kernel(MyRbf(0.7), Ridge::Absolute(lambda))
            .unwrap()
    };
    let mut batch = new();
    batch.fit(&xs, &ys).unwrap();
    let mut online = new();
    for (x, y) in xs.iter().zip(&ys) {
        online.insert(*x, *y).unwrap();
    }
    let mut means = [0.0; 6];
    batch
        .means_into(queries.as_flattened(), &mut means, &mut [0.0; 3 * N])
        .unwrap();
    for (q, x) in queries.iter().enumerate() {
        let kx = DVector::from_fn(n, |i, _| k(x, &xs[i]));
        let want_mean = alpha.tr_mul(&kx);
        let want_var = k(x, x) - kx.dot(&chol.solve(&kx));
        let close = |got: f64, want: f64| (got - want).abs() <= 1e-9 * want.abs().max(1.0);
        for reg in [&batch, &online] {
            let (mean, var) = reg.predict_with_variance(x).unwrap();
            for m in 0..2 {
                assert!(
                    close(mean[m], want_mean[m]),
                    "{q} {m}: {} vs {}",
                    mean[m],
                    want_mean[m]
                );
                assert!(close(means[2 * q + m], want_mean[m]), "batch {q} {m}");
            }
            assert!(close(var, want_var), "{q}: {var} vs {want_var}");
        }
    }
    // A user kernel has no NTK regime: the covariance is the GP posterior's.
    let (x, z) = (&queries[0], &queries[1]);
    let (kx, kz) = (
        DVector::from_fn(n, |i, _| k(x, &xs[i])),
        DVector::from_fn(n, |i, _| k(z, &xs[i])),
    );
    let want = k(x, z) - kx.dot(&chol.solve(&kz));
    let got = batch.covariance(x, z, &Time::Infinite).unwrap();
    assert!((got - want).abs() <= 1e-9, "{got} vs {want}");
}

/// The regressor with a user kernel (an `Rbf`) equals the regressor on its
/// precomputed Gram matrix bit for bit, as it does with the network's kernels.
#[test]
fn precomputed_gram_regressor_equals_user_kernel_regressor() {
    use ntk::regression::KernelRegressor;
    const N: usize = 24;
    let n = 21;
    let xs: Vec<[f64; 3]> = (0..n)
        .map(|i| {
            let t = i as f64 * 0.37;
            [t.cos(), (0.6 * t).sin(), 0.1 * t]
        })
        .collect();
    let ys: Vec<[f64; 1]> = xs.iter().map(|p| [p[0] - p[1] * p[2]]).collect();
    let rbf = Rbf::new(0.8, 1.3).unwrap();
    let ridge = Ridge::RelativeToMeanDiagonal(1e-4);
    let mut reg = KernelRegressor::<f64, _, N, 3>::from_kernel(rbf, ridge).unwrap();
    reg.fit(&xs, &ys).unwrap();
    let x = Points::from_arrays(&xs).unwrap();
    let mut k = vec![0.0; n * n];
    kernel::symmetric(&rbf, &x, RowMajor(&mut k, n)).unwrap();
    let mut alpha = vec![0.0; n];
    let pre =
        Precomputed::fit(RowMajor(&mut k, n), n, ys.as_flattened(), ridge, &mut alpha).unwrap();
    assert_eq!(pre.lambda().to_bits(), reg.lambda().to_bits());
    assert_eq!(bits(pre.alpha()), bits(reg.alpha()));
}
