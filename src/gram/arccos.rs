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
//! The parameterization, the first/last layer and the identical-point test are
//! const parameters of the loop (a branch on them inside the loop keeps LLVM
//! from vectorising it); bare metal compiles one copy with run-time flags.
//!
//! **Identical points.** When the dot product equals both squared norms
//! bitwise (x = z, summed in the same order), c is set to 1 in every layer:
//! then K stays equal to qˡ exactly and the entry equals
//! [`Network::diagonal`] exactly, as in the exact path. Without this, a c of
//! 1 − 1 ulp (from ρₓρ_z ≠ 1/q) would give θ ≈ √(2·ulp) and an NTK error of
//! 1e-4 in f32.
//!
//! **Range.** Points whose variances qˡ are neither 0 nor in
//! [ε⁴, ε⁻⁴] (ε the machine epsilon) are evaluated by the exact path
//! [`Network::kernels_of`] instead, so nothing over- or underflows.

use super::acos::AffineAcos;
use super::dense::{LaneDense, BARE};
use super::float::{select, sqrt, LaneReal};
use crate::network::{Network, MAX_DEPTH};
use crate::{Activation, Kernels};

/// Whether a chunk with identical points takes the SAME variant on all its
/// lanes ([`ArcCos::eval_rare`]) rather than the fast path followed by
/// [`ArcCos::identical_lanes`]. Builds that target AVX2 compile the rare
/// path with AVX2 and FMA, and there the redo of single lanes lost (Gram at
/// n = 256, d = 16: f32 3.4e8 → 3.2e8, f64 1.49e8 → 1.46e8 entries per
/// CPU-second); default builds compile it as SSE2 code, and there the redo
/// gains (f32 2.2e8 → 2.9e8, f64 9.8e7 → 1.16e8).
const REDO_IN_RARE: bool = cfg!(target_feature = "avx2");

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

/// The row point, N column points and their dot products (read only with
/// identical points among the lanes).
#[derive(Clone, Copy)]
struct Pair<'a, T, const N: usize> {
    x: &'a Pts<T, 1>,
    z: &'a Pts<T, N>,
    dots: &'a [T; N],
}

/// Per-point data of N points, structure of arrays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pts<T, const N: usize> {
    /// |x|², summed in coordinate order.
    pub norm: [T; N],
    /// q_in = |x|²/d, as `Network::point_from_sq_norm` forms it.
    qin: [T; N],
    sq: [[T; N]; MAX_DEPTH],
    rs: [[T; N]; MAX_DEPTH],
    ok: [bool; N],
    /// All of `ok`, once per point set rather than once per pair block.
    all_ok: bool,
}

impl<T: Copy, const N: usize> Pts<T, N> {
    /// The data of lane l alone.
    #[cfg(not(target_os = "none"))]
    fn lane(&self, l: usize) -> Pts<T, 1> {
        Pts {
            norm: [self.norm[l]],
            qin: [self.qin[l]],
            // By index: `map` would move the whole per-layer arrays first.
            sq: core::array::from_fn(|d| [self.sq[d][l]]),
            rs: core::array::from_fn(|d| [self.rs[d][l]]),
            ok: [self.ok[l]],
            all_ok: self.ok[l],
        }
    }
}

