//! Gram matrices: NNGP and NTK of whole point sets, written into
//! caller-provided buffers, without allocation.
//!
//! [`Gram::tile`] computes the entries K(xᵢ, z_j) for i in a row range and j
//! in a column range, so any engine (threads, rayon, a job queue) can shard a
//! large matrix; [`Gram::matrix`] is the whole matrix K(X, Z), and
//! [`Gram::symmetric`] is K(X, X) with each unordered pair computed once.
//!
//! **Layout.** Each output says its layout by its type ([`Output`] takes
//! an [`IntoTarget`]): [`RowMajor`]`(buf, stride)` puts entry (i, j) of a
//! tile with rows `r₀..r₁` and columns `c₀..c₁` at
//! `buf[(i − r₀)·stride + (j − c₀)]` (stride ≥ c₁ − c₀; the buffer needs
//! `(r₁ − r₀ − 1)·stride + (c₁ − c₀)` elements); [`ColMajor`]`(buf, stride)`
//! at `buf[(j − c₀)·stride + (i − r₀)]`; a nalgebra `DMatrix`/`SMatrix` is
//! column-major and must have the tile's shape. A bare slice is a compile
//! error, so a transposed result cannot happen silently. To shard an n×m
//! matrix by row bands, give each band `RowMajor(&mut buf[r₀·m .. r₁·m], m)`
//! (`chunks_mut` does exactly this). To shard a symmetric K(X, X) with each
//! pair computed once, give a task the block of two row groups P < Q:
//! [`Gram::tile_and_transpose`] writes its rows P and, transposed, its rows
//! Q; the diagonal blocks are [`Gram::symmetric`] on [`Points::slice`].
//! `gram::par` (feature `rayon`) runs the blocks in the rounds of a round-robin
//! tournament, so that parallel tasks hold disjoint rows.
//!
//! **How it is fast.** Per point, O(d + L): the squared norm and the layer
//! variances qˡ ([`Network::point_from_sq_norm`]), their square roots and
//! inverses. Per pair: the dot product from a register-blocked 4×8
//! micro-kernel, then the recursion on W lanes at once (64 in f32, 32 in f64; 8 in f32 on bare metal)
//! in structure-of-arrays form, with a branch-free [`float::sqrt`] and [`acos::acos`] instead of libm,
//! so LLVM vectorises it. These activations have a lane kernel: the
//! ReLU family (`Relu`, `AbRelu`: leaky ReLU, Abs; the arc-cosine kernel of
//! order 1), Sign and Step (order 0), ReQU (order 2), RectifiedMonomial(n)
//! for 3 ≤ n ≤ 8 (order n, by its three-term recurrence), Erf (the arcsine
//! kernel, with a branch-free asin), GELU, Sin, Cos, Rbf, Exp, Gaussian
//! and Gabor (with a branch-free exp), Identity, Monomial(n) and
//! Hermite(n) for n ≤ 8, Polynomial, and the aliases of these
//! (RectifiedMonomial(0, 1, 2), Monomial(1), SigmoidLike) — one generic
//! layer loop over a small per-activation map.
//! Lanes the map cannot evaluate to the accuracy below (identical points,
//! correlations within 1/64 (f64) or 1/16 (f32) of ±1 where a map's
//! derivative is steep or a layer would magnify the gap 1 ∓ c, variances
//! out of its range) are redone by the exact
//! recursion from the inputs (as [`Network::kernels`]), flagged inside the
//! lane loop. The other activations (Monomial,
//! RectifiedMonomial and Hermite of degree above 8, ExpNormalized and the
//! numerical ones) run that recursion inside the same tiling. On x86_64
//! builds that do not target them (the default target is SSE2), the lane
//! kernel and the dot products are compiled again as AVX2 and as AVX-512F
//! code, and the widest copy the CPU runs is chosen at run time; every copy
//! computes the same results bit for bit (no FMA in any of them).
//!
//! **Performance per activation.** Gram fill rate (symmetric K(X, X), NNGP +
//! NTK, n = 1024, d = 64, depth 3, N(0, 1) inputs, one thread; `cargo bench
//! --bench gram -- gram_act`) relative to ReLU's in the same run, two runs
//! with every lane map, on a shared 2-core Intel Xeon 2.8 GHz (AVX-512;
//! default build, run-time dispatch) at load average 9–10, where single
//! figures scatter by ±20%; "scalar" is the exact recursion inside the tiles
//! that each activation ran before it had a lane map (three earlier runs for
//! Sign … Identity, one run for Rbf … RectifiedMonomial):
//!
//! | activation | f32 lanes | f64 lanes | scalar (f32, f64) |
//! |---|---|---|---|
//! | ReLU | 1 | 1 | |
//! | Abs | 0.90–1.06 | 0.90–1.03 | |
//! | Sign | 1.12–1.46 | 0.97–1.00 | 0.06–0.08, 0.12–0.14 |
//! | Step | 1.07–1.18 | 0.96–1.53 | 0.06–0.08, 0.12 |
//! | ReQU | 0.82–0.89 | 0.73–1.09 | 0.06–0.07, 0.11–0.12 |
//! | Erf | 0.79–0.80 | 0.72–0.88 | 0.045–0.07, 0.10–0.11 |
//! | GELU | 0.58–0.67 | 0.58–0.66 | 0.04–0.06, 0.10–0.12 |
//! | Sin | 0.71–0.74 | 0.62–0.73 | 0.035–0.06, 0.09–0.11 |
//! | Cos | 0.53–0.56 | 0.59–0.68 | 0.03–0.06, 0.09–0.10 |
//! | Identity | 1.14–1.16 | 1.39–1.56 | 0.23–0.48, 0.51–0.80 |
//! | Rbf(1) | 0.80 | 0.71–0.82 | 0.03, 0.05 |
//! | Exp(1, ½) | 0.73–0.81 | 0.81–0.91 | 0.03, 0.05 |
//! | Gaussian(1, −1) | 0.97–1.00 | 0.98–1.25 | 0.07, 0.07 |
//! | Gabor | 0.61–0.70 | 0.52–0.53 | 0.03, 0.04 |
//! | Monomial(2) | 0.96–1.05 | 1.07–1.32 | 0.07, 0.07 |
//! | Monomial(3) | 0.94–1.03 | 1.14–1.25 | 0.07, 0.09 |
//! | Hermite(3) | 0.94–1.09 | 1.10–1.36 | 0.09, 0.12 |
//! | Polynomial (4 coefficients) | 0.74–0.76 | 0.87–0.94 | 0.06, 0.08 |
//! | RectifiedMonomial(3) | 0.72–0.77 | 0.55–0.63 | 0.07, 0.07 |
//!
//! Degree-n maps (Monomial, Hermite, RectifiedMonomial) run 8 steps of their
//! recurrence whatever n ≤ 8 (a fixed-length loop is what vectorises), so
//! their rate does not fall with n.
//!
//! Flagged pairs (near-±1 correlations, identical points) cost one exact
//! evaluation each: a Gram of nearly parallel points (d = 1, say) runs at the
//! scalar recursion's rate.
//!
//! **Accuracy.** Every entry of a tile, of [`Gram::entry`] and of the
//! regressor's kernel rows equals the exact recursion [`Network::kernels`]
//! to ≤ 1e-13·√(K(x,x)K(z,z)) in f64, on any input: duplicate, nearly
//! parallel or antiparallel rows (angles down to 1e-12 rad and below),
//! scaled copies, d = 1, zero rows, norms from 1e-30 to 1e30. The lane kernel
//! evaluates only pairs where its cosine-based angle is well-conditioned and
//! hands the others (|c| > 1 − τ at the input or in a layer,
//! a zero or out-of-range variance; the diagonal among them) to the exact
//! recursion from the inputs, which carries the angle's gaps 1 ∓ c
//! computed from the coordinates without cancellation. In f32 an entry is within 2e-6·√(K(x,x)K(z,z))
//! of the f64 recursion on the same inputs up to depth 4 (2e-6·L/4 deeper:
//! every layer rounds; ReQU, whose variance map squares, 2ᴸ·8ε₃₂; Sin and
//! Cos, which amplify each layer's rounding, twice the f32 recursion's own
//! error) wherever
//! the f32 inputs determine the kernel; where they do not (deep Sign and Step
//! at angles of a few f32 ulps, where one ulp of an input moves the kernel
//! by O(1)), the error is at most a few times the change that one ulp makes.
//! f32 cannot evaluate pairs whose per-layer variances leave its range (deep
//! ReQU of mixed norms), though their kernel may fit. Symmetric f64 Gram
//! matrices have λ_min ≥ −1e-14·trace, except GELU's NTK (its output's gaps
//! are a subtraction: down to −1.1e-9·trace measured). The crate's
//! adversarial property tests assert exactly these bounds.
//!
//! **Stack.** A tile call keeps 64 rows of per-point data, 64×W dot
//! products (overwritten by the NNGP), one 64×W block that holds first the
//! packed coordinates and then the NTK values, and W columns of per-point
//! data on the stack (on bare metal 8 rows and W = 8 lanes in f32;
//! BENCHMARKS.md has the measured stack). No heap. Measured on x86_64 hosts
//! (release build, the smallest thread stack on which the call returns,
//! found by bisection; the thread itself takes 9 KiB of it): a Gram of any
//! size needs 71–72 KiB in f32 and 81–83 KiB in f64; a regressor's `fit`,
//! `insert`, `push`, `predict`, `predict_with_variance` and `choose_ridge`
//! (capacity 16, after a fit) 75–76 KiB in f32 and 88 KiB in f64, so a thread
//! of 64 KiB is still too small for them (32-row blocks fit it, 57 KiB for
//! an f64 Gram, but cost 8–20% of the Gram rate).
//!
//! ```
//! use ntk::gram::{Gram, Output, RowMajor, Points};
//! use ntk::{Activation, Network};
//!
//! let net = Network::<f32>::new(3, Activation::Relu)?;
//! let xs = [[1.0f32, 0.0], [0.6, 0.8], [-1.0, 0.5]];
//! let x = Points::from_arrays(&xs)?;
//! let (mut nngp, mut ntk) = ([0.0f32; 9], [0.0f32; 9]);
//! Gram::new(net).symmetric(&x, Output::both(RowMajor(&mut nngp, 3), RowMajor(&mut ntk, 3)))?;
//! let exact = net.kernels(&xs[0], &xs[1])?;
//! assert!((ntk[1] - exact.ntk).abs() <= 1e-6 * exact.ntk && ntk[1] == ntk[3]);
//! # Ok::<(), ntk::Error>(())
//! ```

