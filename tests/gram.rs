//! Gram tiles: accuracy against the exact f64 recursion, and the structural
//! identities (tiles = one-shot, symmetric = general, lane = scalar entry).
//!
//! The references are independent of the fast path: `Network::<f64>::kernels`
//! (libm-based recursion, itself checked against neural-tangents by
//! `tests/neural_tangents.rs`) on the same inputs widened to f64.
//!
//! Full-size accuracy on every bench input (n = 4096, ignored in debug, ~1 min):
//!     cargo test --release --test gram -- --ignored

#[path = "common/inputs.rs"]
mod inputs;
#[path = "common/parallel.rs"]
mod parallel;

use inputs::{gaussian, SEED};
use ntk::gram::{mirror_upper, Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk::{Activation, Dense, Error, Network};
use proptest::prelude::*;

const D: usize = 64;

/// Max relative error of the fast symmetric Gram of the first `n` bench points
/// against the exact f64 recursion, for NNGP and NTK (all entries checked).
fn max_rel_err<T: LaneReal>(net64: &Network<f64>, net: Network<T>, n: usize) -> (f64, f64) {
    let data = gaussian(n * D, SEED);
    let x: Vec<T> = data.iter().map(|&v| T::from_f64(v)).collect();
    let wide: Vec<f64> = x.iter().map(|v| v.to_f64()).collect();
    let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
    Gram::new(net)
        .symmetric(
            &Points::new(&x, D).unwrap(),
            Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)),
        )
        .unwrap();
    let (mut es, mut et) = (0f64, 0f64);
    for i in 0..n {
        for j in 0..n {
            let k = net64
                .kernels(&wide[i * D..(i + 1) * D], &wide[j * D..(j + 1) * D])
                .unwrap();
            es = es.max((s[i * n + j].to_f64() - k.nngp).abs() / k.nngp.abs());
            et = et.max((t[i * n + j].to_f64() - k.ntk).abs() / k.ntk.abs());
        }
    }
    (es, et)
}

fn relu3<T: LaneReal>() -> Network<T> {
    Network::new(3, Activation::Relu).unwrap()
}

#[test]
fn accuracy_on_bench_inputs_prefix() {
    // The first 256 points of every bench input (the generator is sequential).
    let (s, t) = max_rel_err(&relu3(), relu3::<f32>(), 256);
    assert!(s <= 2e-6 && t <= 2e-6, "f32: nngp {s:e}, ntk {t:e}");
    let (s, t) = max_rel_err(&relu3(), relu3::<f64>(), 256);
    assert!(s <= 1e-13 && t <= 1e-13, "f64: nngp {s:e}, ntk {t:e}");
}

#[test]
#[ignore = "n = 4096: run with --release"]
fn accuracy_on_bench_inputs_full() {
    let (s, t) = max_rel_err(&relu3(), relu3::<f32>(), 4096);
    println!("f32 n=4096: max rel err nngp {s:e}, ntk {t:e}");
    assert!(s <= 2e-6 && t <= 2e-6);
    let (s, t) = max_rel_err(&relu3(), relu3::<f64>(), 4096);
    println!("f64 n=4096: max rel err nngp {s:e}, ntk {t:e}");
    assert!(s <= 1e-13 && t <= 1e-13);
}

#[test]
fn accuracy_other_relu_family_and_parameterizations() {
    let nets = [
        Network::new(2, Activation::leaky_relu(-0.3))
            .unwrap()
            .with_std(1.5, Some(0.05))
            .unwrap(),
        Network::new(4, Activation::abs())
            .unwrap()
            .with_std(1.2, Some(0.3))
            .unwrap()
            .with_standard_parameterization(&[100])
            .unwrap(),
        Network::new(1, Activation::Relu)
            .unwrap()
            .with_layer(0, Dense::new(2.0, None))
            .unwrap(),
    ];
    for net in nets {
        let (s, t) = max_rel_err(&net, net, 48);
        assert!(s <= 1e-13 && t <= 1e-13, "{net:?}: {s:e} {t:e}");
    }
}

