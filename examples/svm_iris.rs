//! Kernel machines with the NTK on a real dataset: Fisher's iris (150
//! flowers, 4 measurements, 3 species; shipped inside the `linfa-datasets`
//! crate, no download). On one fixed random split (100 train / 50 test,
//! features standardised with the training mean and deviation):
//!
//! - a kernel SVM (smartcore's one-vs-one `MultiClassSVC`, C = 10) with the
//!   NTK of a deep ReLU network through `ntk::interop::smartcore`, and with
//!   an RBF kernel;
//! - kernel (ridge) regression on one-hot targets, the class of the largest
//!   output, with the same two kernels (`regression::Precomputed` on their
//!   Gram matrices: the infinitely wide network trained to convergence, for
//!   the NTK).
//!
//! Nothing is tuned on the test set: the RBF length scale is 1 (the
//! features have unit variance), the network 3×[Dense(W_std = √2,
//! b_std = 0.1), ReLU], the ridge 10⁻³ of the mean diagonal.
//!
//! ```sh
//! cargo run --release --example svm_iris
//! ```

use ntk::gram::{Points, RowMajor};
use ntk::interop::smartcore::SmartcoreKernel;
use ntk::kernel::{self, Kernel, Rbf};
use ntk::rand_core::{Rng, SeedableRng};
use ntk::regression::{Precomputed, Ridge};
use ntk::{Activation, Network};
use rand_xoshiro::Xoshiro256PlusPlus;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::svm::svc::{MultiClassSVC, SVCParameters};
use std::fmt::Debug;

const CLASSES: usize = 3;
const TRAIN: usize = 100;

/// Iris as rows of 4 features and labels 0..3, shuffled with a fixed seed.
fn iris() -> (Vec<Vec<f64>>, Vec<usize>) {
    let data = linfa_datasets::iris();
    let x: Vec<Vec<f64>> = data
        .records()
        .rows()
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    let y: Vec<usize> = data.targets().iter().copied().collect();
    let mut order: Vec<usize> = (0..x.len()).collect();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(2024);
    for i in (1..order.len()).rev() {
        order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
    }
    (
        order.iter().map(|&i| x[i].clone()).collect(),
        order.iter().map(|&i| y[i]).collect(),
    )
}

/// Standardises every column with the mean and deviation of the first `TRAIN` rows.
fn standardise(x: &mut [Vec<f64>]) {
    for c in 0..x[0].len() {
        let col: Vec<f64> = x[..TRAIN].iter().map(|r| r[c]).collect();
        let mean = col.iter().sum::<f64>() / TRAIN as f64;
        let sd = (col.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / TRAIN as f64).sqrt();
        x.iter_mut().for_each(|r| r[c] = (r[c] - mean) / sd);
    }
}

fn accuracy(pred: &[usize], truth: &[usize]) -> f64 {
    let hits = pred.iter().zip(truth).filter(|(p, t)| p == t).count();
    hits as f64 / truth.len() as f64
}

/// Test accuracy of smartcore's one-vs-one SVM with kernel `k`.
fn svm<K: Kernel<f64> + Debug + Clone + 'static>(k: &K, x: &[Vec<f64>], y: &[usize]) -> f64 {
    let train = DenseMatrix::from_2d_vec(&x[..TRAIN].to_vec()).expect("train matrix");
    let test = DenseMatrix::from_2d_vec(&x[TRAIN..].to_vec()).expect("test matrix");
    let labels: Vec<i32> = y[..TRAIN].iter().map(|&c| c as i32).collect();
    let params = SVCParameters::default()
        .with_c(10.0)
        .with_kernel(SmartcoreKernel(k.clone()));
    let model = MultiClassSVC::fit(&train, &labels, &params).expect("SVM fit");
    let pred: Vec<usize> = model
        .predict(&test)
        .expect("SVM predict")
        .iter()
        .map(|&p| p as usize)
        .collect();
    accuracy(&pred, &y[TRAIN..])
}

/// Test accuracy of kernel ridge regression on one-hot targets with kernel `k`.
fn krr<K: Kernel<f64>>(k: &K, x: &[Vec<f64>], y: &[usize]) -> Result<f64, ntk::Error> {
    let flat: Vec<f64> = x.iter().flatten().copied().collect();
    let all = Points::new(&flat, x[0].len())?;
    let (train, test) = (all.slice(0..TRAIN)?, all.slice(TRAIN..x.len())?);
    let m = test.len();
    let mut gram = vec![0.0; TRAIN * TRAIN];
    kernel::symmetric(k, &train, RowMajor(&mut gram, TRAIN))?;
    let onehot: Vec<f64> = y[..TRAIN]
        .iter()
        .flat_map(|&c| (0..CLASSES).map(move |j| f64::from(u8::from(j == c))))
        .collect();
    let mut alpha = vec![0.0; TRAIN * CLASSES];
    let ridge = Ridge::RelativeToMeanDiagonal(1e-3);
    let model = Precomputed::fit(
        RowMajor(&mut gram, TRAIN),
        TRAIN,
        &onehot,
        ridge,
        &mut alpha,
    )?;
    let mut kq = vec![0.0; m * TRAIN];
    kernel::matrix(k, &test, &train, RowMajor(&mut kq, TRAIN))?;
    let mut out = vec![0.0; m * CLASSES];
    model.means_into(&kq, &mut out)?;
    let pred: Vec<usize> = out
        .chunks(CLASSES)
        .map(|o| {
            (0..CLASSES)
                .max_by(|&a, &b| o[a].total_cmp(&o[b]))
                .unwrap_or(0)
        })
        .collect();
    Ok(accuracy(&pred, &y[TRAIN..]))
}

fn main() -> Result<(), ntk::Error> {
    let (mut x, y) = iris();
    standardise(&mut x);
    let net = Network::<f64>::new(3, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    let (ntk, rbf) = (net.ntk(), Rbf::new(1.0, 1.0)?);
    println!(
        "iris: {} train / {} test, 4 features, 3 classes",
        TRAIN,
        x.len() - TRAIN
    );
    println!("{:<28} {:>8} {:>8}", "test accuracy", "NTK", "RBF");
    println!(
        "{:<28} {:>8.3} {:>8.3}",
        "SVM (smartcore, C = 10)",
        svm(&ntk, &x, &y),
        svm(&rbf, &x, &y)
    );
    println!(
        "{:<28} {:>8.3} {:>8.3}",
        "kernel regression (one-hot)",
        krr(&ntk, &x, &y)?,
        krr(&rbf, &x, &y)?
    );
    Ok(())
}
