//! No-panic proof of the spectra in f32 and f64: the network's dot-product
//! kernel on the hypercube and the sphere, `hypercube`, `sphere` (with
//! `gauss_legendre`), `circle`, the multiplicities, `zonal_polynomial`,
//! `fwht` and `walsh_level_weights`, on opaque input.
//! Links only while no panicking path is reachable (`no_panic.rs`).
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::spectrum::{
    circle, fwht, gauss_legendre, hypercube, hypercube_multiplicity, sphere, sphere_multiplicity,
    walsh_level_weights, zonal_polynomial, DotProductKernel,
};
use ntk::Real;
use ntk_firmware::opaque::{finish, network, value};

#[path = "../no_panic.rs"]
mod no_panic;

#[inline(never)] // one precision's frame at a time (16 KiB RAM boards)
fn exercise<T: Real>() -> ntk::Result<T> {
    let f = value::<T>;
    let net = network::<T>(2)?;
    let d = black_box(8usize);
    let cube = DotProductKernel::hypercube(&net, d)?;
    let ball = DotProductKernel::unit_sphere(&net, d)?;
    let mut lam = [T::ZERO; 9];
    let k = black_box(9usize).min(9);
    hypercube(d, |t| cube.ntk(t), &mut lam[..k])?;
    let mut sum = lam[black_box(2) % 9] + hypercube_multiplicity::<T>(d, black_box(3));
    let (mut nodes, mut weights) = ([T::ZERO; 24], [T::ZERO; 24]);
    gauss_legendre(&mut nodes, &mut weights)?;
    sum += sphere(d, |t| ball.nngp(t), &nodes, &weights, &mut lam[..k])?;
    sum += sphere_multiplicity::<T>(d, black_box(4)) + zonal_polynomial(d, black_box(3), f(0.3));
    circle(|t| ball.kernels(t).ntk, &mut lam[..k])?;
    let mut values: [T; 16] = black_box(core::array::from_fn(|i| T::from_usize(i)));
    let m = black_box(16usize).min(16);
    fwht(&mut values[..m])?;
    let mut levels = [T::ZERO; 5];
    walsh_level_weights(&mut values[..m], &mut levels)?;
    Ok(sum + lam[0] + levels[1])
}

#[ntk_firmware::board::entry]
fn main() -> ! {
    finish(exercise::<f32>(), exercise::<f64>())
}