/// Pseudo-random points with duplicates and a zero point, to hit the special pairs.
fn points(n: usize, d: usize, seed: u64) -> Vec<f32> {
    let mut v: Vec<f32> = gaussian(n * d, seed).iter().map(|&x| x as f32).collect();
    if n >= 3 {
        let (a, b) = v.split_at_mut(d);
        b[..d].copy_from_slice(a); // point 1 = point 0
        v[2 * d..3 * d].fill(0.0); // point 2 = 0
    }
    v
}

fn nets() -> [Network<f32>; 3] {
    [
        relu3(),
        Network::new(2, Activation::leaky_relu(0.1))
            .unwrap()
            .with_std(1.4, Some(0.2))
            .unwrap(),
        Network::new(2, Activation::erf()).unwrap(), // scalar fallback inside tiles
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Tiles written into their places give the one-shot matrix bit for bit,
    /// and the symmetric path equals the general one.
    #[test]
    fn tiles_assemble_and_symmetric_equals_general(
        n in 1usize..40, d in 1usize..80, cut_r in 0usize..40, cut_c in 0usize..40,
        net_i in 0usize..3, seed in 0u64..1000,
    ) {
        let net = nets()[net_i];
        let g = Gram::new(net);
        let xs = points(n, d, seed);
        let x = Points::new(&xs, d).unwrap();
        let (mut s, mut t) = (vec![0f32; n * n], vec![0f32; n * n]);
        g.matrix(&x, &x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n))).unwrap();
        // Four tiles split at (cut_r, cut_c), written through row bands of stride n.
        let (cr, cc) = (cut_r.min(n), cut_c.min(n));
        let (mut s2, mut t2) = (vec![f32::NAN; n * n], vec![f32::NAN; n * n]);
        for rows in [0..cr, cr..n] {
            for cols in [0..cc, cc..n] {
                if rows.is_empty() || cols.is_empty() { continue; }
                let at = rows.start * n + cols.start;
                let tile = Tile::new(rows.clone(), cols);
                g.tile(&x, &x, tile, Output::both(RowMajor(&mut s2[at..], n), RowMajor(&mut t2[at..], n))).unwrap();
            }
        }
        prop_assert_eq!(bits(&s), bits(&s2));
        prop_assert_eq!(bits(&t), bits(&t2));
        let (mut s3, mut t3) = (vec![f32::NAN; n * n], vec![f32::NAN; n * n]);
        g.symmetric(&x, Output::both(RowMajor(&mut s3, n), RowMajor(&mut t3, n))).unwrap();
        prop_assert_eq!(bits(&s), bits(&s3));
        prop_assert_eq!(bits(&t), bits(&t3));
        // And every entry equals the one-pair scalar path.
        for i in 0..n {
            for j in 0..n {
                let k = g.entry(x.point(i), x.point(j)).unwrap();
                prop_assert_eq!(k.nngp.to_bits(), s[i * n + j].to_bits());
                prop_assert_eq!(k.ntk.to_bits(), t[i * n + j].to_bits());
            }
        }
    }

    /// The symmetric tiles of a row-band sharding + mirror give the full matrix.
    #[test]
    fn symmetric_bands_then_mirror(n in 1usize..50, band in 1usize..20, seed in 0u64..1000) {
        let g = Gram::new(relu3::<f32>());
        let xs = points(n, 5, seed);
        let x = Points::new(&xs, 5).unwrap();
        let mut full = vec![0f32; n * n];
        g.matrix(&x, &x, Output::ntk(RowMajor(&mut full, n))).unwrap();
        let mut m = vec![f32::NAN; n * n];
        for (b, chunk) in m.chunks_mut(band * n).enumerate() {
            let r0 = b * band;
            let rows = r0..(r0 + band).min(n);
            g.symmetric_tile(&x, Tile::new(rows, r0..n), Output::ntk(RowMajor(&mut chunk[r0..], n))).unwrap();
        }
        mirror_upper(&mut m, n, n).unwrap();
        prop_assert_eq!(bits(&full), bits(&m));
    }
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Several row blocks and column chunks (n = 203 > 64 rows per block and 64
/// f32 / 32 f64 lanes per chunk, not multiples): the symmetric fill (each pair
/// once, mirrored block by block) equals the general fill bit for bit.
#[test]
fn symmetric_equals_general_across_blocks() {
    fn check<T: LaneReal>() {
        let n = 203;
        let xs: Vec<T> = points(n, 9, 7)
            .iter()
            .map(|&v| T::from_f64(v as f64))
            .collect();
        let x = Points::new(&xs, 9).unwrap();
        let g = Gram::new(relu3::<T>());
        let (mut s, mut t) = (vec![T::ZERO; n * n], vec![T::ZERO; n * n]);
        g.matrix(
            &x,
            &x,
            Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)),
        )
        .unwrap();
        let nan = T::from_f64(f64::NAN);
        let (mut s2, mut t2) = (vec![nan; n * n], vec![nan; n * n]);
        g.symmetric(&x, Output::both(RowMajor(&mut s2, n), RowMajor(&mut t2, n)))
            .unwrap();
        let eq = |a: &[T], b: &[T]| {
            a.iter()
                .zip(b)
                .all(|(p, q)| p.to_f64().to_bits() == q.to_f64().to_bits())
        };
        assert!(eq(&s, &s2) && eq(&t, &t2));
        // And the lower triangle is the transpose of the upper one.
        assert!((0..n).all(|i| (0..i).all(|j| t2[i * n + j] == t2[j * n + i])));
    }
    check::<f32>();
    check::<f64>();
}

