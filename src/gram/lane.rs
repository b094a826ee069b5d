//! The generic lane kernel: the layer recursion on W pairs at once for any
//! activation with a lane map, one small file per activation in `lane/`.
//!
//! Per hidden layer, on each lane (pair (x, z)):
//!
//! ```text
//! K ← σ_w²K + σ_b²,  Θ ← K + σ_w²Θ        (Dense; standard parameterization as in `recursion`)
//! (F, Ḟ) = map(K, vₓ, v_z),  K ← F,  Θ ← Θ·Ḟ
//! ```
//!
//! where vₓ are two numbers per point and layer that the map forms once per
//! point from the layer variance qˡ (e.g. √q and 1/√q), so a pair costs no
//! division or square root beyond the map's own. The variances qˡ are those
//! of [`Network::point_from_sq_norm`] (bitwise). The map's arithmetic is
//! branch-free (selects, [`sqrt`](super::float::sqrt),
//! [`acos`](super::acos::acos), [`exp_neg`](super::exp::exp_neg)) and
//! symmetric in x and z, so the loop vectorises and K(x, z) = K(z, x) bitwise.
//!
//! **The exact path.** A lane is redone by the exact scalar recursion
//! [`Network::kernels_of`] when (a) its points are identical (x·z = |x|² =
//! |z|² bitwise: the diagonal, which the exact path keeps at
//! [`Network::diagonal`] bitwise), (b) a point's variance is outside the
//! map's range ([`LaneMap::accepts`]: over- or underflow), or (c) the map
//! flags the pair in some layer: a correlation so close to ±1 that the lane
//! formula, which works from K alone, would lose accuracy that the exact
//! recursion keeps by carrying the gap √(q₁q₂) − K. The flags are computed in
//! the lane loop (one compare per lane and layer); the redo costs a scalar
//! evaluation per flagged lane only, so the rate on inputs without such pairs
//! is that of the lanes.

pub(crate) mod erf;
pub(crate) mod exp;
pub(crate) mod gabor;
pub(crate) mod gaussian;
pub(crate) mod gelu;
pub(crate) mod hermite;
pub(crate) mod identity;
pub(crate) mod monomial;
pub(crate) mod polynomial;
pub(crate) mod rbf;
pub(crate) mod rectified_monomial;
pub(crate) mod requ;
pub(crate) mod sign;
pub(crate) mod sin;

use super::arccos::{limit, range, Coords};
use super::dense::{LaneDense, BARE};
use super::float::LaneReal;
use super::tile::LaneKernel;
use crate::network::{Network, MAX_DEPTH};
use crate::recursion::dot;
use crate::{Activation, Kernels};

/// The activation step of one layer on a lane.
pub(crate) trait LaneMap<T: LaneReal>: Copy {
    /// The two numbers per point of a layer with pre-activation variance q.
    fn point(&self, q: T) -> [T; 2];
    /// Whether the lane formulas hold for a point of variance q (else the
    /// exact path): by default q = 0 or q ∈ [ε⁴, ε⁻⁴].
    #[inline(always)]
    fn accepts(&self, q: T) -> bool {
        let (lo, hi) = range::<T>();
        (q == T::ZERO) | ((q >= lo) & (q <= hi))
    }
    /// (F, Ḟ, flag) of a pair with covariance `k` and per-point numbers `x`,
    /// `z`; flag: the pair needs the exact path.
    fn apply(&self, k: T, x: [T; 2], z: [T; 2]) -> (T, T, bool);
}

/// The lane kernel of one activation map `M` for inputs of dimension `dim`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Lanes<T, M> {
    net: Network<T>,
    dim: usize,
    inv_d: T,
    dense: LaneDense<T>,
    map: M,
}

/// Per-point data of N points, structure of arrays.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LanePts<T, const N: usize> {
    norm: [T; N],
    /// The map's two numbers per layer.
    v: [[[T; N]; 2]; MAX_DEPTH],
    ok: [bool; N],
    all_ok: bool,
}