// Not part of the API (hidden): the lanes' acos, sqrt and rsqrt, reached by
// the accuracy tests and the benches only.
#[doc(hidden)]
pub mod acos;
mod arccos;
mod dense;
mod exp;
#[doc(hidden)]
pub mod float;
mod lane;
mod output;
#[cfg(feature = "rayon")]
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
pub mod par;
mod points;
#[doc(hidden)]
pub mod simd;
mod tile;

pub use float::LaneReal;
pub use output::{ColMajor, IntoTarget, Layout, Output, RowMajor, Target};
pub use points::Points;

use crate::error::ensure_finite;
use crate::network::Network;
use crate::recursion::dot;
use crate::{Error, Kernels, Real, Result};
pub(crate) use arccos::{limit as lane_limit, range as lane_range};
use core::ops::Range;
use lane::with_lanes;
use output::Slots;
use tile::{fill, Exact, Part};

/// Lanes (columns per chunk) of the f32 lane kernel. On hosts 64: measured
/// on Zen 3 (`examples/gram_timing`, n = 2048, d = 64, depth 3), 64 lanes
/// beat 8 by 1.25× in the default SSE2 build and tie with 32 under AVX2 (more
/// independent dependency chains for the out-of-order core). On bare metal 8,
/// to keep a tile's stack frame small (see the module docs).
#[cfg(not(target_os = "none"))]
const F32_LANES: usize = 64;
#[cfg(target_os = "none")]
const F32_LANES: usize = 8;
/// Lanes of the f64 lane kernel: 32 was fastest in both x86_64 builds.
const F64_LANES: usize = 32;
/// Lanes per accumulator of the f32 dot-product micro-kernel (4 rows × V):
/// 16 with AVX (two 256-bit registers: 8 independent FMA chains, enough to
/// cover the FMA latency), else 8 (two SSE registers). f64 always uses 8.
#[cfg(all(target_feature = "avx", not(target_os = "none")))]
const F32_ACC: usize = 16;
#[cfg(not(all(target_feature = "avx", not(target_os = "none"))))]
const F32_ACC: usize = 8;

