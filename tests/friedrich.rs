//! The friedrich adapter: a friedrich Gaussian process with this crate's
//! kernels against friedrich's own squared-exponential kernel and against a
//! posterior mean solved here with nalgebra (independent of both crates'
//! regressors).

use friedrich::gaussian_process::GaussianProcess;
use friedrich::kernel::SquaredExp;
use friedrich::prior::ZeroPrior;
use nalgebra::{DMatrix, DVector};
use ntk::interop::friedrich::FriedrichKernel;
use ntk::kernel::{Kernel, Rbf};
use ntk::{Activation, Network};

fn data() -> (Vec<Vec<f64>>, Vec<f64>, Vec<Vec<f64>>) {
    let x: Vec<Vec<f64>> = (0..12)
        .map(|i| {
            let t = i as f64 * 0.37;
            vec![t.sin(), (1.3 * t).cos(), 0.2 * t]
        })
        .collect();
    let y = x.iter().map(|p| p[0] - 0.5 * p[1] * p[2]).collect();
    let queries = (0..5)
        .map(|i| vec![0.1 * i as f64, -0.3, 0.05 * i as f64])
        .collect();
    (x, y, queries)
}

#[test]
fn rbf_through_the_adapter_equals_friedrichs_squared_exponential() {
    let (x, y, q) = data();
    let (ls, ampl, noise) = (0.8, 1.7, 0.05);
    let ours = GaussianProcess::new(
        ZeroPrior {},
        FriedrichKernel(Rbf::new(ls, ampl).unwrap()),
        noise,
        None,
        x.clone(),
        y.clone(),
    );
    let theirs = GaussianProcess::new(ZeroPrior {}, SquaredExp::new(ls, ampl), noise, None, x, y);
    let ((m1, v1), (m2, v2)) = (
        ours.predict_mean_variance(&q),
        theirs.predict_mean_variance(&q),
    );
    for i in 0..q.len() {
        assert!(
            (m1[i] - m2[i]).abs() <= 1e-12 * (1.0 + m2[i].abs()),
            "{m1:?} {m2:?}"
        );
        assert!(
            (v1[i] - v2[i]).abs() <= 1e-12 * (1.0 + v2[i].abs()),
            "{v1:?} {v2:?}"
        );
    }
}

#[test]
fn network_ntk_gp_mean_is_the_kernel_regression_solved_here() {
    let (x, y, q) = data();
    let noise = 0.1;
    let k = Network::<f64>::new(
        3,
        Activation::Erf {
            a: 1.0,
            b: 1.0,
            c: 0.0,
        },
    )
    .unwrap()
    .with_std(1.2, Some(0.1))
    .unwrap()
    .ntk();
    let gp = GaussianProcess::new(
        ZeroPrior {},
        FriedrichKernel(k),
        noise,
        None,
        x.clone(),
        y.clone(),
    );
    let mean = gp.predict(&q);
    let n = x.len();
    let gram = DMatrix::from_fn(n, n, |i, j| {
        k.eval(&x[i], &x[j]).unwrap() + if i == j { noise * noise } else { 0.0 }
    });
    let alpha = gram.cholesky().unwrap().solve(&DVector::from_vec(y));
    for (qi, m) in q.iter().zip(&mean) {
        let expect: f64 = (0..n).map(|j| k.eval(qi, &x[j]).unwrap() * alpha[j]).sum();
        assert!(
            (m - expect).abs() <= 1e-10 * (1.0 + expect.abs()),
            "{m} vs {expect}"
        );
    }
}

#[test]
fn the_adapter_has_no_parameters_to_fit() {
    use friedrich::kernel::Kernel as _;
    let mut k = FriedrichKernel(Rbf::<f64>::default());
    assert_eq!(k.nb_parameters(), 0);
    assert!(k.get_parameters().is_empty());
    k.set_parameters(&[]);
    assert_eq!(k, FriedrichKernel(Rbf::new(1.0, 1.0).unwrap()));
}
