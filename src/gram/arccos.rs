//! The lane kernel of the ReLU family (ABReLU(a, b): ReLU, leaky ReLU, Abs):
//! the arc-cosine recursion evaluated for W pairs at once.
//!
//! Per hidden layer, with h = (a² + b²)/2, f = (a − b)²/(2π), per-point
//! σˡ = √qˡ and ρˡ = 1/σˡ (0 when qˡ = 0) precomputed once per point:
//!
//! ```text
//! K ← σ_w²K + σ_b²,  Θ ← K + σ_w²Θ          (Dense, NTK parameterization; standard as in `recursion`)
//! c = clamp(K·(ρₓρ_z), −1, 1),  s = √((1 − c)(1 + c)),  θ = acos c
//! Ḟ = h − f·θ,   K ← f·(σₓσ_z)·s + Ḟ·K,   Θ ← Θ·Ḟ
//! ```
//!
//! — the formulas of [`abrelu`](crate::activation::abrelu) with c·√(q₁q₂)
//! replaced by K. [`sqrt`] and arccos are the branch-free versions, so the
//! lane loop vectorises; Ḟ is formed by `AffineAcos`, the arccos of
//! [`acos`](super::acos) with the map h − f·θ folded into its last step.
//! Every operation is symmetric in the two points (products are formed as
//! ρₓρ_z, σₓσ_z), so K(x, z) and K(z, x) are bitwise equal.
//!
//! **Passes.** One loop over the lanes per hidden layer: the first also forms
//! K⁰ = x·z/d from the dot products (read in place), the last also applies the
//! readout Dense layer, so (K, Θ) stay in registers from Dense to activation.
//! The parameterization and the first/last layer are
//! const parameters of the loop (a branch on them inside the loop keeps LLVM
//! from vectorising it); bare metal compiles one copy with run-time flags.
//!
//! **Ill-conditioned pairs.** From K alone an ulp of c moves θ by
//! ε/sin θ, which is large near c = ±1 (√(2ε) at c = 1: 1e-8 in f64, 5e-4 in
//! f32). Each lane therefore keeps the largest |c| of its layers and flags
//! itself when the inputs' |x·z| exceeds ½|x||z| (where the dot product's own
//! rounding would decide θ) or some layer's |c| exceeds 1 − τ (τ = 1/64 in
//! f64, 1/16 in f32: there ε/sin θ ≤ 6ε). Flagged lanes, and lanes with a
//! point whose variances qˡ are 0 or outside [ε⁴, ε⁻⁴] (ε the machine
//! epsilon, where the lane formulas could over- or underflow), are then
//! computed by the exact recursion from the inputs themselves
//! (`Network::kernels`, which carries the angle's gaps). Random inputs of a
//! few dozen dimensions are never flagged at depth ≤ 8; identical points
//! (the diagonal), d = 1 and near-parallel sets are, and cost an exact
//! evaluation each.

use super::acos::AffineAcos;
use super::dense::{LaneDense, BARE};
use super::float::{select, sqrt, LaneReal};
use crate::network::{Network, MAX_DEPTH};
use crate::recursion::dot;
use crate::Activation;

/// Lanes whose largest |c| exceeds this are flagged (see the module docs):
/// 1 − τ, τ = 1/64 in f64, 1/16 in f32.
#[inline(always)]
pub(crate) fn limit<T: LaneReal>() -> T {
    let tau = if T::EPSILON.to_f64() < 1e-10 {
        64.0
    } else {
        16.0
    };
    T::from_f64(1.0 - 1.0 / tau)
}

/// Per-layer constants of the recursion for one input dimension.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArcCos<T> {
    net: Network<T>,
    depth: usize,
    dim: usize,
    d: T,
    inv_d: T,
    dense: LaneDense<T>,
    /// Ḟ(c) = h − f·arccos c, with h and f.
    fdot: AffineAcos<T>,
}

/// The row point and N column points.
#[derive(Clone, Copy)]
struct Pair<'a, T, const N: usize> {
    x: &'a Pts<T, 1>,
    z: &'a Pts<T, N>,
}

/// A hidden layer's index, the depth, the pair and the pair's rows of
/// `Pts::sq` and `Pts::rs` at that layer (x's, then z's).
type Layer<'a, T, const N: usize> = (
    usize,
    usize,
    Pair<'a, T, N>,
    ((&'a [T; 1], &'a [T; 1]), (&'a [T; N], &'a [T; N])),
);

/// The coordinates of a row point and of N column points.
pub(crate) type Coords<'a, T, const N: usize> = (&'a [T], &'a [&'a [T]; N]);

/// Per-point data of N points, structure of arrays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pts<T, const N: usize> {
    /// |x|², summed in coordinate order.
    pub norm: [T; N],
    /// |x|.
    snorm: [T; N],
    sq: [[T; N]; MAX_DEPTH],
    rs: [[T; N]; MAX_DEPTH],
    ok: [bool; N],
    /// All of `ok`, once per point set rather than once per pair block.
    all_ok: bool,
}