/// `tile_and_transpose` writes K(X, Z) on the tile and K(Z, X) on the
/// transposed tile, bitwise as two `tile` calls (X ≠ Z, tiles off the origin,
/// strides wider than the tiles); and a short transposed output is an error
/// that writes nothing.
#[test]
fn tile_and_transpose_is_two_tiles() {
    fn check<T: LaneReal>() {
        let cast = |v: Vec<f32>| v.iter().map(|&v| T::from_f64(v as f64)).collect::<Vec<T>>();
        let (xs, zs) = (cast(points(150, 5, 21)), cast(points(90, 5, 22)));
        let (x, z) = (Points::new(&xs, 5).unwrap(), Points::new(&zs, 5).unwrap());
        let g = Gram::new(relu3::<T>());
        let (rows, cols) = (7..141, 3..88);
        let (sx, sz) = (140, 150);
        let nan = T::from_f64(f64::NAN);
        let mut want = (vec![nan; 141 * sx], vec![nan; 141 * sx]);
        let mut want_t = (vec![nan; 88 * sz], vec![nan; 88 * sz]);
        let tile = Tile::new(rows.clone(), cols.clone());
        g.tile(
            &x,
            &z,
            tile.clone(),
            Output::both(RowMajor(&mut want.0, sx), RowMajor(&mut want.1, sx)),
        )
        .unwrap();
        let tile_t = Tile::new(cols.clone(), rows.clone());
        g.tile(
            &z,
            &x,
            tile_t,
            Output::both(RowMajor(&mut want_t.0, sz), RowMajor(&mut want_t.1, sz)),
        )
        .unwrap();
        let mut got = (vec![nan; 141 * sx], vec![nan; 141 * sx]);
        let mut got_t = (vec![nan; 88 * sz], vec![nan; 88 * sz]);
        g.tile_and_transpose(
            &x,
            &z,
            tile.clone(),
            Output::both(RowMajor(&mut got.0, sx), RowMajor(&mut got.1, sx)),
            Output::both(RowMajor(&mut got_t.0, sz), RowMajor(&mut got_t.1, sz)),
        )
        .unwrap();
        let bits = |v: &[T]| v.iter().map(|p| p.to_f64().to_bits()).collect::<Vec<_>>();
        for (a, b) in [
            (&got.0, &want.0),
            (&got.1, &want.1),
            (&got_t.0, &want_t.0),
            (&got_t.1, &want_t.1),
        ] {
            assert_eq!(bits(a), bits(b));
        }
        // The transposed output one element short: an error, nothing written.
        let need = Tile::new(cols.clone(), rows.clone()).needed(sz);
        let (mut s, mut t) = (vec![nan; 141 * sx], vec![nan; need - 1]);
        let err = g.tile_and_transpose(
            &x,
            &z,
            tile,
            Output::nngp(RowMajor(&mut s, sx)),
            Output::ntk(RowMajor(&mut t, sz)),
        );
        assert!(matches!(err, Err(Error::BufferTooSmall { .. })), "{err:?}");
        assert!(s.iter().chain(&t).all(|v| v.to_f64().is_nan()));
    }
    check::<f32>();
    check::<f64>();
}