/// A rectangular block of a Gram matrix: rows `rows` (indices into the first
/// point set) × columns `cols` (indices into the second).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tile {
    /// Row indices r₀..r₁.
    pub rows: Range<usize>,
    /// Column indices c₀..c₁.
    pub cols: Range<usize>,
}

impl Tile {
    /// The tile `rows × cols`.
    pub fn new(rows: Range<usize>, cols: Range<usize>) -> Self {
        Tile { rows, cols }
    }

    /// Number of elements a buffer with row stride `stride` needs:
    /// (rows − 1)·stride + columns, or `usize::MAX` if that overflows (no
    /// buffer is that long).
    pub fn needed(&self, stride: usize) -> usize {
        self.checked_needed(stride).unwrap_or(usize::MAX)
    }

    /// [`Tile::needed`], `None` on overflow.
    pub(crate) fn checked_needed(&self, stride: usize) -> Option<usize> {
        match self.rows.len() {
            0 => Some(0),
            r => (r - 1).checked_mul(stride)?.checked_add(self.cols.len()),
        }
    }
}

/// Gram matrices of one [`Network`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gram<T> {
    net: Network<T>,
}

impl<T: LaneReal> Gram<T> {
    /// Gram matrices of `net`'s NNGP and NTK.
    pub fn new(net: Network<T>) -> Self {
        Gram { net }
    }

