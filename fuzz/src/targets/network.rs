//! Network construction, kernels of a pair, per-point quantities.

use super::{ensure, network, scalar, then};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::Network;

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "network.build",
            run: build,
        },
        Entry {
            name: "network.kernels",
            run: kernels::<f64>,
        },
        Entry {
            name: "network.kernels.f32",
            run: kernels::<f32>,
        },
        Entry {
            name: "network.point",
            run: point,
        },
    ]
}

fn build(g: &mut Gen) -> Verdict {
    match network::<f64>(g) {
        Err(_) => Verdict::Err,
        Ok(net) => {
            let ok = net
                .layers()
                .iter()
                .all(|l| l.w_var().is_finite() && l.b_var().is_finite());
            ensure(ok && net.depth() >= 1, || format!("{net:?}"))
        }
    }
}

fn kernels<T: ntk::gram::LaneReal>(g: &mut Gen) -> Verdict {
    let Ok(net) = network::<T>(g) else {
        return Verdict::Err;
    };
    let d = 1 + g.size(6).min(64);
    let x: Vec<T> = g.reals(d);
    let dz = d + usize::from(g.chance(1, 20));
    let z: Vec<T> = if g.chance(1, 4) {
        x.clone()
    } else {
        g.reals(dz)
    };
    let k = net.kernels(&x, &z);
    let v = scalar(k.map(|k| k.nngp), "nngp");
    let v = then(v, || scalar(k.map(|k| k.ntk), "ntk"));
    // PSD: |K(x, z)| ≤ √(K(x, x)·K(z, z)) (to rounding).
    then(v, || match (k, net.kernels(&x, &x), net.kernels(&z, &z)) {
        (Ok(k), Ok(kx), Ok(kz)) => {
            // Rounding: relative, and absolute at the diagonal's scale; below
            // T's normal range (a kernel that underflowed) values have no
            // relative precision: an absolute MIN_POSITIVE.
            let eps = T::EPSILON.to_f64();
            let tiny = T::MIN_POSITIVE.to_f64();
            let bound = |a: T, b: T| {
                let (a, b) = (a.to_f64().max(0.0), b.to_f64().max(0.0));
                a.sqrt() * b.sqrt() * (1.0 + 1e-4) + 64.0 * eps * (a + b) + tiny
            };
            let ok = k.nngp.to_f64().abs() <= bound(kx.nngp, kz.nngp)
                && k.ntk.to_f64().abs() <= bound(kx.ntk, kz.ntk);
            ensure(ok, || {
                format!("Cauchy-Schwarz: {k:?} {kx:?} {kz:?} x={x:?} z={z:?} {net:?}")
            })
        }
        _ => Verdict::Ok,
    })
}

fn point(g: &mut Gen) -> Verdict {
    let Ok(net) = network::<f64>(g) else {
        return Verdict::Err;
    };
    let d = g.size(5).min(64);
    let x: Vec<f64> = g.reals(d);
    match Network::point(&net, &x) {
        Err(_) => Verdict::Err,
        Ok(p) => {
            let mut all = vec![p.input_variance()];
            all.extend_from_slice(p.variances());
            super::verdict(&Ok(()), &all, "layer variances")
        }
    }
}
