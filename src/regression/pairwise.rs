//! Kernels entry by entry: the regressor's scalar path.
//!
//! [`crate::gram`] tiles evaluate W pairs at once in lanes, which pays on SIMD
//! hosts for whole matrices. For one query row (a prediction), and on cores
//! without SIMD, a tile mostly sets up W-wide blocks; a plain loop over the
//! pairs is several times cheaper. [`Model`](super::Model) uses this loop for
//! every kernel row (predictions, covariances) and, on targets without an OS
//! (`target_os = "none"`), for the training Gram matrix and the online updates
//! as well, so that a microcontroller links one kernel path, not two.
//!
//! For the ReLU family, ABReLU(a, b), it is the recursion of the Gram lane
//! kernel (formulas in `gram`'s `arccos`), one pair at a time, with
//! h = (a² + b²)/2, f = (a − b)²/(2π) and per-point σˡ = √qˡ, ρˡ = 1/σˡ (0 when qˡ = 0):
//!
//! ```text
//! K ← Dense(K), Θ ← Dense(Θ)                       (as `Network`'s recursion)
//! c = clamp(K·(ρₓρ_z), −1, 1)
//! s = √((1 − c)(1 + c)),  Ḟ = h − f·acos c,  K ← f·(σₓσ_z)·s + Ḟ·K,  Θ ← Θ·Ḟ
//! ```
//!
//! Pairs the lanes flag as ill-conditioned (inputs with |x·z| > (1 − τ)|x||z|, a
//! layer with |c| > 1 − τ, a zero variance: see `gram`'s `arccos`), identical
//! points among them, take the exact recursion from the inputs, as the tiles do.
//!
//! The square roots are [`Real::sqrt`] (correctly rounded; one `vsqrt.f32`
//! on a Cortex-M4F, where a division is one `vdiv.f32` too) instead of the
//! lanes' [`float::sqrt`](crate::gram::float::sqrt) (a Newton root except on
//! x86_64), so an entry differs from the tile's by the rounding of those roots
//! (≤ 1 ulp each); this module's tests bound the difference. The other activations, and pairs with a variance
//! outside [ε⁴, ε⁻⁴], take the exact recursion from the inputs (as [`Network::kernels`]), as
//! the tiles do; so do networks deeper than nine hidden layers (see `CACHED`). Each entry is symmetric in the two points bitwise.
//!
//! Per-point data are recomputed for every pair (O(L) with one root and one
//! division per layer) rather than stored: that costs no RAM, and on the
//! Cortex-M4F less than a twentieth of an entry. The per-network constants
//! ([`Pairwise`] itself) hold no reference, so that a [`Model`](super::Model)
//! forms them once and keeps them: forming them per prediction (zeroing,
//! filling and copying 2·17 variances) cost a Cortex-M4F about 450
//! instructions, half of a prediction's fixed cost.

use crate::gram::acos::AffineAcos;
use crate::gram::{lane_limit, lane_range, LaneReal};
use crate::network::{Network, Parameterization};
use crate::recursion::dot;
use crate::{Activation, Kernels, Real};

/// The kernels of one network for inputs of one dimension, pair by pair:
/// the network's constants, formed once by [`Pairwise::new`]; the methods
/// take the same network again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pairwise<T> {
    dim: usize,
    depth: usize,
    d: T,
    inv_d: T,
    /// Ḟ(c) = h − f·arccos c of the ReLU family (unused for the other activations).
    fdot: AffineAcos<T>,
    /// Whether the activation is in the ReLU family (a flag beside `standard`
    /// rather than an `Option`, which would take another word).
    arc_cos: bool,
    /// σ_w² and σ_b² of the first [`CACHED`] layers (readout included).
    w2: [T; CACHED],
    b2: [T; CACHED],
    standard: bool,
}

/// Layers whose variances [`Pairwise`] keeps (readout included): the lane
/// formula serves networks of depth < `CACHED`; deeper ones take the exact
/// recursion. Ten keep a model's settings within 512 bytes (f32); a branch
/// per layer to form deeper layers' variances cost 5 % of every entry.
const CACHED: usize = 10;

/// The per-point data of the fixed point x of a row: |x|², |x|, σˡ and ρˡ,
/// and whether every qˡ is in the lanes' range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Anchor<T> {
    norm: T,
    snorm: T,
    sigma: [T; CACHED - 1],
    rho: [T; CACHED - 1],
    ok: bool,
}

