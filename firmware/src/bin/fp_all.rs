//! No-panic proof for the whole kernel API: every activation, depth,
//! parameterization and layer setting comes from opaque input.
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::{Activation, Dense, Network};

#[path = "../no_panic.rs"]
mod no_panic;

#[ntk_firmware::board::entry]
fn main() -> ! {
    let p = black_box([0.1f32, 1.2, -0.3]);
    let act = match black_box(0u8) {
        0 => Activation::Relu,
        1 => Activation::AbRelu { a: p[0], b: p[1] },
        2 => Activation::Sign,
        3 => Activation::Step,
        4 => Activation::Requ,
        5 => Activation::Erf {
            a: p[0],
            b: p[1],
            c: p[2],
        },
        6 => Activation::Gelu,
        7 => Activation::Sin {
            a: p[0],
            b: p[1],
            c: p[2],
        },
        _ => Activation::Identity,
    };
    let widths = black_box([64usize, 32, 16]);
    let x = black_box([1.0f32, 0.5, -0.25, 2.0]);
    let z = black_box([-0.75f32, 1.5, 0.125, 0.5]);
    let (nx, nz, nw) = (black_box(4), black_box(4), black_box(3));
    let net = Network::<f32>::new(black_box(3), act)
        .and_then(|n| n.with_std(p[1], Some(p[0])))
        .and_then(|n| n.with_layer(black_box(1), Dense::new(p[1], None)))
        .and_then(|n| n.with_readout(Dense::new(p[0], Some(p[0]))))
        .and_then(|n| n.with_standard_parameterization(&widths[..nw.min(3)]))
        .map(|n| {
            if black_box(false) {
                n.with_ntk_parameterization()
            } else {
                n
            }
        });
    let ok = net.and_then(|n| {
        let (px, pz) = (n.point(&x[..nx.min(4)])?, n.point(&z[..nz.min(4)])?);
        let k = n.kernels(&x[..nx.min(4)], &z[..nz.min(4)])?;
        let (a, b) = (n.kernels_of(&px, &pz, black_box(0.5)), n.diagonal(&px));
        let q = n.point_from_sq_norm(black_box(2.0), nx);
        let v = px.variances().iter().sum::<f32>();
        Ok(k.ntk
            + v
            + a.nngp
            + b.ntk
            + q.input_variance()
            + n.activation().apply(p[2])
            + n.activation().derivative(p[2]))
    });
    ntk_firmware::board::exit(matches!(ok, Ok(v) if v.is_finite()))
}
