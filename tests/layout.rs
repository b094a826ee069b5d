//! Output layouts: column-major, row-major and nalgebra matrices hold the
//! same entries, transposed where the layouts differ, and a layout that does
//! not fit is a typed error.

use nalgebra::{DMatrix, SMatrix};
use ntk::gram::{ColMajor, Gram, Output, Points, RowMajor, Tile};
use ntk::{Activation, Error, Network};

const D: usize = 3;

/// n points in D dimensions, distinct, some antiparallel, one zero.
fn points(n: usize) -> Vec<f64> {
    let mut v: Vec<f64> = (0..n * D)
        .map(|i| ((i * 29 % 17) as f64 - 8.0) / 3.0)
        .collect();
    v[D..2 * D].iter_mut().for_each(|c| *c = 0.0);
    v
}

fn gram() -> Gram<f64> {
    Gram::new(
        Network::new(3, Activation::Relu)
            .unwrap()
            .with_std(1.4, Some(0.1))
            .unwrap(),
    )
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn col_major_is_the_transpose_of_row_major() {
    let (xs, zs) = (points(7), points(5));
    let (x, z) = (
        Points::new(&xs, D).unwrap(),
        Points::new(&zs[3..], D).unwrap(),
    );
    let (n, m) = (x.len(), z.len());
    let g = gram();
    let (mut rs, mut rt) = (vec![f64::NAN; n * m], vec![f64::NAN; n * m]);
    g.matrix(
        &x,
        &z,
        Output::both(RowMajor(&mut rs, m), RowMajor(&mut rt, m)),
    )
    .unwrap();
    // Column stride n + 2: the padding rows must stay untouched.
    let ld = n + 2;
    let (mut cs, mut ct) = (vec![f64::NAN; ld * m], vec![f64::NAN; ld * m]);
    g.matrix(
        &x,
        &z,
        Output::both(ColMajor(&mut cs, ld), ColMajor(&mut ct, ld)),
    )
    .unwrap();
    for i in 0..n {
        for j in 0..m {
            assert_eq!(rs[i * m + j].to_bits(), cs[j * ld + i].to_bits());
            assert_eq!(rt[i * m + j].to_bits(), ct[j * ld + i].to_bits());
            let k = g.entry(x.point(i), z.point(j)).unwrap();
            assert_eq!((k.nngp, k.ntk), (rs[i * m + j], rt[i * m + j]));
        }
        for j in 0..m {
            for pad in n..ld {
                assert!(cs[j * ld + pad].is_nan() && ct[j * ld + pad].is_nan());
            }
        }
    }
    // One kernel in each layout in the same call.
    let (mut a, mut b) = (vec![0.0; n * m], vec![0.0; n * m]);
    g.matrix(
        &x,
        &z,
        Output::both(ColMajor(&mut a, n), RowMajor(&mut b, m)),
    )
    .unwrap();
    let col_n: Vec<f64> = (0..n * m).map(|k| cs[(k / n) * ld + k % n]).collect();
    assert_eq!(bits(&a), bits(&col_n));
    assert_eq!(bits(&b), bits(&rt));
}

#[test]
fn dmatrix_and_smatrix_hold_the_entries() {
    let (xs, zs) = (points(6), points(4));
    let (x, z) = (Points::new(&xs, D).unwrap(), Points::new(&zs, D).unwrap());
    let g = gram();
    let mut k = DMatrix::<f64>::zeros(6, 4);
    g.matrix(&x, &z, Output::ntk(&mut k)).unwrap();
    let mut s = SMatrix::<f64, 6, 4>::zeros();
    g.matrix(&x, &z, Output::ntk(&mut s)).unwrap();
    for i in 0..6 {
        for j in 0..4 {
            let e = g.entry(x.point(i), z.point(j)).unwrap().ntk;
            assert_eq!(k[(i, j)], e, "({i}, {j})");
            assert_eq!(s[(i, j)], e);
        }
    }
    // Symmetric K(X, X) into a DMatrix: the same bits as row-major.
    let mut sym = DMatrix::<f64>::zeros(6, 6);
    g.symmetric(&x, Output::nngp(&mut sym)).unwrap();
    let mut row = vec![0.0; 36];
    g.symmetric(&x, Output::nngp(RowMajor(&mut row, 6)))
        .unwrap();
    assert_eq!(bits(sym.transpose().as_slice()), bits(&row));
    assert_eq!(bits(sym.as_slice()), bits(&row));
}

#[test]
fn a_layout_that_does_not_fit_is_a_typed_error() {
    let xs = points(4);
    let x = Points::new(&xs, D).unwrap();
    let g = gram();
    // A matrix of another shape than the result (no silent top-left block).
    let mut wrong = DMatrix::<f64>::zeros(5, 4);
    assert!(matches!(
        g.matrix(&x, &x, Output::ntk(&mut wrong)),
        Err(Error::DimensionMismatch { .. })
    ));
    assert!(wrong.iter().all(|&v| v == 0.0), "nothing written on error");
    let mut t = DMatrix::<f64>::zeros(4, 3);
    assert!(matches!(
        g.matrix(&x, &x, Output::ntk(&mut t)),
        Err(Error::DimensionMismatch { .. })
    ));
    // Column-major stride below the rows; buffer too short for the columns.
    let mut buf = vec![0.0; 16];
    let tile = Tile::new(0..4, 1..3);
    assert!(matches!(
        g.tile(&x, &x, tile.clone(), Output::ntk(ColMajor(&mut buf, 3))),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(matches!(
        g.tile(
            &x,
            &x,
            tile.clone(),
            Output::ntk(ColMajor(&mut buf[..7], 4))
        ),
        Err(Error::BufferTooSmall { needed: 8, .. })
    ));
    g.tile(&x, &x, tile, Output::ntk(ColMajor(&mut buf[..8], 4)))
        .unwrap();
    // NNGP and NTK in one layout with different strides.
    let (mut a, mut b) = (vec![0.0; 32], vec![0.0; 32]);
    assert!(matches!(
        g.matrix(
            &x,
            &x,
            Output::both(RowMajor(&mut a, 4), RowMajor(&mut b, 5))
        ),
        Err(Error::InvalidParameter { .. })
    ));
    // The upper part of a tile is row-major only.
    assert!(matches!(
        g.symmetric_tile(&x, Tile::new(0..4, 0..4), Output::ntk(ColMajor(&mut a, 4))),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn tile_and_transpose_in_column_major() {
    let xs = points(9);
    let x = Points::new(&xs, D).unwrap();
    let g = gram();
    let mut full = vec![0.0; 81];
    g.symmetric(&x, Output::ntk(RowMajor(&mut full, 9)))
        .unwrap();
    let tile = Tile::new(1..4, 5..9); // 3×4 block and its 4×3 transpose
    let (mut blk, mut blk_t) = (vec![0.0; 12], vec![0.0; 12]);
    g.tile_and_transpose(
        &x,
        &x,
        tile.clone(),
        Output::ntk(ColMajor(&mut blk, 3)),
        Output::ntk(ColMajor(&mut blk_t, 4)),
    )
    .unwrap();
    for (i, r) in (1..4).enumerate() {
        for (j, c) in (5..9).enumerate() {
            assert_eq!(blk[j * 3 + i].to_bits(), full[r * 9 + c].to_bits());
            assert_eq!(blk_t[i * 4 + j].to_bits(), full[c * 9 + r].to_bits());
        }
    }
    // Mixed layouts of one kernel would land in one buffer slot: refused.
    assert!(matches!(
        g.tile_and_transpose(
            &x,
            &x,
            tile,
            Output::ntk(RowMajor(&mut blk, 4)),
            Output::ntk(ColMajor(&mut blk_t, 4)),
        ),
        Err(Error::InvalidParameter { .. })
    ));
}

#[test]
fn ndarray_outputs_in_both_orders_and_interop() {
    use ndarray::{s, Array2, ShapeBuilder};
    use ntk::interop;
    let xs = points(6);
    let x = Points::new(&xs, D).unwrap();
    let g = gram();
    let mut c = Array2::<f64>::zeros((6, 4));
    let mut f = Array2::<f64>::zeros((6, 4).f());
    let z = x.slice(2..6).unwrap();
    g.matrix(&x, &z, Output::ntk(&mut c)).unwrap();
    g.matrix(&x, &z, Output::ntk(f.view_mut())).unwrap();
    for i in 0..6 {
        for j in 0..4 {
            let e = g.entry(x.point(i), z.point(j)).unwrap().ntk;
            assert_eq!((c[[i, j]], f[[i, j]]), (e, e), "({i}, {j})");
        }
    }
    // A strided (non-contiguous) view cannot be written: a typed error.
    let mut big = Array2::<f64>::zeros((12, 4));
    let strided = big.slice_mut(s![..;2, ..]);
    assert!(matches!(
        g.matrix(&x, &z, Output::ntk(strided)),
        Err(Error::InvalidParameter { .. })
    ));
    // Points from ndarray rows and from nalgebra columns: the same Gram.
    let rows = Array2::from_shape_vec((6, D), xs.clone()).unwrap();
    let cols = DMatrix::from_column_slice(D, 6, &xs);
    let a = interop::ndarray::gram(&g, rows.view(), rows.view()).unwrap();
    let b = interop::nalgebra::gram(&g, &cols, &cols).unwrap();
    for i in 0..6 {
        for j in 0..6 {
            assert_eq!(a.ntk[[i, j]].to_bits(), b.ntk[(i, j)].to_bits());
            assert_eq!(a.nngp[[i, j]].to_bits(), b.nngp[(i, j)].to_bits());
        }
    }
    // Points must be rows in standard layout.
    let t = rows.t();
    assert!(matches!(
        interop::ndarray::points(&t),
        Err(Error::InvalidParameter { .. })
    ));
}

/// `gram::par` on 1–3 threads equals the serial Gram bitwise, in both
/// layouts, for sizes that leave a short last group or band.
#[test]
fn parallel_gram_equals_serial_in_both_layouts() {
    use ntk::gram::par;
    let g = gram();
    for (n, m, threads) in [(150, 70, 2), (200, 130, 3), (65, 9, 1)] {
        let xs = points(n);
        let x = Points::new(&xs, D).unwrap();
        let z = x.slice(n - m..n).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let (mut s, mut t) = (vec![0.0; n * m], vec![0.0; n * m]);
        g.matrix(
            &x,
            &z,
            Output::both(RowMajor(&mut s, m), RowMajor(&mut t, m)),
        )
        .unwrap();
        let (mut ps, mut pt) = (vec![f64::NAN; n * m], vec![f64::NAN; n * m]);
        pool.install(|| {
            par::matrix(
                &g,
                &x,
                &z,
                Output::both(RowMajor(&mut ps, m), RowMajor(&mut pt, m)),
            )
        })
        .unwrap();
        assert_eq!(bits(&s), bits(&ps), "n = {n}, {threads} threads");
        assert_eq!(bits(&t), bits(&pt));
        let mut col = DMatrix::<f64>::from_element(n, m, f64::NAN);
        pool.install(|| par::matrix(&g, &x, &z, Output::ntk(&mut col)))
            .unwrap();
        assert_eq!(bits(col.transpose().as_slice()), bits(&t));
        let mut sym = vec![0.0; n * n];
        g.symmetric(&x, Output::ntk(RowMajor(&mut sym, n))).unwrap();
        let mut psym = DMatrix::<f64>::from_element(n, n, f64::NAN);
        pool.install(|| par::symmetric(&g, &x, Output::ntk(&mut psym)))
            .unwrap();
        assert_eq!(bits(psym.as_slice()), bits(&sym));
    }
    // A padded row stride, and no points at all.
    let (n, ld) = (140, 143);
    let xs = points(n);
    let x = Points::new(&xs, D).unwrap();
    let (mut a, mut b) = (vec![f64::NAN; n * ld], vec![f64::NAN; n * ld]);
    g.symmetric(&x, Output::nngp(RowMajor(&mut a, ld))).unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    pool.install(|| par::symmetric(&g, &x, Output::nngp(RowMajor(&mut b, ld))))
        .unwrap();
    assert_eq!(bits(&a), bits(&b)); // the padding stays NaN in both
    let empty = Points::new(&xs[..0], D).unwrap();
    par::symmetric(&g, &empty, Output::ntk(RowMajor(&mut a[..0], 0))).unwrap();
    // Errors come back typed, nothing written.
    let xs = points(10);
    let x = Points::new(&xs, D).unwrap();
    let mut short = vec![f64::NAN; 99];
    assert!(matches!(
        par::symmetric(&g, &x, Output::ntk(RowMajor(&mut short, 10))),
        Err(Error::BufferTooSmall { .. })
    ));
    let (mut a, mut b) = (vec![0.0; 100], vec![0.0; 100]);
    assert!(matches!(
        par::matrix(
            &g,
            &x,
            &x,
            Output::both(RowMajor(&mut a, 10), ColMajor(&mut b, 10))
        ),
        Err(Error::InvalidParameter { .. })
    ));
    assert!(short.iter().all(|v| v.is_nan()));
}