/// The round-robin sharding of `gram::par::symmetric` (diagonal blocks,
/// then blocks with their transposes) on 1–3 threads equals `symmetric`
/// bitwise, for group counts odd (a bye each round) and even.
#[test]
fn parallel_blocks_equal_symmetric() {
    for (n, threads) in [(300, 2), (700, 2), (300, 3), (130, 1)] {
        let xs: Vec<f32> = points(n, 6, 5);
        let x = Points::new(&xs, 6).unwrap();
        let g = Gram::new(relu3::<f32>());
        let (mut s, mut t) = (vec![0.0; n * n], vec![0.0; n * n]);
        g.symmetric(&x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
            .unwrap();
        let (mut s2, mut t2) = (vec![f32::NAN; n * n], vec![f32::NAN; n * n]);
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| parallel::par_symmetric(&g, &x, &mut s2, &mut t2));
        assert_eq!(bits(&s), bits(&s2), "n = {n}, {threads} threads");
        assert_eq!(bits(&t), bits(&t2), "n = {n}, {threads} threads");
    }
}

/// Outputs spread over ≥ 16 MiB (a long row stride) take the prefetching
/// store path: the same entries bitwise, and nothing outside the tile is
/// written (n = 70 spans two row blocks and two f64 lane chunks).
#[test]
fn widely_strided_outputs_are_unchanged() {
    let n = 70;
    let xs: Vec<f64> = points(n, 9, 11).iter().map(|&v| v as f64).collect();
    let x = Points::new(&xs, 9).unwrap();
    let g = Gram::new(relu3::<f64>());
    let (mut s, mut t) = (vec![0.0; n * n], vec![0.0; n * n]);
    g.symmetric(&x, Output::both(RowMajor(&mut s, n), RowMajor(&mut t, n)))
        .unwrap();
    let stride = 1 << 15; // 70 rows × 2¹⁵ × 8 B × 2 outputs = 35 MiB
    let len = (n - 1) * stride + n;
    let (mut s2, mut t2) = (vec![f64::NAN; len], vec![f64::NAN; len]);
    g.symmetric(
        &x,
        Output::both(RowMajor(&mut s2, stride), RowMajor(&mut t2, stride)),
    )
    .unwrap();
    for (dense, spread) in [(&s, &s2), (&t, &t2)] {
        for i in 0..n {
            let row = &spread[i * stride..i * stride + n];
            assert!(row
                .iter()
                .zip(&dense[i * n..][..n])
                .all(|(a, b)| a.to_bits() == b.to_bits()));
            if i + 1 < n {
                assert!(spread[i * stride + n..(i + 1) * stride]
                    .iter()
                    .all(|v| v.is_nan()));
            }
        }
    }
}

#[test]
fn identical_and_zero_points_are_exact() {
    // x₁ = x₀ and x₂ = 0: the lane path equals the exact recursion's diagonal.
    let net = Network::<f64>::new(3, Activation::Relu).unwrap();
    let xs: Vec<f64> = points(4, 7, 3).iter().map(|&v| v as f64).collect();
    let x = Points::new(&xs, 7).unwrap();
    let (mut s, mut t) = (vec![0.0; 16], vec![0.0; 16]);
    Gram::new(net)
        .symmetric(&x, Output::both(RowMajor(&mut s, 4), RowMajor(&mut t, 4)))
        .unwrap();
    for (i, j) in [(0, 0), (0, 1), (1, 1), (2, 2), (3, 3), (2, 0)] {
        let k = net.kernels(x.point(i), x.point(j)).unwrap();
        assert_eq!((s[i * 4 + j], t[i * 4 + j]), (k.nngp, k.ntk), "({i}, {j})");
    }
    assert_eq!(t[2 * 4 + 2], 0.0); // zero input, no bias
}