impl<T: LaneReal> Pairwise<T> {
    /// The kernels of `net` for inputs of dimension `dim` (≥ 1).
    pub(crate) fn new(net: &Network<T>, dim: usize) -> Self {
        let arc_cos = match net.activation() {
            _ if net.depth() >= CACHED => None,
            Activation::Relu => Some((T::ZERO, T::ONE)),
            Activation::AbRelu { a, b } => Some((a, b)),
            _ => None,
        };
        let mut pw = Pairwise {
            dim,
            depth: net.depth(),
            d: T::from_usize(dim),
            inv_d: T::ONE / T::from_usize(dim),
            // Exactly as `abrelu::dual` and `abrelu::diag` form them.
            fdot: {
                let (a, b) = arc_cos.unwrap_or((T::ZERO, T::ONE));
                AffineAcos::new(
                    (a * a + b * b) * T::HALF,
                    (a - b) * (a - b) / (T::TWO * T::PI),
                )
            },
            arc_cos: arc_cos.is_some(),
            w2: [T::ZERO; CACHED],
            b2: [T::ZERO; CACHED],
            standard: net.parameterization() == Parameterization::Standard,
        };
        for ((w, b), layer) in pw.w2.iter_mut().zip(&mut pw.b2).zip(net.layers()) {
            (*w, *b) = (layer.w_var(), layer.b_var());
        }
        pw
    }

    /// The per-point data of `x` (O(d + L)).
    pub(crate) fn anchor(&self, x: &[T]) -> Anchor<T> {
        let norm = dot(x, x);
        let mut a = Anchor {
            norm,
            snorm: norm.sqrt(),
            sigma: [T::ZERO; CACHED - 1],
            rho: [T::ZERO; CACHED - 1],
            ok: true,
        };
        if !self.arc_cos {
            return a;
        }
        let h = self.fdot.h();
        let mut p = a.norm / self.d;
        for l in 0..self.depth.min(CACHED - 1) {
            let (q, s, r, ok) = self.layer_point(self.vars(l), p);
            p = h * q;
            a.sigma[l] = s;
            a.rho[l] = r;
            a.ok &= ok;
        }
        a
    }

    /// Σ(x, z) and Θ(x, z) of `net` (the network of [`Pairwise::new`]) for the anchor `a` of `x`.
    #[inline(always)]
    pub(crate) fn kernels(&self, net: &Network<T>, a: &Anchor<T>, x: &[T], z: &[T]) -> Kernels<T> {
        // |z|² and x·z in one pass, each summed as `dot` sums it (with
        // `Real::fma`, so that x·x equals |x|² bitwise in FMA builds too).
        let (mut zn, mut xz) = (T::ZERO, T::ZERO);
        for (&xi, &zi) in x.iter().zip(z) {
            zn = zi.fma(zi, zn);
            xz = xi.fma(zi, xz);
        }
        // Without an OS (a microcontroller) one copy of the loop, testing the
        // parameterization per layer, serves both: it saved 1 KB of flash on a
        // Cortex-M4F for a few instructions per entry.
        let fast = if !self.arc_cos {
            None
        } else if !self.standard && !cfg!(target_os = "none") {
            self.arc_cos_pair::<true>(net, a, zn, xz)
        } else {
            self.arc_cos_general(net, a, zn, xz)
        };
        match fast {
            Some(k) => k,
            None => self.exact(net, (x, z), (a.norm, zn), xz),
        }
    }

    /// `put(j, K(x, zⱼ))` for every point zⱼ of `points` (n×d, row-major).
    pub(crate) fn row(
        &self,
        net: &Network<T>,
        x: &[T],
        points: &[T],
        mut put: impl FnMut(usize, Kernels<T>),
    ) {
        let a = self.anchor(x);
        for (j, z) in self.points(points).enumerate() {
            put(j, self.kernels(net, &a, x, z));
        }
    }

    /// `put(i, j, K(xᵢ, xⱼ))` for every pair j ≤ i of `points` (each pair once).
    pub(crate) fn lower(
        &self,
        net: &Network<T>,
        points: &[T],
        mut put: impl FnMut(usize, usize, Kernels<T>),
    ) {
        for (i, x) in self.points(points).enumerate() {
            let a = self.anchor(x);
            for (j, z) in self.points(points).take(i + 1).enumerate() {
                put(i, j, self.kernels(net, &a, x, z));
            }
        }
    }

