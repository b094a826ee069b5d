#!/usr/bin/env bash
# A new user's first build: a throw-away cargo project that depends on this
# checkout of `ntk` together with the newest nalgebra, rand and ndarray
# (`cargo add`, no pins), and builds and runs the README's snippets (kernel,
# Gram matrix, regression, finite width with rand's StdRng) plus the
# nalgebra/ndarray interop. Fails on any version conflict or wrong result.
#   bash scripts/fresh_project.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# A target directory of its own, kept between runs (the dependencies differ from the crate's).
export CARGO_TARGET_DIR=${FRESH_TARGET_DIR:-$repo/target/fresh-project}
cd "$dir"
cargo new --quiet --bin fresh
cd fresh
cargo add --quiet ntk --path "$repo" --features std,ndarray,rayon
cargo add --quiet nalgebra rand ndarray
cat > src/main.rs <<'RS'
use nalgebra::DMatrix;
use ntk::gram::{Gram, Output, Points};
use ntk::regression::{Regime, Regressor, Ridge};
use ntk::{finite::FiniteNetwork, Activation, Network};
use rand::{rngs::StdRng, SeedableRng};

fn main() -> Result<(), ntk::Error> {
    // README "Using it".
    let net = Network::<f64>::new(3, Activation::Relu)?.with_std(1.5, Some(0.05))?;
    let k = net.kernels(&[1.0, 2.0, 0.5], &[0.3, -1.0, 2.0])?;
    assert!(k.ntk > k.nngp && k.nngp > 0.0);
    println!("kernel: NNGP {} NTK {}", k.nngp, k.ntk);

    // Gram matrix of the columns of the user's nalgebra matrix, into a DMatrix.
    let xs = DMatrix::<f64>::from_fn(3, 5, |i, j| ((i + 2 * j) as f64).sin());
    let x = Points::from_columns(&xs)?;
    let mut theta = DMatrix::<f64>::zeros(5, 5);
    Gram::new(net).symmetric(&x, Output::ntk(&mut theta))?;
    let exact = net.kernels(xs.column(1).as_slice(), xs.column(3).as_slice())?;
    assert!((theta[(1, 3)] - exact.ntk).abs() <= 1e-12 * exact.ntk);
    println!("gram: Θ[1, 3] = {}", theta[(1, 3)]);

    // The same from ndarray rows, and on all cores (feature rayon).
    let xa = ndarray::Array2::from_shape_fn((5, 3), |(j, i)| ((i + 2 * j) as f64).sin());
    let ka = ntk::interop::ndarray::gram(&Gram::new(net), xa.view(), xa.view())?;
    assert_eq!(ka.ntk[[1, 3]], theta[(1, 3)]);
    let mut par = ndarray::Array2::<f64>::zeros((5, 5));
    ntk::gram::par::symmetric(&Gram::new(net), &x, Output::ntk(&mut par))?;
    assert_eq!(par, ka.ntk);

    // Any kernel: an RBF through the Kernel trait, into a DMatrix.
    let rbf = ntk::kernel::Rbf::new(1.0, 1.0)?;
    let kr = ntk::interop::nalgebra::kernel_matrix(&rbf, &xs, &xs)?;
    assert_eq!(kr[(2, 2)], 1.0);

    // README "Finite-width networks", with rand's StdRng.
    let net = Network::<f64>::new(3, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    let fnet = FiniteNetwork::new(net, 3, 1024)?;
    let mut params = vec![0.0; fnet.param_len()];
    let mut work = vec![0.0; fnet.workspace_len(2)];
    fnet.init(&mut params, &mut StdRng::seed_from_u64(0))?;
    let (x, z) = ([1.0, 0.5, -0.2], [0.3, 1.0, 0.4]);
    let one_network = fnet.kernels(&params, &x, &z, &mut work)?;
    let limit = net.kernels(&x, &z)?;
    assert!((one_network.ntk / limit.ntk - 1.0).abs() < 0.25);
    println!("finite: {} vs {}", one_network.ntk, limit.ntk);
    let mut rng = rand::rng();
    fnet.init(&mut params, &mut rng)?;

    // README "Kernel regression, on the device".
    let net = Network::<f32>::new(3, Activation::Relu)?.with_std(1.5, Some(0.05))?;
    let mut reg = Regressor::<f32, 32, 2>::new(net, Regime::Ntk, Ridge::RelativeToMeanDiagonal(1e-2))?;
    for k in 0..100 {
        let t = k as f32 * 0.05;
        reg.push([t.cos(), t.sin()], [t.sin()]).map_err(|rejected| rejected.error)?;
    }
    let (mean, variance) = reg.predict_with_variance(&[1.0, 0.0])?;
    let (ridge, loo_mse) = reg.choose_ridge(&[1e-3, 1e-2, 1e-1])?;
    assert!(mean[0].is_finite() && variance >= 0.0 && loo_mse.is_finite());
    let t = 99.0f32 * 0.05; // the newest point of the window is fitted closely
    assert!((reg.predict(&[t.cos(), t.sin()])?[0] - t.sin()).abs() < 0.05);
    println!("regression: mean {} variance {} ridge {ridge:?}", mean[0], variance);
    Ok(())
}
RS
echo "versions resolved:"
cargo tree --depth 1 --prefix none | sort
cargo run --quiet --release
echo "fresh project: PASS"
