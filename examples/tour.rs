//! A tour of `ntk`: the NNGP and NTK of a deep ReLU network.
//!
//! Run with `cargo run --release --example tour`.

use ntk::{Activation, Network};

fn main() -> Result<(), ntk::Error> {
    // stax.serial(*[Dense(w, W_std=√2, b_std=0.1), Relu()] * 3, Dense(1, W_std=√2, b_std=0.1))
    let net = Network::<f64>::new(3, Activation::Relu)?.with_std(2f64.sqrt(), Some(0.1))?;
    let xs: [[f64; 3]; 3] = [[1.0, 0.0, 0.0], [0.6, 0.8, 0.0], [-1.0, 0.0, 0.0]];
    println!("depth-3 ReLU network, W_std = √2, b_std = 0.1 (NTK parameterization)\n");
    println!("{:>18} {:>12} {:>12}", "pair", "NNGP Σ", "NTK Θ");
    for (i, x) in xs.iter().enumerate() {
        for (j, z) in xs.iter().enumerate().skip(i) {
            let k = net.kernels(x, z)?;
            println!("{:>18} {:>12.6} {:>12.6}", format!("(x{i}, x{j})"), k.nngp, k.ntk);
        }
    }
    Ok(())
}
