//! Spectra: Walsh–Hadamard, hypercube, sphere, circle, quadrature, empirical.

use super::{ensure, network, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::spectrum::{self, DotProductKernel};

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "spectrum.fwht",
            run: fwht,
        },
        Entry {
            name: "spectrum.walsh_level_weights",
            run: walsh,
        },
        Entry {
            name: "spectrum.hypercube",
            run: hypercube,
        },
        Entry {
            name: "spectrum.multiplicities",
            run: multiplicities,
        },
        Entry {
            name: "spectrum.sphere",
            run: sphere,
        },
        Entry {
            name: "spectrum.circle",
            run: circle,
        },
        Entry {
            name: "spectrum.gauss_legendre",
            run: quadrature,
        },
        Entry {
            name: "spectrum.empirical",
            run: empirical,
        },
    ]
}

fn fwht(g: &mut Gen) -> Verdict {
    let len = if g.chance(3, 4) {
        1 << g.below(6)
    } else {
        g.below(40)
    };
    let mut v: Vec<f64> = g.reals(len);
    let before = v.clone();
    match spectrum::fwht(&mut v) {
        Err(_)
            if v.iter()
                .zip(&before)
                .all(|(a, b)| a.to_bits() == b.to_bits()) =>
        {
            Verdict::Err
        }
        Err(e) => Verdict::Lost(format!("written on error {e:?}")),
        Ok(()) => verdict(&Ok(()), &v, "transform"),
    }
}

fn walsh(g: &mut Gen) -> Verdict {
    let d = g.below(6);
    let mut v: Vec<f64> = g.reals(1 << d);
    let mean_sq = v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
    let mut w = vec![0.0; g.below(8)];
    let r = spectrum::walsh_level_weights(&mut v, &mut w);
    then(verdict(&r, &w, "level weights"), || {
        if r.is_err() || !mean_sq.is_finite() {
            return Verdict::Ok;
        }
        // Parseval: Σ V_k = mean f².
        let total: f64 = w.iter().sum();
        let ok = w.iter().all(|&x| x >= 0.0)
            && (total - mean_sq).abs() <= 1e-12 * mean_sq.max(f64::MIN_POSITIVE);
        ensure(ok, || format!("Σ V = {total:e}, mean f² = {mean_sq:e}"))
    })
}

/// A dot-product kernel f(t): a random network's NTK/NNGP, or a polynomial.
fn kernel(g: &mut Gen) -> Box<dyn Fn(f64) -> f64> {
    if g.chance(1, 2) {
        if let Ok(net) = network::<f64>(g) {
            let sq = g.nonneg::<f64>();
            let dim = 1 + g.size(8).min(1 << 20);
            if let Ok(k) = DotProductKernel::new(&net, sq, dim) {
                let ntk = g.chance(1, 2);
                let (net, k) = (net, k);
                let vals: Vec<f64> = (0..=64)
                    .map(|i| {
                        let t = 1.0 - 2.0 * i as f64 / 64.0;
                        if ntk {
                            k.ntk(t)
                        } else {
                            k.nngp(t)
                        }
                    })
                    .collect();
                let _ = net;
                // Piecewise-linear through the kernel's values (the closure must be 'static).
                return Box::new(move |t: f64| {
                    let u = ((1.0 - t) * 32.0).clamp(0.0, 64.0);
                    let i = (u as usize).min(63);
                    vals[i] + (u - i as f64) * (vals[i + 1] - vals[i])
                });
            }
        }
    }
    let c: Vec<f64> = g.reals(4);
    Box::new(move |t: f64| c[0] + c[1] * t + c[2] * t * t + c[3] * t * t * t)
}

fn hypercube(g: &mut Gen) -> Verdict {
    let d = if g.chance(1, 10) {
        g.size(70)
    } else {
        1 + g.below(12)
    };
    let f = kernel(g);
    let f1 = f(1.0);
    let mut lam = vec![0.0; g.below(16)];
    let r = spectrum::hypercube(d, &f, &mut lam);
    then(
        verdict(
            &r,
            &lam[..lam.len().min(d.saturating_add(1))],
            "eigenvalues",
        ),
        || {
            if r.is_err() {
                return Verdict::Ok;
            }
            // Σ C(d, k) λ_k = f(1), to rounding of the samples' size.
            let total: f64 = (0..=d)
                .map(|k| spectrum::hypercube_multiplicity::<f64>(d, k) * lam[k])
                .sum();
            let scale = (0..=d)
                .map(|h| f(1.0 - 2.0 * h as f64 / d as f64).abs())
                .fold(0.0, f64::max);
            if !total.is_finite() || scale > 1e300 {
                return Verdict::Ok; // the check's own sum overflows
            }
            ensure(
                (total - f1).abs() <= 1e-10 * scale.max(f64::MIN_POSITIVE),
                || format!("d={d} Σ = {total:e}, f(1) = {f1:e}"),
            )
        },
    )
}