    /// The network.
    pub fn network(&self) -> &Network<T> {
        &self.net
    }

    /// `true` if the activation has a vectorised lane kernel (every closed
    /// form but degrees above 8 and ExpNormalized; see
    /// the module docs); otherwise tiles use the exact scalar recursion.
    pub fn is_lane_kernel(&self) -> bool {
        lane::has_lanes(self.net.activation())
    }

    /// Σ(x, z) and Θ(x, z) of one pair by the same arithmetic as the tiles:
    /// the plain scalar path, bitwise equal to the tile entries (accuracy as
    /// in the module docs).
    ///
    /// Errors: empty, non-finite or different-length inputs; a kernel that
    /// leaves the range of `T` ([`Error::NonFinite`], as [`Network::kernels`]).
    ///
    /// ```
    /// use ntk::{gram::Gram, Activation, Network};
    /// let net = Network::<f64>::new(2, Activation::Relu)?;
    /// let (x, z) = ([1.0, 2.0], [0.5, -1.0]);
    /// let (fast, exact) = (Gram::new(net).entry(&x, &z)?, net.kernels(&x, &z)?);
    /// assert!((fast.ntk - exact.ntk).abs() < 1e-14 * exact.ntk);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn entry(&self, x: &[T], z: &[T]) -> Result<Kernels<T>> {
        check_pair(x, z)?;
        let px = Points::new(x, x.len())?;
        let pz = Points::new(z, z.len())?;
        let tile = Tile::new(0..1, 0..1);
        check_tile(&px, &pz, &tile)?;
        let (nx, nz, xz) = (dot(x, x), dot(z, z), dot(x, z));
        let k = with_lanes!(self.net, x.len(), |k| tile::pair(&k, (x, z), nx, nz, xz), {
            let (a, b) = (
                self.net.point_from_sq_norm(nx, x.len()),
                self.net.point_from_sq_norm(nz, z.len()),
            );
            self.net.kernels_of_inputs(&a, &b, (x, z), (nx, nz), xz)
        });
        match k.nngp.is_finite() && k.ntk.is_finite() {
            true => Ok(k),
            false => Err(Error::NonFinite {
                what: "kernel (inputs of huge norm, or layer variances that overflow)",
            }),
        }
    }

    /// The entries (i, j) ∈ `tile` of K(X, Z) into `out` (layout in the module docs).
    ///
    /// Errors: different dimensions ([`Error::DimensionMismatch`]), tile
    /// outside the point sets ([`Error::IndexOutOfRange`]), non-finite
    /// coordinates in the tile's points ([`Error::NonFinite`]), stride <
    /// columns ([`Error::InvalidParameter`]), short buffers
    /// ([`Error::BufferTooSmall`]), a size that overflows `usize`
    /// ([`Error::SizeOverflow`]): nothing is written on these. An entry that
    /// leaves the range of `T` (inputs of huge norm, or a net whose layer
    /// variances overflow) is [`Error::NonFinite`], found after the fill: the
    /// tile is then written, with non-finite entries.
    ///
    /// ```
    /// use ntk::gram::{Gram, Output, RowMajor, Points, Tile};
    /// use ntk::{Activation, Network};
    /// let data = [0.5f64, 1.0, -1.0, 2.0, 0.0, 1.0, 3.0, -0.5];
    /// let x = Points::new(&data, 2)?; // 4 points in 2-D
    /// let gram = Gram::new(Network::new(2, Activation::Relu)?);
    /// let mut full = [0.0; 16];
    /// gram.matrix(&x, &x, Output::ntk(RowMajor(&mut full, 4)))?;
    /// let mut block = [0.0; 4]; // rows 2..4, columns 1..3
    /// gram.tile(&x, &x, Tile::new(2..4, 1..3), Output::ntk(RowMajor(&mut block, 2)))?;
    /// assert_eq!(block, [full[9], full[10], full[13], full[14]]);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn tile(
        &self,
        x: &Points<'_, T>,
        z: &Points<'_, T>,
        tile: Tile,
        out: Output<'_, T>,
    ) -> Result<()> {
        self.run((x, z), tile, (out, None), Part::All)
    }

    /// The entries (i, j) ∈ `tile` of K(X, Z) into `out` and, from the same
    /// evaluation, K(Z, X) = K(X, Z)ᵀ on the transposed tile into `out_t`:
    /// entry (i, j) also goes to `out_t` at (j − c₀)·stride + (i − r₀). This
    /// shards a symmetric K(X, X) without a separate mirror pass: a task
    /// computing the block (P, Q) writes rows P and rows Q, and tasks whose
    /// row sets are disjoint run in parallel (as the round-robin schedule of
    /// `gram::par` does). Column-major outputs are allowed if `out` and `out_t`
    /// have the same layout (a column-major `out_t` is then the row-major
    /// block of `out`'s transpose).
    ///
    /// Errors: as [`Gram::tile`], for both outputs; [`Error::InvalidParameter`]
    /// if `out` and `out_t` of one kernel have different layouts. Nothing is
    /// written on error.
    ///
    /// ```
    /// use ntk::gram::{Gram, Output, RowMajor, Points, Tile};
    /// use ntk::{Activation, Network};
    /// let data = [0.5f64, 1.0, -1.0, 2.0, 0.0, 1.0, 3.0, -0.5];
    /// let x = Points::new(&data, 2)?; // 4 points in 2-D
    /// let gram = Gram::new(Network::new(2, Activation::Relu)?);
    /// let mut full = [0.0; 16];
    /// gram.symmetric(&x, Output::ntk(RowMajor(&mut full, 4)))?;
    /// // Rows 0..2 × columns 2..4, and its transpose (rows 2..4 × columns 0..2).
    /// let (mut block, mut block_t) = ([0.0; 4], [0.0; 4]);
    /// let tile = Tile::new(0..2, 2..4);
    /// gram.tile_and_transpose(&x, &x, tile, Output::ntk(RowMajor(&mut block, 2)), Output::ntk(RowMajor(&mut block_t, 2)))?;
    /// assert_eq!(block, [full[2], full[3], full[6], full[7]]);
    /// assert_eq!(block_t, [full[8], full[9], full[12], full[13]]);
    /// # Ok::<(), ntk::Error>(())
    /// ```
    pub fn tile_and_transpose(
        &self,
        x: &Points<'_, T>,
        z: &Points<'_, T>,
        tile: Tile,
        out: Output<'_, T>,
        out_t: Output<'_, T>,
    ) -> Result<()> {
        self.run((x, z), tile, (out, Some(out_t)), Part::Transposed)
    }

    /// The whole matrix K(X, Z) (n×m, stride of `out` ≥ m).
    ///
    /// Errors: as [`Gram::tile`].
    pub fn matrix(&self, x: &Points<'_, T>, z: &Points<'_, T>, out: Output<'_, T>) -> Result<()> {
        self.tile(x, z, Tile::new(0..x.len(), 0..z.len()), out)
    }

    /// The entries (i, j) ∈ `tile` of K(X, X) with j ≥ i (the upper part);
    /// the others are left untouched. Each pair of a tile on the diagonal is
    /// computed once; [`mirror_upper`] then fills the lower triangle (or,
    /// without that second pass over memory, see [`Gram::tile_and_transpose`]).
    ///
    /// Errors: as [`Gram::tile`]; [`Error::InvalidParameter`] for a
    /// column-major output (row-major only).
    pub fn symmetric_tile(&self, x: &Points<'_, T>, tile: Tile, out: Output<'_, T>) -> Result<()> {
        self.run((x, x), tile, (out, None), Part::Upper)
    }

    /// The whole symmetric K(X, X) (n×n, stride ≥ n): each pair computed once
    /// and written at (i, j) and (j, i). Bitwise equal to
    /// [`Gram::matrix`]`(x, x, …)`; the same bits in either layout.
    ///
    /// Errors: as [`Gram::tile`].
    pub fn symmetric(&self, x: &Points<'_, T>, out: Output<'_, T>) -> Result<()> {
        let n = x.len();
        self.run((x, x), Tile::new(0..n, 0..n), (out, None), Part::Mirrored)
    }

    fn run(
        &self,
        (x, z): (&Points<'_, T>, &Points<'_, T>),
        tile: Tile,
        (out, out_t): (Output<'_, T>, Option<Output<'_, T>>),
        part: Part,
    ) -> Result<()> {
        check_tile(x, z, &tile)?;
        let (r, c) = (tile.rows.len(), tile.cols.len());
        out.check(r, c)?;
        let mut slots = Slots::default();
        slots.place(out, false)?;
        if let Some(o) = out_t {
            o.check(c, r)?;
            slots.place(o, true)?;
        }
        let part = match part {
            // Symmetric: the row- and column-major matrices are the same.
            Part::Mirrored => {
                slots.all_direct()?;
                Part::Mirrored
            }
            Part::Upper if slots.has_transposed() => {
                return Err(Error::InvalidParameter {
                    what: "symmetric_tile writes row-major outputs only (K(X, X) is symmetric: \
                           use RowMajor, or Gram::symmetric for a whole column-major matrix)",
                })
            }
            Part::All | Part::Transposed if slots.has_transposed() => Part::Transposed,
            Part::Transposed => Part::All,
            other => other,
        };
        // The outputs span ≥ PREFETCH_BYTES, or are taken to be a shard of a
        // square matrix of their row stride that does (a block of a sharded
        // K(X, X): its rows are as far from the cache as the whole matrix's).
        let prefetch = slots.span(r, c) >= PREFETCH_BYTES;
        let mut bufs = slots.bufs(prefetch)?;
        let (rows, cols) = (tile.rows, tile.cols);
        let (check_rows, check_cols) = (rows.clone(), cols.clone());
        let exact = Exact {
            net: self.net,
            dim: x.dim(),
        };
        let ranges = (rows, cols);
        with_lanes!(
            self.net,
            x.dim(),
            |k| simd::fill(&k, (x, z), ranges, part, &mut bufs),
            {
                // Without the feature a `Network` only holds the ReLU family,
                // which has a lane kernel: never taken, and the scalar tile is
                // not linked.
                if !cfg!(feature = "all-activations") {
                    return Err(Error::FeatureDisabled {
                        what: "the scalar Gram tile",
                        feature: "all-activations",
                    });
                }
                fill_exact(&exact, (x, z), ranges, part, &mut bufs)
            }
        );
        // Inputs of huge norm, or a net whose variances overflow: an error,
        // never an Ok with ∞ or NaN entries (a scan of the written entries).
        match bufs.written_finite(&check_rows, &check_cols, part) {
            true => Ok(()),
            false => Err(Error::NonFinite {
                what: "Gram entry (inputs of huge norm, or layer variances that overflow)",
            }),
        }
    }
}