/// The lane kernel of `$net`'s activation bound to `$k` in `$body` (one
/// monomorphised copy per map), or `$none` for activations without one.
macro_rules! with_lanes {
    ($net:expr, $dim:expr, |$k:ident| $body:expr, $none:expr) => {{
        use $crate::gram::lane::{erf, exp, gabor, gaussian, gelu, hermite, identity};
        use $crate::gram::lane::{monomial, polynomial as poly, rectified_monomial as rect};
        use $crate::gram::lane::{rbf, requ, sign, sin, Lanes};
        use $crate::Activation as A;
        let (net, dim) = (&$net, $dim);
        match (
            net.activation(),
            $crate::gram::arccos::ArcCos::new(net, dim),
        ) {
            (_, Some($k)) => $body,
            // Without the feature a `Network` holds only the ReLU family: the
            // other maps are then neither reached nor linked.
            _ if !cfg!(feature = "all-activations") => $none,
            (A::Erf { a, b, c }, _) => {
                let $k = Lanes::new(net, dim, erf::Erf::new(a, b, c));
                $body
            }
            (A::Gelu, _) => {
                let $k = Lanes::new(net, dim, gelu::Gelu);
                $body
            }
            (A::Sign, _) | (A::Step, _) | (A::RectifiedMonomial(0), _) => {
                let $k = Lanes::new(net, dim, sign::Order0::new(net.activation()));
                $body
            }
            (A::Requ, _) | (A::RectifiedMonomial(2), _) => {
                let $k = Lanes::new(net, dim, requ::Requ);
                $body
            }
            (A::Sin { a, b, c }, _) => {
                let $k = Lanes::new(net, dim, sin::Sin::new(a, b, c));
                $body
            }
            (A::Rbf(gamma), _) => {
                let $k = Lanes::new(net, dim, rbf::Rbf::new(gamma));
                $body
            }
            (A::Exp { a, b }, _) => {
                let $k = Lanes::new(net, dim, exp::Exp::new(a, b));
                $body
            }
            (A::Gaussian { a, b }, _) => {
                let $k = Lanes::new(net, dim, gaussian::Gaussian::new(a, b));
                $body
            }
            (A::Monomial(n), _) if n >= 2 => match monomial::Monomial::new(n) {
                Some(map) => {
                    let $k = Lanes::new(net, dim, map);
                    $body
                }
                None => $none,
            },
            (A::Hermite(n), _) => match hermite::Hermite::new(n) {
                Some(map) => {
                    let $k = Lanes::new(net, dim, map);
                    $body
                }
                None => $none,
            },
            (A::RectifiedMonomial(n), _) if n >= 3 => match rect::RectifiedMonomial::new(n) {
                Some(map) => {
                    let $k = Lanes::new(net, dim, map);
                    $body
                }
                None => $none,
            },
            // Four coefficients or fewer: half the work of eight.
            (A::Polynomial(p), _) => match poly::Polynomial::<_, 4>::new(&p) {
                Some(map) => {
                    let $k = Lanes::new(net, dim, map);
                    $body
                }
                None => match poly::Polynomial::<_, 8>::new(&p) {
                    Some(map) => {
                        let $k = Lanes::new(net, dim, map);
                        $body
                    }
                    None => $none,
                },
            },
            (A::Gabor, _) => {
                let $k = Lanes::new(net, dim, gabor::Gabor::new());
                $body
            }
            (A::SigmoidLike, _) => match A::sigmoid_like_erf() {
                A::Erf { a, b, c } => {
                    let $k = Lanes::new(net, dim, erf::Erf::new(a, b, c));
                    $body
                }
                _ => $none,
            },
            (A::Identity, _) | (A::Monomial(1), _) => {
                let $k = Lanes::new(net, dim, identity::Identity);
                $body
            }
            _ => $none,
        }
    }};
}
pub(crate) use with_lanes;

/// Whether `act` has a lane kernel (every closed form but those added
/// without one fall to the exact scalar tile).
pub(crate) fn has_lanes<T: LaneReal>(act: Activation<T>) -> bool {
    let cap = monomial::CAP;
    match act {
        Activation::Monomial(n) | Activation::Hermite(n) | Activation::RectifiedMonomial(n) => {
            return n <= cap
        }
        _ => {}
    }
    matches!(
        act,
        Activation::Relu
            | Activation::AbRelu { .. }
            | Activation::Erf { .. }
            | Activation::Gelu
            | Activation::Sign
            | Activation::Step
            | Activation::Requ
            | Activation::Sin { .. }
            | Activation::Rbf(_)
            | Activation::Exp { .. }
            | Activation::Gaussian { .. }
            | Activation::Gabor
            | Activation::Polynomial(_)
            | Activation::Identity
            | Activation::RectifiedMonomial(0..=2)
            | Activation::Monomial(1)
            | Activation::SigmoidLike
    )
}