impl<T: LaneReal> ArcCos<T> {
    /// The kernel of `net` for inputs of dimension `dim`; `None` unless the
    /// activation is in the ReLU family.
    pub(crate) fn new(net: &Network<T>, dim: usize) -> Option<Self> {
        let (a, b) = match net.activation() {
            Activation::Relu | Activation::RectifiedMonomial(1) => (T::ZERO, T::ONE),
            Activation::AbRelu { a, b } => (a, b),
            _ => return None,
        };
        Some(ArcCos {
            net: *net,
            depth: net.depth(),
            dim,
            d: T::from_usize(dim),
            inv_d: T::ONE / T::from_usize(dim),
            dense: LaneDense::new(net, dim),
            // h and f exactly as `abrelu::dual` and `abrelu::diag` form them.
            fdot: AffineAcos::new(
                (a * a + b * b) * T::HALF,
                (a - b) * (a - b) / (T::TWO * T::PI),
            ),
        })
    }

    /// Per-point data from the squared norms (O(L) per point), on lanes:
    /// the same operations as [`Network::point_from_sq_norm`] (q⁰ = |x|²/d,
    /// qˡ = σ_w²·pˡ + σ_b², pˡ⁺¹ = h·qˡ), so the variances are bitwise those of
    /// [`Network::diagonal`].
    #[inline(always)]
    pub(crate) fn points<const N: usize>(&self, norm: &[T; N]) -> Pts<T, N> {
        let mut p = Pts {
            norm: *norm,
            snorm: [T::ZERO; N],
            sq: [[T::ZERO; N]; MAX_DEPTH],
            rs: [[T::ZERO; N]; MAX_DEPTH],
            ok: [true; N],
            all_ok: true,
        };
        self.points_into(norm, &mut p);
        p
    }

    /// [`ArcCos::points`] written over `p` (a value of `points` for another
    /// set, of this kernel): in place, since a returned block of W columns
    /// was built in a temporary and copied on every chunk.
    /// The layers below the depth are left as they are (never read).
    #[inline(always)]
    pub(crate) fn points_into<const N: usize>(&self, norm: &[T; N], p: &mut Pts<T, N>) {
        let (lo, hi) = range::<T>();
        p.norm = *norm;
        p.snorm = norm.map(sqrt);
        p.ok = [true; N];
        // q_in = |x|²/d, as `Network::point_from_sq_norm` forms it.
        let mut post = norm.map(|n| n / self.d);
        // `depth <= MAX_DEPTH` by construction; `min` lets the optimiser drop the bounds checks.
        for layer in 0..self.depth.min(MAX_DEPTH) {
            let (w2, b2) = self.dense.var(layer);
            let lanes = post.iter_mut().zip(&mut p.ok);
            for ((pl, ok), (sq, rs)) in lanes.zip(p.sq[layer].iter_mut().zip(&mut p.rs[layer])) {
                let q = w2.fma(*pl, b2);
                *pl = self.fdot.h() * q;
                *ok &= (q >= lo) & (q <= hi);
                *sq = sqrt(q);
                *rs = select(q > T::ZERO, T::ONE / *sq, T::ZERO);
            }
        }
        p.all_ok = p.ok.iter().all(|&ok| ok);
    }

    /// A Dense layer on one lane: (K, Θ) of its input ↦ (K, Θ) of its output.
    #[inline(always)]
    fn dense<const STANDARD: bool>(&self, layer: usize, k: T, th: T) -> (T, T) {
        self.dense.apply::<STANDARD>(layer, k, th)
    }

