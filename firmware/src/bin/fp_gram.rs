//! No-panic proof of the Gram API in f32 and f64 (f32 only on the 16 KiB-RAM boards): `Points::new`,
//! `Gram::entry`, `tile`, `tile_and_transpose`, `symmetric_tile`, `matrix`,
//! `symmetric` and `mirror_upper`, with opaque shapes, tiles and strides.
#![no_std]
#![no_main]

use core::hint::black_box;
use ntk::gram::{mirror_upper, ColMajor, Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk_firmware::opaque::{finish, network};

#[path = "../no_panic.rs"]
mod no_panic;

const P: usize = 6;
const D: usize = 3;

#[inline(never)] // one precision's frame at a time (16 KiB RAM boards)
fn exercise<T: LaneReal>() -> ntk::Result<T> {
    let net = network::<T>(3)?;
    let g = Gram::new(net);
    let data: [T; P * D] = black_box(core::array::from_fn(|i| T::from_f64(i as f64 * 0.37 - 2.0)));
    let (len, dim) = (black_box(P * D).min(P * D), black_box(D));
    let x = Points::new(&data[..len], dim)?;
    let (r, c) = (
        black_box(1usize)..black_box(4usize),
        black_box(2usize)..black_box(6usize),
    );
    let (mut a, mut b) = ([T::ZERO; P * P], [T::ZERO; P * P]);
    let stride = black_box(P);
    g.tile(
        &x,
        &x,
        Tile::new(r.clone(), c.clone()),
        Output::both(RowMajor(&mut a, stride), ColMajor(&mut b, stride)),
    )?;
    let mut sum = a[black_box(7) % (P * P)] + b[black_box(8) % (P * P)];
    let (mut t, mut tt) = ([T::ZERO; P * P], [T::ZERO; P * P]);
    g.tile_and_transpose(
        &x,
        &x,
        Tile::new(r, c),
        Output::ntk(RowMajor(&mut t, stride)),
        Output::ntk(RowMajor(&mut tt, stride)),
    )?;
    g.symmetric_tile(
        &x,
        Tile::new(0..black_box(3), 0..black_box(3)),
        Output::nngp(RowMajor(&mut a, stride)),
    )?;
    g.matrix(&x, &x, Output::ntk(ColMajor(&mut b, stride)))?;
    g.symmetric(
        &x,
        Output::both(RowMajor(&mut a, stride), RowMajor(&mut t, stride)),
    )?;
    mirror_upper(&mut a, black_box(P), stride)?;
    let short = ntk::Error::DimensionMismatch {
        what: "two points",
        expected: 2 * dim,
        found: len,
    };
    let (p, rest) = data.split_at_checked(dim).ok_or(short)?;
    let e = g.entry(p, rest.get(..dim).ok_or(short)?)?;
    sum += a[black_box(9) % (P * P)] + t[1] + tt[2] + e.ntk;
    Ok(sum)
}

#[ntk_firmware::board::entry]
fn main() -> ! {
    // The f64 lane kernels' frames (about 26 KB of stack) overflow the 16 KiB-RAM boards.
    if cfg!(any(board = "microbit", board = "sifive_e")) {
        finish(exercise::<f32>(), Ok(0.0f64))
    } else {
        finish(exercise::<f32>(), exercise::<f64>())
    }
}