impl<T: LaneReal> ArcCos<T> {
    /// The kernel of `net` for inputs of dimension `dim`; `None` unless the
    /// activation is in the ReLU family.
    pub(crate) fn new(net: &Network<T>, dim: usize) -> Option<Self> {
        let (a, b) = match net.activation() {
            Activation::Relu => (T::ZERO, T::ONE),
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
        let (lo, hi) = range::<T>();
        let qin = norm.map(|n| n / self.d);
        let mut p = Pts {
            norm: *norm,
            qin,
            sq: [[T::ZERO; N]; MAX_DEPTH],
            rs: [[T::ZERO; N]; MAX_DEPTH],
            ok: [true; N],
            all_ok: true,
        };
        let mut post = qin;
        // `depth <= MAX_DEPTH` by construction; `min` lets the optimiser drop the bounds checks.
        for layer in 0..self.depth.min(MAX_DEPTH) {
            let (w2, b2) = self.dense.var(layer);
            let lanes = post.iter_mut().zip(&mut p.ok);
            for ((pl, ok), (sq, rs)) in lanes.zip(p.sq[layer].iter_mut().zip(&mut p.rs[layer])) {
                let q = w2.fma(*pl, b2);
                *pl = self.fdot.h() * q;
                *ok &= (q == T::ZERO) | ((q >= lo) & (q <= hi));
                *sq = sqrt(q);
                *rs = select(q > T::ZERO, T::ONE / *sq, T::ZERO);
            }
        }
        p.all_ok = p.ok.iter().all(|&ok| ok);
        p
    }

    /// A Dense layer on one lane: (K, Θ) of its input ↦ (K, Θ) of its output.
    #[inline(always)]
    fn dense<const STANDARD: bool>(&self, layer: usize, k: T, th: T) -> (T, T) {
        self.dense.apply::<STANDARD>(layer, k, th)
    }

    /// (Σ, Θ) of the pairs (x, zₗ), l < N: `k` holds their dot products on
    /// entry and Σ on return.
    #[inline(always)]
    pub(crate) fn eval<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
    ) {
        // Identical points (x·z = |x|² = |z|², bitwise) need the exact
        // diagonal treatment of the module docs; they are rare (the diagonal
        // of K(X, X)), so the layers are compiled with and without it.
        let xn = x.norm[0];
        let any_same = k
            .iter()
            .zip(&z.norm)
            .fold(false, |any, (&d, &zn)| any | ((d == xn) & (xn == zn)));
        if BARE || (any_same && REDO_IN_RARE) || !(x.all_ok && z.all_ok) {
            self.eval_rare(x, z, k, th, any_same);
            return;
        }
        // Lazily: the copy of the N dot products only for a rare chunk.
        #[cfg(not(target_os = "none"))]
        #[allow(clippy::unnecessary_lazy_evaluations)]
        let dots = any_same.then(|| *k);
        // The dot products are read in place (`dots` is unused without SAME).
        self.layers::<N, false>(
            Pair {
                x,
                z,
                dots: &[T::ZERO; N],
            },
            k,
            th,
        );
        #[cfg(not(target_os = "none"))]
        if let Some(dots) = dots {
            self.identical_lanes(x, z, &dots, k, th);
        }
    }