impl<T: LaneReal, M: LaneMap<T>> Lanes<T, M> {
    /// The kernel of `net` with the map `map` of its activation.
    pub(crate) fn new(net: &Network<T>, dim: usize, map: M) -> Self {
        Lanes {
            net: *net,
            dim,
            inv_d: T::ONE / T::from_usize(dim),
            dense: LaneDense::new(net, dim),
            map,
        }
    }

    /// Per-point data from the squared norms (O(L) per point): the layer
    /// variances of [`Network::point_from_sq_norm`], then the map's numbers.
    #[inline(always)]
    fn points<const N: usize>(&self, norm: &[T; N]) -> LanePts<T, N> {
        let mut p = LanePts {
            norm: *norm,
            v: [[[T::ZERO; N]; 2]; MAX_DEPTH],
            ok: [true; N],
            all_ok: true,
        };
        self.points_into(norm, &mut p);
        p
    }

    /// [`Lanes::points`] written over `p` (a value of `points` for another
    /// set): in place, since a returned block of W columns was built in a
    /// temporary and copied on every chunk. The layers
    /// below the depth are left as they are (never read).
    #[inline(always)]
    fn points_into<const N: usize>(&self, norm: &[T; N], p: &mut LanePts<T, N>) {
        p.norm = *norm;
        p.ok = [true; N];
        for (l, &sq_norm) in norm.iter().enumerate() {
            let pt = self.net.point_from_sq_norm(sq_norm, self.dim);
            for (layer, &q) in pt.variances().iter().enumerate().take(MAX_DEPTH) {
                let [a, b] = self.map.point(q);
                p.v[layer][0][l] = a;
                p.v[layer][1][l] = b;
                p.ok[l] &= self.map.accepts(q);
            }
        }
        p.all_ok = p.ok.iter().all(|&ok| ok);
    }

    /// (Σ, Θ) of the pairs (x, zₗ): `k` holds their dot products on entry.
    #[inline(always)]
    fn eval<const N: usize>(
        &self,
        x: &LanePts<T, 1>,
        z: &LanePts<T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        coords: Coords<'_, T, N>,
    ) {
        let dots = *k;
        let mut redo = [false; N];
        if self.dense.standard && !BARE {
            self.layers::<N, true>(x, z, k, th, &mut redo);
        } else {
            self.layers::<N, false>(x, z, k, th, &mut redo);
        }
        let xn = x.norm[0];
        let mut any = !(x.all_ok && z.all_ok);
        for l in 0..N {
            redo[l] |= (dots[l] == xn) & (xn == z.norm[l]);
            any |= redo[l];
        }
        if any {
            self.exact_lanes(x, z, &redo, k, th, coords);
        }
    }

    /// The recursion on N lanes for one parameterization, one pass over the
    /// lanes per hidden layer (the first also forms x·z/d, the last also
    /// applies the readout).
    #[inline(always)]
    fn layers<const N: usize, const STANDARD: bool>(
        &self,
        x: &LanePts<T, 1>,
        z: &LanePts<T, N>,
        k: &mut [T; N],
        th: &mut [T; N],
        redo: &mut [bool; N],
    ) {
        let depth = self.net.depth().clamp(1, MAX_DEPTH);
        // The layers' rows by iterator: no bounds check (a panic path on firmware).
        for (layer, rows) in x.v.iter().zip(&z.v).enumerate().take(depth) {
            let at = (layer, depth, rows);
            if BARE {
                self.layer::<N, STANDARD, false, false>(at, k, th, redo);
                continue;
            }
            match (layer == 0, layer + 1 == depth) {
                (true, true) => self.layer::<N, STANDARD, true, true>(at, k, th, redo),
                (true, false) => self.layer::<N, STANDARD, true, false>(at, k, th, redo),
                (false, true) => self.layer::<N, STANDARD, false, true>(at, k, th, redo),
                (false, false) => self.layer::<N, STANDARD, false, false>(at, k, th, redo),
            }
        }
    }