    /// The points of a row-major n×d slice (`max`: d ≥ 1 by construction).
    fn points<'a>(&self, data: &'a [T]) -> core::slice::ChunksExact<'a, T> {
        data.chunks_exact(self.dim.max(1))
    }

    /// σ_w² and σ_b² of layer l < [`CACHED`] (0 past it: unused, see `new`).
    #[inline(always)]
    fn vars(&self, l: usize) -> (T, T) {
        match (self.w2.get(l), self.b2.get(l)) {
            (Some(&w2), Some(&b2)) => (w2, b2),
            _ => (T::ZERO, T::ZERO),
        }
    }

    /// One point through the layer of variances (σ_w², σ_b²), from the variance
    /// p entering it: qˡ (as [`Network::point_from_sq_norm`] forms it), σˡ, ρˡ
    /// and whether qˡ is in range.
    #[inline(always)]
    fn layer_point(&self, (w2, b2): (T, T), p: T) -> (T, T, T, bool) {
        let q = w2.fma(p, b2); // as `Network::point_from_sq_norm` forms it
        let s = q.sqrt();
        let r = if q > T::ZERO { T::ONE / s } else { T::ZERO };
        let (lo, hi) = lane_range::<T>();
        (q, s, r, q <= hi && q >= lo)
    }

    /// The lane formula for one pair; `None` if a variance is 0 or out of
    /// range, or the pair is ill-conditioned (see the module docs).
    /// `PLAIN`: the caller has checked that the parameterization is NTK's.
    #[inline(always)]
    fn arc_cos_pair<const PLAIN: bool>(
        &self,
        net: &Network<T>,
        a: &Anchor<T>,
        zn: T,
        xz: T,
    ) -> Option<Kernels<T>> {
        // Inputs with |c| > 1 − τ: their gap must come from the coordinates
        // (the lanes' test: below it the rounded x·z moves c by a few ε, and a
        // layer that brings c close to ±1 is flagged below).
        let limit = lane_limit::<T>();
        if xz.abs() > limit * (a.snorm * zn.sqrt()) {
            return None;
        }
        let fdot = self.fdot;
        let (h, f) = (fdot.h(), fdot.f());
        let mut k = xz * self.inv_d;
        let mut th = T::ZERO;
        let mut p = zn / self.d;
        let mut ok = a.ok;
        let depth = self.depth.min(CACHED - 1);
        for l in 0..depth {
            let v = self.vars(l);
            let (q, zs, zr, in_range) = self.layer_point(v, p);
            p = h * q;
            ok &= in_range;
            (k, th) = self.dense::<PLAIN>(net, l, v, k, th);
            let c = k * (a.rho[l] * zr);
            ok &= c.abs() <= limit;
            let c = clamp(c);
            // The lane kernel's operations (`Real::fma` where it has them).
            let s = ((T::ONE - c) * (T::ONE + c)).sqrt();
            let fd = fdot.eval::<true>(c, T::sqrt);
            k = fd.fma(k, f * ((a.sigma[l] * zs) * s));
            th *= fd;
        }
        let (nngp, ntk) = self.dense::<PLAIN>(net, depth, self.vars(depth), k, th);
        ok.then_some(Kernels { nngp, ntk })
    }

    /// [`Pairwise::arc_cos_pair`] for the standard parameterization, out of
    /// line (one inlined copy of the loop serves the common case without its test).
    #[inline(never)]
    fn arc_cos_general(&self, net: &Network<T>, a: &Anchor<T>, zn: T, xz: T) -> Option<Kernels<T>> {
        self.arc_cos_pair::<false>(net, a, zn, xz)
    }

    /// Dense layer l on (K, Θ): `Network`'s own step under the standard
    /// parameterization, its NTK-parameterization case from the stored variances.
    #[inline(always)]
    fn dense<const PLAIN: bool>(
        &self,
        net: &Network<T>,
        l: usize,
        (w2, b2): (T, T),
        k: T,
        th: T,
    ) -> (T, T) {
        if !PLAIN && self.standard {
            return net.dense(l, self.dim, k, th);
        }
        let k = w2.fma(k, b2);
        (k, w2.fma(th, k))
    }

    /// The exact recursion, from the inputs, their squared norms and dot product.
    #[cold]
    fn exact(&self, net: &Network<T>, xz_pts: (&[T], &[T]), (xn, zn): (T, T), xz: T) -> Kernels<T> {
        let px = net.point_from_sq_norm(xn, self.dim);
        let pz = net.point_from_sq_norm(zn, self.dim);
        net.kernels_of_inputs(&px, &pz, xz_pts, (xn, zn), xz)
    }
}