#[test]
fn other_input_forms_agree() {
    let rows = [[1.0f32, 2.0, -0.5], [0.3, -1.0, 2.0], [0.0, 0.5, 0.5]];
    let flat = rows.as_flattened();
    let m = nalgebra::SMatrix::<f32, 3, 3>::from_column_slice(flat); // columns = points
    let view = m.fixed_view::<3, 2>(0, 1); // points 1 and 2
    let g = Gram::new(relu3::<f32>());
    let mut a = [0f32; 9];
    g.matrix(
        &Points::new(flat, 3).unwrap(),
        &Points::from_arrays(&rows).unwrap(),
        Output::nngp(RowMajor(&mut a, 3)),
    )
    .unwrap();
    let mut b = [0f32; 9];
    let pm = Points::from_columns(&m).unwrap();
    g.matrix(&pm, &pm, Output::nngp(RowMajor(&mut b, 3)))
        .unwrap();
    assert_eq!(a, b);
    let mut c = [0f32; 6];
    g.matrix(
        &pm,
        &Points::from_columns(&view).unwrap(),
        Output::nngp(RowMajor(&mut c, 2)),
    )
    .unwrap();
    assert_eq!(c, [a[1], a[2], a[4], a[5], a[7], a[8]]);
}

#[test]
fn bad_arguments_are_errors_and_write_nothing() {
    let g = Gram::new(relu3::<f64>());
    let xs = [1.0, 2.0, 3.0, 4.0];
    let x = Points::new(&xs, 2).unwrap();
    let y3 = [1.0; 3];
    let y = Points::new(&y3, 3).unwrap();
    let mut buf = [7.0; 4];
    let err = |r: ntk::Result<()>| r.unwrap_err();
    assert!(matches!(
        err(g.matrix(&x, &y, Output::ntk(RowMajor(&mut buf, 2)))),
        Error::DimensionMismatch { .. }
    ));
    assert!(matches!(
        err(g.tile(
            &x,
            &x,
            Tile::new(0..3, 0..1),
            Output::ntk(RowMajor(&mut buf, 2))
        )),
        Error::IndexOutOfRange { .. }
    ));
    assert!(matches!(
        err(g.matrix(&x, &x, Output::ntk(RowMajor(&mut buf, 1)))),
        Error::InvalidParameter { .. }
    ));
    assert!(matches!(
        err(g.matrix(&x, &x, Output::ntk(RowMajor(&mut buf[..3], 2)))),
        Error::BufferTooSmall { .. }
    ));
    let nan = [1.0, f64::NAN];
    let xn = Points::new(&nan, 2).unwrap();
    assert!(matches!(
        err(g.matrix(&xn, &x, Output::ntk(RowMajor(&mut buf, 2)))),
        Error::NonFinite { .. }
    ));
    assert_eq!(buf, [7.0; 4]);
    assert!(matches!(
        Points::new(&xs, 3),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        Points::<f64>::new(&[], 0),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(g.entry(&[], &[]), Err(Error::Empty { .. })));
    assert!(matches!(
        g.entry(&[1.0], &[1.0, 2.0]),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(matches!(
        mirror_upper(&mut buf, 3, 3),
        Err(Error::BufferTooSmall { .. })
    ));
}

#[test]
fn extreme_norms_fall_back_to_the_exact_path() {
    // |x|² far outside [ε⁴, ε⁻⁴]: the tile must still match the exact recursion.
    let net = Network::<f32>::new(2, Activation::Relu).unwrap();
    let xs = [1e-18f32, 2e-18, 3.0, -1.0, 1e17, 1e17];
    let x = Points::new(&xs, 2).unwrap();
    let mut t = [0f32; 9];
    Gram::new(net)
        .symmetric(&x, Output::ntk(RowMajor(&mut t, 3)))
        .unwrap();
    for i in 0..3 {
        for j in 0..3 {
            let k = net.kernels(x.point(i), x.point(j)).unwrap();
            assert!(t[i * 3 + j].is_finite());
            assert!(
                (t[i * 3 + j] - k.ntk).abs() <= 1e-5 * k.ntk.abs(),
                "({i},{j})"
            );
        }
    }
}