    /// Redoes the lanes of identical points after the fast path, one lane
    /// at a time with the exact diagonal treatment. A lane's arithmetic does
    /// not depend on the other lanes, so this gives the bits of the SAME
    /// variant on the whole chunk, at the cost of one lane instead of N in
    /// the slower variant: on the diagonal of K(X, X) at n = 256 the whole
    /// chunk took 31% of the fill in the default build (see [`REDO_IN_RARE`]).
    /// Not on bare metal, where every such chunk takes
    /// [`eval_rare`](Self::eval_rare).
    #[cfg(not(target_os = "none"))]
    #[inline(never)]
    fn identical_lanes<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        dots: &[T; N],
        k: &mut [T; N],
        th: &mut [T; N],
    ) {
        let xn = x.norm[0];
        for l in 0..N {
            if (dots[l] == xn) & (xn == z.norm[l]) {
                let (zl, dl) = (z.lane(l), [dots[l]]);
                let (mut kl, mut tl) = (dl, [T::ZERO]);
                self.layers::<1, true>(
                    Pair {
                        x,
                        z: &zl,
                        dots: &dl,
                    },
                    &mut kl,
                    &mut tl,
                );
                (k[l], th[l]) = (kl[0], tl[0]);
            }
        }
    }

    /// [`eval`](Self::eval) with identical points or out-of-range points
    /// among the lanes: keeps a copy of the dot products.
    #[inline(never)]
    fn eval_rare<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        any_same: bool,
    ) {
        let dots = *k;
        let pair = Pair { x, z, dots: &dots };
        if any_same || BARE {
            self.layers::<N, true>(pair, k, th);
        } else {
            self.layers::<N, false>(pair, k, th);
        }
        if !(x.all_ok && z.all_ok) {
            self.exact_lanes(x, z, &dots, k, th);
        }
    }

    /// The recursion on N lanes, one pass over the lanes per hidden layer;
    /// the first pass reads the dot products, the last one applies the
    /// readout layer too (fewer passes over the lane arrays).
    #[inline(always)]
    fn layers<const N: usize, const SAME: bool>(
        &self,
        pair: Pair<'_, T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
    ) {
        // The parameterization is a const parameter: a branch on it inside
        // the lane loop keeps LLVM from vectorising the loop.
        if self.dense.standard && !BARE {
            self.layers_of::<N, SAME, true>(pair, k, th);
        } else {
            self.layers_of::<N, SAME, false>(pair, k, th);
        }
    }

    /// [`layers`](Self::layers) for one parameterization.
    #[inline(always)]
    fn layers_of<const N: usize, const SAME: bool, const STANDARD: bool>(
        &self,
        pair: Pair<'_, T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
    ) {
        let depth = self.depth.clamp(1, MAX_DEPTH);
        for layer in 0..depth {
            let at = (layer, depth, pair);
            if BARE {
                self.layer::<N, SAME, STANDARD, false, false>(at, k, th);
                continue;
            }
            match (layer == 0, layer + 1 == depth) {
                (true, true) => self.layer::<N, SAME, STANDARD, true, true>(at, k, th),
                (true, false) => self.layer::<N, SAME, STANDARD, true, false>(at, k, th),
                (false, true) => self.layer::<N, SAME, STANDARD, false, true>(at, k, th),
                (false, false) => self.layer::<N, SAME, STANDARD, false, false>(at, k, th),
            }
        }
    }

    /// Dense + activation of hidden layer `layer` on N lanes (plus the
    /// input step if FIRST, the readout Dense if LAST).
    #[inline(always)]
    fn layer<
        const N: usize,
        const SAME: bool,
        const STANDARD: bool,
        const FIRST: bool,
        const LAST: bool,
    >(
        &self,
        (layer, depth, Pair { x, z, dots }): (usize, usize, Pair<'_, T, N>),
        k: &mut [T; N],
        th: &mut [T; N],
    ) {
        let xn = x.norm[0];
        let same = |l: usize| SAME && (dots[l] == xn) & (xn == z.norm[l]);
        let first = FIRST || (BARE && layer == 0);
        let last = LAST || (BARE && layer + 1 == depth);
        let f = self.fdot.f();
        let (xs, xr) = (x.sq[layer][0], x.rs[layer][0]);
        let (zs, zr) = (&z.sq[layer], &z.rs[layer]);
        for l in 0..N {
            let (k_in, th_in) = if first {
                // x·z/d, by a product (a division costs ~4× more); identical
                // points take the per-point q_in so that K stays equal to q exactly.
                let k0 = k[l] * self.inv_d;
                (
                    if SAME {
                        select(same(l), x.qin[0], k0)
                    } else {
                        k0
                    },
                    T::ZERO,
                )
            } else {
                (k[l], th[l])
            };
            let (kl, thl) = self.dense::<STANDARD>(layer, k_in, th_in);
            let rr = xr * zr[l];
            let c = kl * rr;
            // Two selects, each one min / max instruction.
            let c = select(c < -T::ONE, -T::ONE, c);
            let c = select(c > T::ONE, T::ONE, c);
            let c = if SAME {
                select(same(l), select(rr > T::ZERO, T::ONE, T::ZERO), c)
            } else {
                c
            };
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

    /// The exact path for the lanes whose points are out of the fast range.
    #[cold]
    fn exact_lanes<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        dots: &[T; N],
        nngp: &mut [T; N],
        ntk: &mut [T; N],
    ) {
        let px = self.net.point_from_sq_norm(x.norm[0], self.dim);
        for l in 0..N {
            if !(x.ok[0] && z.ok[l]) {
                let pz = self.net.point_from_sq_norm(z.norm[l], self.dim);
                let Kernels { nngp: s, ntk: t } = self.net.kernels_of(&px, &pz, dots[l]);
                nngp[l] = s;
                ntk[l] = t;
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