/// The scalar tile (activations without a lane kernel), in a frame of its
/// own: inlined into `Gram::run`, its blocks sat on the stack under those
/// of the lane fill that runs instead (18–34 KiB of `run`'s frame).
#[inline(never)]
fn fill_exact<T: LaneReal>(
    exact: &Exact<T>,
    (x, z): (&Points<'_, T>, &Points<'_, T>),
    (rows, cols): (Range<usize>, Range<usize>),
    part: Part,
    bufs: &mut tile::Bufs<'_, T>,
) {
    fill::<T, _, 8, 8>(exact, x, z, rows, cols, part, bufs)
}

/// Checks a pair of inputs: non-empty, of equal lengths.
pub(crate) fn check_pair<T>(x: &[T], z: &[T]) -> Result<()> {
    if x.is_empty() {
        return Err(Error::Empty { what: "input" });
    }
    if x.len() != z.len() {
        return Err(Error::DimensionMismatch {
            what: "second input",
            expected: x.len(),
            found: z.len(),
        });
    }
    Ok(())
}

/// Checks a tile of K(X, Z): equal dimensions, ranges within the point
/// sets, finite coordinates in the tile's points.
pub(crate) fn check_tile<T: Real>(x: &Points<'_, T>, z: &Points<'_, T>, tile: &Tile) -> Result<()> {
    if x.dim() != z.dim() {
        return Err(Error::DimensionMismatch {
            what: "second point set's dimension",
            expected: x.dim(),
            found: z.dim(),
        });
    }
    for (r, len) in [(&tile.rows, x.len()), (&tile.cols, z.len())] {
        if r.start > r.end || r.end > len {
            return Err(Error::IndexOutOfRange {
                index: r.end.max(r.start),
                len,
            });
        }
    }
    ensure_finite(x.span(tile.rows.clone()), "row points")?;
    ensure_finite(z.span(tile.cols.clone()), "column points")
}

