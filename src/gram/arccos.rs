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
//! replaced by K. [`sqrt`] and [`acos`] are the branch-free versions, so the
//! lane loop vectorises. Every operation is symmetric in the two points
//! (products are formed as ρₓρ_z, σₓσ_z), so K(x, z) and K(z, x) are bitwise
//! equal.
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

use super::acos::acos;
use super::float::{select, sqrt, LaneReal};
use crate::network::{Network, Parameterization, MAX_DEPTH};
use crate::{Activation, Kernels};

/// Per-layer constants of the recursion for one input dimension.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ArcCos<T> {
    net: Network<T>,
    depth: usize,
    dim: usize,
    d: T,
    inv_d: T,
    standard: bool,
    w2: [T; MAX_DEPTH + 1],
    b2: [T; MAX_DEPTH + 1],
    n_in: [T; MAX_DEPTH + 1],
    bias: [T; MAX_DEPTH + 1],
    h: T,
    f: T,
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

impl<T: LaneReal> ArcCos<T> {
    /// The kernel of `net` for inputs of dimension `dim`; `None` unless the
    /// activation is in the ReLU family.
    pub(crate) fn new(net: &Network<T>, dim: usize) -> Option<Self> {
        let (a, b) = match net.activation() {
            Activation::Relu => (T::ZERO, T::ONE),
            Activation::AbRelu { a, b } => (a, b),
            _ => return None,
        };
        let mut k = ArcCos {
            net: *net,
            depth: net.depth(),
            dim,
            d: T::from_usize(dim),
            inv_d: T::ONE / T::from_usize(dim),
            standard: net.parameterization() == Parameterization::Standard,
            w2: [T::ZERO; MAX_DEPTH + 1],
            b2: [T::ZERO; MAX_DEPTH + 1],
            n_in: [T::ZERO; MAX_DEPTH + 1],
            bias: [T::ZERO; MAX_DEPTH + 1],
            // Exactly as `abrelu::dual` and `abrelu::diag` form them.
            h: (a * a + b * b) * T::HALF,
            f: (a - b) * (a - b) / (T::TWO * T::PI),
        };
        for (l, layer) in net.layers().iter().enumerate() {
            k.w2[l] = layer.w_var();
            k.b2[l] = layer.b_var();
            if k.standard {
                k.n_in[l] = T::from_usize(net.fan_in(l, dim));
                k.bias[l] = select(layer.b_std.is_some(), T::ONE, T::ZERO);
            }
        }
        Some(k)
    }

    /// Per-point data from the squared norms (O(L) per point).
    #[inline]
    pub(crate) fn points<const N: usize>(&self, norm: &[T; N]) -> Pts<T, N> {
        let (lo, hi) = range::<T>();
        let mut p = Pts {
            norm: *norm,
            qin: norm.map(|n| n / self.d),
            sq: [[T::ZERO; N]; MAX_DEPTH],
            rs: [[T::ZERO; N]; MAX_DEPTH],
            ok: [true; N],
            all_ok: true,
        };
        for (l, &n) in norm.iter().enumerate() {
            let pt = self.net.point_from_sq_norm(n, self.dim);
            for (sq, &q) in p.sq.iter_mut().zip(pt.variances()) {
                sq[l] = q;
                p.ok[l] &= q == T::ZERO || (q >= lo && q <= hi);
            }
            p.all_ok &= p.ok[l];
        }
        // `depth <= MAX_DEPTH` by construction; `min` lets the optimiser drop the bounds checks.
        for layer in 0..self.depth.min(MAX_DEPTH) {
            for l in 0..N {
                let q = p.sq[layer][l];
                let s = sqrt(q);
                p.sq[layer][l] = s;
                p.rs[layer][l] = select(q > T::ZERO, T::ONE / s, T::ZERO);
            }
        }
        p
    }

    /// A Dense layer on N lanes.
    #[inline(always)]
    fn dense<const N: usize>(&self, layer: usize, k: &mut [T; N], th: &mut [T; N]) {
        let (w2, b2) = (self.w2[layer], self.b2[layer]);
        if self.standard {
            let (n_in, bias) = (self.n_in[layer], self.bias[layer]);
            for l in 0..N {
                let k_new = w2.fma(k[l], b2);
                th[l] = n_in.fma(k[l], w2 * th[l]) + bias;
                k[l] = k_new;
            }
        } else {
            for l in 0..N {
                k[l] = w2.fma(k[l], b2);
                th[l] = w2.fma(th[l], k[l]);
            }
        }
    }

    /// (Σ, Θ) of the pairs (x, zₗ), l < N, from their dot products.
    #[inline(always)]
    pub(crate) fn eval<const N: usize>(
        &self,
        x: &Pts<T, 1>,
        z: &Pts<T, N>,
        dots: &[T; N],
        nngp: &mut [T; N],
        ntk: &mut [T; N],
    ) {
        let xn = x.norm[0];
        // Σ and Θ are built in place in the output lanes.
        let (k, th) = (nngp, ntk);
        // Identical points (x·z = |x|² = |z|² bitwise); recomputed where used:
        // two compares are cheaper than a bool array (packed and unpacked).
        let same = |l: usize| (dots[l] == xn) & (xn == z.norm[l]);
        for l in 0..N {
            // x·z/d, by a product (a division costs ~4× more); identical
            // points take the per-point q_in so that K stays equal to q exactly.
            k[l] = select(same(l), x.qin[0], dots[l] * self.inv_d);
            th[l] = T::ZERO;
        }
        let (h, f) = (self.h, self.f);
        for layer in 0..self.depth.min(MAX_DEPTH) {
            self.dense(layer, k, th);
            let (xs, xr) = (x.sq[layer][0], x.rs[layer][0]);
            let (zs, zr) = (&z.sq[layer], &z.rs[layer]);
            for l in 0..N {
                let rr = xr * zr[l];
                let c = k[l] * rr;
                let c = select(c > T::ONE, T::ONE, select(c < -T::ONE, -T::ONE, c));
                let c = select(same(l), select(rr > T::ZERO, T::ONE, T::ZERO), c);
                let s = sqrt((T::ONE - c) * (T::ONE + c));
                let fdot = (-f).fma(acos(c), h);
                k[l] = fdot.fma(k[l], f * ((xs * zs[l]) * s));
                th[l] *= fdot;
            }
        }
        self.dense(self.depth.min(MAX_DEPTH), k, th);
        if !(x.all_ok && z.all_ok) {
            self.exact_lanes(x, z, dots, k, th);
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
