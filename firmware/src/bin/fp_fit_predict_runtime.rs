//! Footprint of `fp_fit_predict`'s fit + predict with everything the C
//! interface (ntk-c) takes at run time: the network from an opaque
//! description (activation code, depth, σ's, parameterization), the regime,
//! ridge and shape opaque, the model in a `Workspace` over a buffer, the
//! prediction by `Model::mean_into` with its work slice. The C path's flash
//! minus this binary's is the interface's own cost (pointer and region
//! checks, status codes); this minus `fp_fit_predict` is what compile-time
//! constants save.
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::regression::{Model, Regime, Ridge, Time, Workspace};
use ntk::{Activation, Network, Result};
use ntk_firmware::cases::{self, REG_DIM};

#[path = "../no_panic.rs"]
mod no_panic;

const N: usize = 8;
/// The C macro `NTK_REGRESSOR_BUFFER_LEN(N, REG_DIM, 1)`: the model and N·5 of work.
const LEN: usize = N * (N + REG_DIM + 2 + 5);

/// The activation of a code, as ntk-c's `activation` maps its codes.
fn activation(code: i32, [a, b, c]: [f32; 3]) -> Option<Activation<f32>> {
    Some(match code {
        0 => Activation::Relu,
        1 => Activation::AbRelu { a, b },
        2 => Activation::leaky_relu(a),
        3 => Activation::abs(),
        4 => Activation::Sign,
        5 => Activation::Step,
        6 => Activation::Requ,
        7 => Activation::Erf { a, b, c },
        8 => Activation::Gelu,
        9 => Activation::Sin { a, b, c },
        10 => Activation::cos(a, b, c),
        11 => Activation::Identity,
        _ => return None,
    })
}

/// Depth-3 ReLU, σ_w = 1.5, σ_b = 0.05, NTK parameterization, from opaque numbers.
fn network() -> Result<Network<f32>> {
    let (code, depth) = black_box((0, 3usize));
    let (w, b, standard) = black_box((1.5f32, 0.05f32, false));
    let act = activation(code, black_box([0.0; 3])).ok_or(ntk::Error::InvalidParameter {
        what: "activation code",
    })?;
    let net = Network::new(depth, act)?.with_std(w, Some(b))?;
    match standard {
        true => net.with_standard_parameterization(&[black_box(512)]),
        false => Ok(net),
    }
}

fn fit_predict(buf: &mut [f32]) -> Result<f32> {
    let (xs, ys) = black_box(cases::training::<f32, N>());
    let q = black_box([0.25f32, -0.5, 0.75]);
    let (n, dim, regime) = black_box((N, REG_DIM, Regime::Ntk));
    let split = Workspace::<f32>::required_len(n, dim, 1);
    let (storage, work) = buf
        .split_at_mut_checked(split)
        .ok_or(ntk::Error::BufferTooSmall {
            what: "buffer",
            needed: split,
            found: LEN,
        })?;
    let storage = Workspace::new(storage, n, dim, 1)?;
    let ridge = Ridge::Absolute(black_box(0.01f32));
    let mut model = Model::with_storage(network()?, regime, ridge, storage)?;
    model.fit_rows(xs.as_flattened(), &ys)?;
    let mut mean = [0.0f32];
    model.mean_into(&q, &Time::Infinite, &mut mean, work)?;
    Ok(mean[0])
}

#[ntk_firmware::board::entry]
fn main() -> ! {
    let mut buf = [0.0f32; LEN];
    let p = fit_predict(&mut buf);
    ntk_firmware::board::exit(matches!(p, Ok(v) if v.is_finite()))
}
