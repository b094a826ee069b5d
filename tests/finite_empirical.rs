//! The empirical NTK Gram of n points from n backward passes
//! (`FiniteNetwork::empirical_ntk_gram`) against the pairwise empirical NTK
//! (`FiniteNetwork::kernels`, one forward and backward pass of each pair).

use ntk::finite::FiniteNetwork;
use ntk::{Activation, Error, Network, Real};
use rand_xoshiro::rand_core::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Adversarial inputs in d = 3: duplicates, zero, tiny, huge, antiparallel.
fn inputs<T: Real>(huge: f64) -> Vec<T> {
    [
        [1.0, 0.5, -0.2],
        [1.0, 0.5, -0.2],
        [-1.0, -0.5, 0.2],
        [0.0, 0.0, 0.0],
        [1e-30, -2e-30, 3e-30],
        [huge, -huge, 0.5 * huge],
        [0.3, 1.0, 0.4],
    ]
    .concat()
    .into_iter()
    .map(T::from_f64)
    .collect()
}

fn nets<T: Real>() -> Vec<Network<T>> {
    let (w, b) = (T::from_f64(1.4), T::from_f64(0.2));
    let erf = Activation::Erf {
        a: T::ONE,
        b: T::ONE,
        c: T::ZERO,
    };
    vec![
        Network::new(2, Activation::Relu)
            .unwrap()
            .with_std(w, Some(b))
            .unwrap(),
        Network::new(1, erf).unwrap().with_std(w, None).unwrap(),
        Network::new(2, Activation::Relu)
            .unwrap()
            .with_std(w, Some(b))
            .unwrap()
            .with_standard_parameterization(&[48])
            .unwrap(),
    ]
}

/// max |gram − pairwise| / max |pairwise| over the matrix.
fn check<T: Real>(tol: f64, huge: f64) {
    for net in nets::<T>() {
        let fnet = FiniteNetwork::new(net, 3, 48).unwrap();
        let mut params = vec![T::ZERO; fnet.param_len()];
        fnet.init(&mut params, &mut Xoshiro256PlusPlus::seed_from_u64(9))
            .unwrap();
        let xs = inputs::<T>(huge);
        let n = xs.len() / 3;
        let mut grads = vec![T::from_f64(f64::NAN); n * fnet.param_len()];
        let (mut gram, mut work) = (vec![T::ZERO; n * n], vec![T::ZERO; fnet.workspace_len(2)]);
        fnet.empirical_ntk_gram(&params, &xs, &mut grads, &mut gram, &mut work)
            .unwrap();
        let mut pair = vec![T::ZERO; n * n];
        for i in 0..n {
            for j in 0..n {
                let (x, z) = (&xs[3 * i..3 * i + 3], &xs[3 * j..3 * j + 3]);
                pair[i * n + j] = fnet.kernels(&params, x, z, &mut work).unwrap().ntk;
            }
        }
        // Row by row: the huge point's row dwarfs the others.
        for i in 0..n {
            let scale = (0..n)
                .map(|j| pair[i * n + j].abs().to_f64())
                .fold(0.0, f64::max);
            for j in 0..n {
                let (g, p) = (gram[i * n + j].to_f64(), pair[i * n + j].to_f64());
                assert!(
                    (g - p).abs() <= tol * scale,
                    "{net:?} ({i}, {j}): {g} vs {p}"
                );
                assert_eq!(gram[i * n + j], gram[j * n + i]);
            }
        }
        // The duplicate points give equal rows.
        assert_eq!(gram[..n], gram[n..2 * n]);
    }
}

#[test]
fn gram_from_gradients_equals_pairwise_empirical_ntk_f64() {
    check::<f64>(1e-13, 1e60);
}

#[test]
fn gram_from_gradients_equals_pairwise_empirical_ntk_f32() {
    check::<f32>(2e-5, 1e10);
}

#[test]
fn gram_errors_are_typed() {
    let fnet = FiniteNetwork::new(nets::<f64>()[0], 3, 8).unwrap();
    let params = vec![0.1; fnet.param_len()];
    let xs = inputs::<f64>(1.0);
    let mut work = vec![0.0; fnet.workspace_len(1)];
    let (mut grads, mut gram) = (vec![0.0; 7 * fnet.param_len()], vec![0.0; 49]);
    let short = fnet.empirical_ntk_gram(&params, &xs, &mut grads[1..], &mut gram, &mut work);
    assert!(
        matches!(short, Err(Error::BufferTooSmall { .. })),
        "{short:?}"
    );
    let short = fnet.empirical_ntk_gram(&params, &xs, &mut grads, &mut gram[..48], &mut work);
    assert!(
        matches!(short, Err(Error::BufferTooSmall { .. })),
        "{short:?}"
    );
    for bad in [&xs[..4], &[][..]] {
        let r = fnet.empirical_ntk_gram(&params, bad, &mut grads, &mut gram, &mut work);
        assert!(matches!(r, Err(Error::DimensionMismatch { .. })), "{r:?}");
    }
    let mut nan = xs.clone();
    nan[5] = f64::NAN;
    let r = fnet.empirical_ntk_gram(&params, &nan, &mut grads, &mut gram, &mut work);
    assert!(matches!(r, Err(Error::NonFinite { .. })), "{r:?}");
    let r = fnet.empirical_ntk_gram(&params, &xs, &mut grads, &mut gram, &mut work[..1]);
    assert!(matches!(r, Err(Error::BufferTooSmall { .. })), "{r:?}");
}