fn multiplicities(g: &mut Gen) -> Verdict {
    let (d, k) = (g.size(300), g.size(300));
    let c = spectrum::hypercube_multiplicity::<f64>(d, k);
    let sym = if k <= d {
        spectrum::hypercube_multiplicity::<f64>(d, d - k)
    } else {
        0.0
    };
    let v = ensure(c >= 0.0 && c == sym, || {
        format!("C({d}, {k}) = {c:e}, C(d, d−k) = {sym:e}")
    });
    // O(k) loops: the degree stays moderate.
    let (d2, k2) = (g.size(50), g.below(200));
    let s = spectrum::sphere_multiplicity::<f64>(d2, k2);
    let p = spectrum::zonal_polynomial::<f64>(d2.min(1 << 20), k2, g.unit() * 2.0 - 1.0);
    then(v, || {
        ensure(s >= 0.0 && !p.is_nan() && p.abs() <= 1.0 + 1e-9, || {
            format!("N({d2}, {k2}) = {s:e}, P = {p:e}")
        })
    })
}

fn sphere(g: &mut Gen) -> Verdict {
    let d = if g.chance(1, 10) {
        g.size(12).min(1 << 16)
    } else {
        2 + g.below(8)
    };
    let nodes_n = g.below(80);
    let (mut x, mut w) = (vec![0.0; nodes_n], vec![0.0; nodes_n]);
    if spectrum::gauss_legendre(&mut x, &mut w).is_err() && nodes_n > 0 {
        return Verdict::Broken(format!("gauss_legendre({nodes_n}) failed"));
    }
    if g.heat > 0 && g.chance(1, 5) && nodes_n > 0 {
        let i = g.below(nodes_n);
        x[i] = g.real();
    }
    let f = kernel(g);
    let mut lam = vec![0.0; g.below(12)];
    let r = spectrum::sphere(d, &f, &x, &w, &mut lam);
    match r {
        Err(_) => Verdict::Err,
        Ok(tail) => then(verdict(&Ok(()), &lam, "eigenvalues"), || {
            ensure(tail.is_finite() && tail >= 0.0, || format!("tail {tail:e}"))
        }),
    }
}

fn circle(g: &mut Gen) -> Verdict {
    let f = kernel(g);
    let mut lam = vec![0.0; g.below(40)];
    let r = spectrum::circle(&f, &mut lam);
    then(verdict(&r, &lam, "eigenvalues"), || {
        if r.is_err() || lam.is_empty() {
            return Verdict::Ok;
        }
        // λ_k = λ_{M−k} (a real, even kernel of the angle).
        let m = lam.len();
        let scale = lam.iter().fold(0.0f64, |a, &b| a.max(b.abs()));
        let even =
            (1..m).all(|k| (lam[k] - lam[m - k]).abs() <= 1e-9 * scale.max(f64::MIN_POSITIVE));
        ensure(even, || format!("{lam:?}"))
    })
}

fn quadrature(g: &mut Gen) -> Verdict {
    let n = g.below(200);
    let (mut x, mut w) = (vec![0.0; n], vec![0.0; g.below(200)]);
    match spectrum::gauss_legendre(&mut x, &mut w) {
        Err(_) => Verdict::Err,
        Ok(()) => {
            let total: f64 = w[..n].iter().sum();
            let ok = x.iter().all(|v| v.abs() <= 1.0)
                && w[..n].iter().all(|&v| v > 0.0)
                && (total - 2.0).abs() < 1e-12;
            ensure(ok, || format!("n={n} Σw = {total}"))
        }
    }
}

fn empirical(g: &mut Gen) -> Verdict {
    let (m, stride, mut a) = super::square(g, 6);
    let len = a.len();
    let mut lam = vec![0.0; g.below(8)];
    let mut vectors = vec![0.0; len];
    let r = spectrum::empirical_strided(
        &mut a,
        m,
        stride,
        &mut lam,
        Some((&mut vectors[..], stride)),
    );
    if r.is_err() {
        return Verdict::Err;
    }
    then(verdict(&r, &lam[..m], "eigenvalues"), || {
        let desc = lam[..m].windows(2).all(|w| w[0] >= w[1]);
        let f: Vec<f64> = g.reals(m);
        let mut c = vec![0.0; m];
        let rc = spectrum::empirical_coefficients(&vectors, stride, &f, &mut c);
        then(ensure(desc, || format!("not descending {lam:?}")), || {
            verdict(&rc, &c, "coefficients")
        })
    })
}