    /// (Σ, Θ) of the pairs (x, zₗ), l < N: `k` holds their dot products on
    /// entry and Σ on return; `coords` are the points' coordinates, for the
    /// flagged lanes' exact evaluation.
    #[inline(always)]
    pub(crate) fn eval<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        coords: Coords<'_, T, N>,
    ) {
        // The largest |c| of each lane (2 if the inputs' |c| > ½).
        let mut worst = [T::ZERO; N];
        self.layers::<N>(Pair { x, z }, k, th, &mut worst);
        let limit = limit::<T>();
        // A max-reduction (vectorises; an OR of comparisons did not).
        let top = worst.iter().fold(T::ZERO, |m, &w| select(w > m, w, m));
        let flagged = top > limit;
        if flagged || !(x.all_ok && z.all_ok) {
            self.exact_lanes(x, z, &worst, k, th, coords);
        }
    }

    /// The recursion on N lanes, one pass over the lanes per hidden layer;
    /// the first pass reads the dot products, the last one applies the
    /// readout layer too (fewer passes over the lane arrays).
    #[inline(always)]
    fn layers<const N: usize>(
        &self,
        pair: Pair<'_, T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        worst: &mut [T; N],
    ) {
        // The parameterization is a const parameter: a branch on it inside
        // the lane loop keeps LLVM from vectorising the loop.
        if self.dense.standard && !BARE {
            self.layers_of::<N, true>(pair, k, th, worst);
        } else {
            self.layers_of::<N, false>(pair, k, th, worst);
        }
    }

    /// [`layers`](Self::layers) for one parameterization.
    #[inline(always)]
    fn layers_of<const N: usize, const STANDARD: bool>(
        &self,
        pair: Pair<'_, T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        worst: &mut [T; N],
    ) {
        let depth = self.depth.clamp(1, MAX_DEPTH);
        // The layers' rows by iterator: no bounds check (a panic path on firmware).
        let rows = (pair.x.sq.iter().zip(&pair.x.rs)).zip(pair.z.sq.iter().zip(&pair.z.rs));
        for (layer, rows) in rows.enumerate().take(depth) {
            let at = (layer, depth, pair, rows);
            if BARE {
                self.layer::<N, STANDARD, false, false>(at, k, th, worst);
                continue;
            }
            match (layer == 0, layer + 1 == depth) {
                (true, true) => self.layer::<N, STANDARD, true, true>(at, k, th, worst),
                (true, false) => self.layer::<N, STANDARD, true, false>(at, k, th, worst),
                (false, true) => self.layer::<N, STANDARD, false, true>(at, k, th, worst),
                (false, false) => self.layer::<N, STANDARD, false, false>(at, k, th, worst),
            }
        }
    }

    /// Dense + activation of hidden layer `layer` on N lanes (plus the
    /// input step if FIRST, the readout Dense if LAST).
    #[inline(always)]
    fn layer<const N: usize, const STANDARD: bool, const FIRST: bool, const LAST: bool>(
        &self,
        (layer, depth, Pair { x, z }, ((xs, xr), (zs, zr))): Layer<'_, T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        worst: &mut [T; N],
    ) {
        let first = FIRST || (BARE && layer == 0);
        let last = LAST || (BARE && layer + 1 == depth);
        let f = self.fdot.f();
        let (xs, xr) = (xs[0], xr[0]);
        let wide_x = limit::<T>() * x.snorm[0];
        for l in 0..N {
            let (k_in, th_in) = if first {
                let dot = k[l];
                // Inputs with |c| > 1 − τ: their gap must come from the
                // coordinates. Below that the rounded dot product moves c by
                // a few ε, which moves no entry beyond the bounds: a layer
                // that brings c close to ±1 is flagged below.
                let wide = select(dot < T::ZERO, -dot, dot) > wide_x * z.snorm[l];
                worst[l] = select(wide, T::TWO, T::ZERO);
                // x·z/d, by a product (a division costs ~4× more).
                (dot * self.inv_d, T::ZERO)
            } else {
                (k[l], th[l])
            };
            let (kl, thl) = self.dense::<STANDARD>(layer, k_in, th_in);
            let c = kl * (xr * zr[l]);
            // A select, not `Real::max` (libm's fmax is a call: no vectorising).
            let abs_c = select(c < T::ZERO, -c, c);
            worst[l] = select(abs_c > worst[l], abs_c, worst[l]);
            // Two selects, each one min / max instruction.
            let c = select(c < -T::ONE, -T::ONE, c);
            let c = select(c > T::ONE, T::ONE, c);
            let s = sqrt((T::ONE - c) * (T::ONE + c));
            let fdot = self.fdot.eval::<false>(c, sqrt);
            let (ka, tha) = (fdot.fma(kl, f * ((xs * zs[l]) * s)), thl * fdot);
            (k[l], th[l]) = if last {
                self.dense::<STANDARD>(layer + 1, ka, tha)
            } else {
                (ka, tha)
            };
        }
    }

    /// The exact recursion from the inputs ([`Network::kernels_of_inputs`])
    /// for the flagged lanes and those with a point out of the fast range.
    #[cold]
    #[inline(never)]
    fn exact_lanes<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        worst: &[T; N],
        nngp: &mut [T; N],
        ntk: &mut [T; N],
        (xc, zc): Coords<'_, T, N>,
    ) {
        let limit = limit::<T>();
        let px = self.net.point_from_sq_norm(x.norm[0], self.dim);
        for l in 0..N {
            let zl = zc[l];
            if core::ptr::eq(xc, zl) || xc == zl {
                // Identical points (the diagonal): gaps 0 and 2 without the
                // inputs' O(d) gap, bitwise as from the inputs.
                let k = self.net.kernels_of(&px, &px, x.norm[0]);
                (nngp[l], ntk[l]) = (k.nngp, k.ntk);
            } else if worst[l] > limit || !(x.ok[0] && z.ok[l]) {
                let pz = self.net.point_from_sq_norm(z.norm[l], self.dim);
                let norms = (x.norm[0], z.norm[l]);
                let k = self
                    .net
                    .kernels_of_inputs(&px, &pz, (xc, zl), norms, dot(xc, zl));
                (nngp[l], ntk[l]) = (k.nngp, k.ntk);
            }
        }
    }
}

/// [ε⁴, ε⁻⁴]: variances in this range cannot over- or underflow the lane
/// formulas (also the range of the regressor's pairwise loop).
#[inline(always)]
pub(crate) fn range<T: LaneReal>() -> (T, T) {
    let e2 = T::EPSILON * T::EPSILON;
    (e2 * e2, T::ONE / (e2 * e2))
}