    /// Dense + activation of hidden layer `layer` on N lanes (plus the input
    /// step if FIRST, the readout Dense if LAST).
    #[inline(always)]
    #[allow(clippy::type_complexity)]
    fn layer<const N: usize, const STANDARD: bool, const FIRST: bool, const LAST: bool>(
        &self,
        (layer, depth, (xl, [za, zb])): (usize, usize, (&[[T; 1]; 2], &[[T; N]; 2])),
        k: &mut [T; N],
        th: &mut [T; N],
        redo: &mut [bool; N],
    ) {
        let first = FIRST || (BARE && layer == 0);
        let last = LAST || (BARE && layer + 1 == depth);
        let xv = [xl[0][0], xl[1][0]];
        for l in 0..N {
            let (k_in, th_in) = if first {
                (k[l] * self.inv_d, T::ZERO)
            } else {
                (k[l], th[l])
            };
            let (kl, thl) = self.dense.apply::<STANDARD>(layer, k_in, th_in);
            let (f, fdot, flag) = self.map.apply(kl, xv, [za[l], zb[l]]);
            redo[l] |= flag;
            let tha = thl * fdot;
            (k[l], th[l]) = if last {
                self.dense.apply::<STANDARD>(layer + 1, f, tha)
            } else {
                (f, tha)
            };
        }
    }

    /// The exact recursion from the inputs ([`Network::kernels_of_inputs`],
    /// which carries the angle's gaps) for the lanes marked in `redo` and
    /// those whose points are out of the map's range.
    #[cold]
    #[inline(never)]
    fn exact_lanes<const N: usize>(
        &self,
        x: &LanePts<T, 1>,
        z: &LanePts<T, N>,
        redo: &[bool; N],
        nngp: &mut [T; N],
        ntk: &mut [T; N],
        (xc, zc): Coords<'_, T, N>,
    ) {
        let px = self.net.point_from_sq_norm(x.norm[0], self.dim);
        for l in 0..N {
            if redo[l] || !(x.ok[0] && z.ok[l]) {
                let pz = self.net.point_from_sq_norm(z.norm[l], self.dim);
                let norms = (x.norm[0], z.norm[l]);
                let Kernels { nngp: s, ntk: t } =
                    self.net
                        .kernels_of_inputs(&px, &pz, (xc, zc[l]), norms, dot(xc, zc[l]));
                nngp[l] = s;
                ntk[l] = t;
            }
        }
    }
}

// `inline(always)` down to the lane loops: so that they are compiled into
// the AVX2 and AVX-512 copies of the fill (`gram::simd`) rather than called as SSE2 code.
impl<T: LaneReal, M: LaneMap<T>, const W: usize> LaneKernel<T, W> for Lanes<T, M> {
    type Row = LanePts<T, 1>;
    type Cols = LanePts<T, W>;
    #[inline(always)]
    fn row(&self, norm: T) -> LanePts<T, 1> {
        self.points(&[norm])
    }
    #[inline(always)]
    fn cols(&self, norms: &[T; W]) -> LanePts<T, W> {
        self.points(norms)
    }
    #[inline(always)]
    fn cols_into(&self, norms: &[T; W], out: &mut LanePts<T, W>) {
        self.points_into(norms, out)
    }
    #[inline(always)]
    fn eval(
        &self,
        x: &LanePts<T, 1>,
        z: &LanePts<T, W>,
        nngp: &mut [T; W],
        ntk: &mut [T; W],
        coords: Coords<'_, T, W>,
    ) {
        Lanes::eval(self, x, z, nngp, ntk, coords)
    }
}

/// Clamps a correlation to [−1, 1] (two selects: min and max instructions).
#[inline(always)]
pub(crate) fn clamp_unit<T: LaneReal>(c: T) -> T {
    use super::float::select;
    let c = select(c < -T::ONE, -T::ONE, c);
    select(c > T::ONE, T::ONE, c)
}

/// Whether the correlation c = K/r of a pair (r = √(q₁q₂)) is [`near_unit`],
/// without the division: r ∓ K < τ·r.
#[inline(always)]
pub(crate) fn near_unit_of<T: LaneReal>(k: T, r: T) -> bool {
    let tau_r = (T::ONE - limit::<T>()) * r;
    (r - k < tau_r) | (r + k < tau_r)
}

/// Whether |c| exceeds 1 − τ (τ = 1/64 in f64, 1/16 in f32), the
/// correlations the lane maps leave to the exact path: there an ulp of c
/// moves θ by ε/sin θ ≤ 6ε, and the maps' sensitivity stays within the bounds.
#[inline(always)]
pub(crate) fn near_unit<T: LaneReal>(c: T) -> bool {
    let lim = limit::<T>();
    (c > lim) | (c < -lim)
}