/// c clamped to [−1, 1].
#[inline(always)]
fn clamp<T: Real>(c: T) -> T {
    if c > T::ONE {
        T::ONE
    } else if c < -T::ONE {
        -T::ONE
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::Pairwise;
    use crate::gram::{Gram, LaneReal};
    use crate::{Activation, Dense, Kernels, Network};

    /// ReLU-family networks (depth 12: the exact path, see `CACHED`), and an Erf
    /// one (the exact path) when it is built in.
    fn nets<T: LaneReal>() -> impl Iterator<Item = Network<T>> {
        let f = T::from_f64;
        let relu = Activation::Relu;
        [
            Network::new(3, relu).unwrap(),
            Network::new(3, relu)
                .unwrap()
                .with_std(f(1.5), Some(f(0.05)))
                .unwrap(),
            Network::new(2, Activation::leaky_relu(f(0.1)))
                .unwrap()
                .with_std(f(1.2), Some(f(0.1)))
                .unwrap(),
            Network::new(4, Activation::abs())
                .unwrap()
                .with_layer(1, Dense::new(f(0.8), None))
                .unwrap(),
            Network::new(2, relu)
                .unwrap()
                .with_std(f(1.1), Some(f(0.3)))
                .unwrap()
                .with_standard_parameterization(&[7, 5])
                .unwrap(),
        ]
        .into_iter()
        .chain(Network::new(2, Activation::erf()).ok())
        .chain(
            Network::new(12, relu)
                .ok()
                .and_then(|n| n.with_std(f(1.2), Some(f(0.1))).ok()),
        )
    }

    /// Points: generic, zero, identical, (anti)parallel, and norms whose
    /// variances leave the lanes' range (the exact path).
    fn points<T: LaneReal>() -> [[T; 3]; 8] {
        let f = |a: f64, b: f64, c: f64| [T::from_f64(a), T::from_f64(b), T::from_f64(c)];
        let huge = if core::mem::size_of::<T>() == 4 {
            1e16
        } else {
            1e70
        };
        [
            f(1.0, 0.5, -0.25),
            f(-0.75, 1.5, 0.125),
            f(0.0, 0.0, 0.0),
            f(1.0, 0.5, -0.25),
            f(2.5, 1.25, -0.625),
            f(-1.0, -0.5, 0.25),
            f(0.3, -2.0, 1.0),
            f(huge, 0.0, huge),
        ]
    }

    /// Every entry against the Gram tile's (`Gram::entry`, bitwise a tile entry):
    /// equal to `tol` of √(K(x, x)·K(z, z)), bitwise for identical points,
    /// and bitwise symmetric. (Anti)parallel pairs get `tol_parallel`: there an
    /// ulp of the cosine moves θ by √(2ε) (see `activation::angle`), so the
    /// rounded inputs do not determine the kernel to `tol` in f32.
    fn agrees_with_tiles<T: LaneReal>(tol: f64, tol_parallel: f64) {
        for net in nets::<T>() {
            let pw = Pairwise::new(&net, 3);
            let gram = Gram::new(net);
            let xs = points::<T>();
            for x in &xs {
                let ax = pw.anchor(x);
                for z in &xs {
                    let got = pw.kernels(&net, &ax, x, z);
                    let want = gram.entry(x, z).unwrap();
                    let back = pw.kernels(&net, &pw.anchor(z), z, x);
                    assert_eq!(got, back, "{net:?} {x:?} {z:?}");
                    let diag = |p: &[T; 3]| gram.entry(p, p).unwrap();
                    let (kx, kz) = (diag(x), diag(z));
                    let pick = |k: Kernels<T>| [k.nngp.to_f64(), k.ntk.to_f64()];
                    let scale = [
                        (kx.nngp.to_f64() * kz.nngp.to_f64()).sqrt(),
                        (kx.ntk.to_f64() * kz.ntk.to_f64()).sqrt(),
                    ];
                    let (x64, z64) = (x.map(T::to_f64), z.map(T::to_f64));
                    let dot = |a: &[f64; 3], b: &[f64; 3]| {
                        a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>()
                    };
                    let cos = dot(&x64, &z64) / (dot(&x64, &x64) * dot(&z64, &z64)).sqrt();
                    let tol = if cos.abs() > 1.0 - 1e-6 {
                        tol_parallel
                    } else {
                        tol
                    };
                    for ((g, w), s) in pick(got).into_iter().zip(pick(want)).zip(scale) {
                        assert!((g - w).abs() <= tol * s, "{net:?} {x:?} {z:?}: {g} vs {w}");
                    }
                    if x == z {
                        assert_eq!(got, want, "identical points, {net:?} {x:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn entries_agree_with_the_gram_tiles_f64() {
        agrees_with_tiles::<f64>(1e-14, 1e-7);
    }

    #[test]
    fn entries_agree_with_the_gram_tiles_f32() {
        agrees_with_tiles::<f32>(4e-6, 1e-3);
    }

    #[test]
    fn rows_and_lower_triangle_are_the_entries() {
        let net = nets::<f64>().nth(1).unwrap();
        let pw = Pairwise::new(&net, 3);
        let xs = points::<f64>();
        let flat = xs.as_flattened();
        let mut row = [None; 8];
        pw.row(&net, &xs[6], flat, |j, k| row[j] = Some(k));
        let a = pw.anchor(&xs[6]);
        for (j, z) in xs.iter().enumerate() {
            assert_eq!(row[j], Some(pw.kernels(&net, &a, &xs[6], z)));
        }
        let mut seen = 0;
        pw.lower(&net, flat, |i, j, k| {
            assert!(j <= i);
            assert_eq!(k, pw.kernels(&net, &pw.anchor(&xs[i]), &xs[i], &xs[j]));
            seen += 1;
        });
        assert_eq!(seen, 8 * 9 / 2);
    }
}
