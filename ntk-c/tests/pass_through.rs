//! The C functions return exactly what the Rust API computes (bitwise): the
//! boundary adds no arithmetic. Expected values here come from `ntk` itself,
//! so this checks only the pass-through; the values are checked against
//! neural-tangents and mpmath by tests/c/test_ntk.c.

use ntk::eigenlearning::Spectrum;
use ntk::gram::{Gram, Output, Points, RowMajor, Tile};
use ntk::regression::{Model, Regime, Ridge, Time, Workspace};
use ntk::{Activation, Network};
use ntk_c::*;
use std::mem::MaybeUninit;

const DIM: usize = 3;
const XS: [f64; 12] = [
    0.3, -1.2, 0.8, 1.1, 0.4, -0.5, -0.7, 0.9, 1.3, 0.2, 0.2, -0.1,
];
const YS: [f64; 4] = [0.5, -1.0, 0.25, 2.0];
const Q: [f64; DIM] = [0.1, -0.3, 0.6];

fn desc() -> ntk_network_desc<f64> {
    ntk_network_desc {
        depth: 3,
        activation: NTK_ACTIVATION_ERF,
        params: [1.3, 0.7, 0.2],
        w_std: 1.4,
        b_std: 0.1,
        has_bias: 1,
        parameterization: NTK_PARAMETERIZATION_NTK,
        width: 0,
    }
}

fn rust_net() -> Network<f64> {
    let act = Activation::Erf {
        a: 1.3,
        b: 0.7,
        c: 0.2,
    };
    Network::new(3, act)
        .and_then(|n| n.with_std(1.4, Some(0.1)))
        .expect("network")
}

fn c_net() -> Box<ntk_network_f64> {
    // SAFETY: zeroed bytes are a valid (uninitialised) opaque instance.
    let mut net = Box::new(unsafe { MaybeUninit::<ntk_network_f64>::zeroed().assume_init() });
    // SAFETY: valid pointers to an instance and a description.
    assert_eq!(unsafe { ntk_network_init_f64(&mut *net, &desc()) }, NTK_OK);
    net
}

#[test]
fn kernels_and_tiles_pass_through() {
    let (net, rust) = (c_net(), rust_net());
    let mut k = ntk_kernels {
        nngp: 0.0,
        ntk: 0.0,
    };
    // SAFETY: valid pointers and lengths.
    let s = unsafe { ntk_network_kernels_f64(&*net, XS.as_ptr(), Q.as_ptr(), DIM, &mut k) };
    let want = rust.kernels(&XS[..DIM], &Q).expect("kernels");
    assert_eq!((s, k.nngp, k.ntk), (NTK_OK, want.nngp, want.ntk));

    let tile = ntk_tile {
        row_begin: 1,
        row_end: 4,
        col_begin: 0,
        col_end: 2,
    };
    let (mut nngp, mut ntk) = ([0.0; 6], [0.0; 6]);
    // SAFETY: valid pointers and lengths.
    let s = unsafe {
        ntk_gram_tile_f64(
            &*net,
            XS.as_ptr(),
            4,
            XS.as_ptr(),
            4,
            DIM,
            &tile,
            nngp.as_mut_ptr(),
            ntk.as_mut_ptr(),
            2,
            6,
        )
    };
    let (mut want_s, mut want_t) = ([0.0; 6], [0.0; 6]);
    let x = Points::new(&XS, DIM).expect("points");
    let out = Output::both(RowMajor(&mut want_s, 2), RowMajor(&mut want_t, 2));
    Gram::new(rust)
        .tile(&x, &x, Tile::new(1..4, 0..2), out)
        .expect("tile");
    assert_eq!((s, nngp, ntk), (NTK_OK, want_s, want_t));
}

#[test]
fn regression_passes_through() {
    let net = c_net();
    let cap = 6;
    let len = ntk_regressor_buffer_len(cap, DIM, 1);
    let mut buf = vec![0.0f64; len];
    // SAFETY: zeroed bytes are a valid (uninitialised) opaque instance.
    let mut r = Box::new(unsafe { MaybeUninit::<ntk_regressor_f64>::zeroed().assume_init() });
    let (mut mean, mut var) = (0.0, 0.0);
    // SAFETY: valid pointers and lengths; buf outlives r's use.
    let s = unsafe {
        [
            ntk_regressor_init_f64(
                &mut *r,
                &*net,
                NTK_REGIME_NTK,
                NTK_RIDGE_ABSOLUTE,
                1e-3,
                cap,
                DIM,
                1,
                buf.as_mut_ptr(),
                len,
            ),
            ntk_regressor_fit_f64(&mut *r, XS.as_ptr(), YS.as_ptr(), 3),
            ntk_regressor_insert_f64(&mut *r, XS[9..].as_ptr(), &YS[3]),
            ntk_regressor_predict_var_f64(&mut *r, Q.as_ptr(), &mut mean, &mut var),
        ]
    };
    assert_eq!(s, [NTK_OK; 4]);

    let mut store = vec![0.0; Workspace::<f64>::required_len(cap, DIM, 1)];
    let ws = Workspace::new(&mut store, cap, DIM, 1).expect("workspace");
    let mut m =
        Model::with_storage(rust_net(), Regime::Ntk, Ridge::Absolute(1e-3), ws).expect("model");
    m.fit_rows(&XS[..9], &YS[..3]).expect("fit");
    m.insert_row(&XS[9..], &YS[3..]).expect("insert");
    let (mut want, mut work) = ([0.0], vec![0.0; 5 * cap]);
    m.mean_into(&Q, &Time::Infinite, &mut want, &mut work)
        .expect("mean");
    let want_var = m
        .covariance_with(&Q, &Q, &Time::Infinite, &mut work)
        .expect("covariance");
    assert_eq!((mean, var), (want[0], want_var.max(0.0)));
}

#[test]
fn eigenlearning_passes_through() {
    let lam = [1.0, 0.3, 0.05, 0.01];
    let mult = [1.0, 4.0, 6.0, 4.0];
    let (mut kappa, mut l) = (0.0, [0.0; 4]);
    // SAFETY: valid pointers and lengths.
    let s = unsafe {
        [
            ntk_eigenlearning_kappa_f64(lam.as_ptr(), mult.as_ptr(), 4, 5.0, 0.01, &mut kappa),
            ntk_eigenlearning_learnabilities_f64(
                lam.as_ptr(),
                mult.as_ptr(),
                4,
                5.0,
                0.01,
                l.as_mut_ptr(),
            ),
        ]
    };
    let sol = Spectrum::levels(&lam, &mult)
        .and_then(|s| s.solve(5.0, 0.01))
        .expect("solve");
    let mut want = [0.0; 4];
    sol.learnabilities(&mut want).expect("learnabilities");
    assert_eq!((s, kappa, l), ([NTK_OK; 2], sol.kappa(), want));
}