/// Tiles whose outputs span at least this many bytes (rows × stride, both
/// kernels), or whose row stride implies a square matrix that does, prefetch
/// their output lines before storing to them. Measured on the 2-core Zen 3
/// (`examples/gram_timing`, native build, A/B): at n = 2048 (32 MiB of
/// outputs) 1.10–1.16× on one thread and 1.10× for the sharded blocks of
/// `gram::par::symmetric` on two; 2–3 % slower at n ≤ 1024 in f32 (8 MiB),
/// whose outputs stay in the L3 cache.
const PREFETCH_BYTES: usize = 16 << 20;

/// Copies the upper triangle of the n×n matrix in `buf` (row stride `stride`)
/// onto its lower triangle: buf\[i, j\] = buf\[j, i\] for j < i. Blocked for
/// cache: 32×32 blocks are read and written as contiguous row pieces.
///
/// Errors: stride < n ([`Error::InvalidParameter`]), short buffer ([`Error::BufferTooSmall`]).
///
/// ```
/// let mut m = [1.0, 2.0, 3.0, 0.0, 4.0, 5.0, 0.0, 0.0, 6.0];
/// ntk::gram::mirror_upper(&mut m, 3, 3)?;
/// assert_eq!(m, [1.0, 2.0, 3.0, 2.0, 4.0, 5.0, 3.0, 5.0, 6.0]);
/// # Ok::<(), ntk::Error>(())
/// ```
pub fn mirror_upper<T: Copy>(buf: &mut [T], n: usize, stride: usize) -> Result<()> {
    if stride < n {
        return Err(Error::InvalidParameter {
            what: "stride must be >= n",
        });
    }
    let needed = Tile::new(0..n, 0..n)
        .checked_needed(stride)
        .ok_or(Error::SizeOverflow {
            what: "symmetric matrix",
        })?;
    if buf.len() < needed {
        return Err(Error::BufferTooSmall {
            what: "symmetric matrix",
            needed,
            found: buf.len(),
        });
    }
    let Some(&first) = buf.first() else {
        return Ok(());
    };
    // Per B×B block: read B contiguous row pieces of the upper triangle into
    // a local block, write B contiguous row pieces of the lower one (the
    // transpose happens in L1 instead of by strided reads of memory).
    const B: usize = 32;
    let mut blk = [[first; B]; B];
    for bi in (0..n).step_by(B) {
        let bi_end = (bi + B).min(n);
        for bj in (0..=bi).step_by(B) {
            let bj_end = (bj + B).min(bi_end);
            for (row, j) in blk.iter_mut().zip(bj..bj_end) {
                // `get`: in bounds (bi_end − bi ≤ B); no panic path on firmware.
                let src = buf.get(j * stride + bi..j * stride + bi_end);
                if let Some((src, dst)) = src.and_then(|s| Some((s, row.get_mut(..s.len())?))) {
                    dst.copy_from_slice(src);
                }
            }
            for (i, c) in (bi..bi_end).zip(0..B) {
                let end = bj_end.min(i);
                if let Some(dst) = buf.get_mut(i * stride + bj..i * stride + end.max(bj)) {
                    for (t, row) in dst.iter_mut().zip(&blk) {
                        *t = row[c];
                    }
                }
            }
        }
    }
    Ok(())
}
