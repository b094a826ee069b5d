//! Gram tiles and matrices, point sets, the mirror of an upper triangle.

use super::{ensure, network, scalar, then, verdict};
use crate::gen::Gen;
use crate::{Entry, Verdict};
use ntk::gram::{mirror_upper, ColMajor, Gram, LaneReal, Output, Points, RowMajor, Tile};
use ntk::Real;

pub fn entries() -> Vec<Entry> {
    vec![
        Entry {
            name: "gram.entry",
            run: entry::<f64>,
        },
        Entry {
            name: "gram.entry.f32",
            run: entry::<f32>,
        },
        Entry {
            name: "gram.tile",
            run: tile::<f64>,
        },
        Entry {
            name: "gram.tile.f32",
            run: tile::<f32>,
        },
        Entry {
            name: "gram.symmetric",
            run: symmetric::<f64>,
        },
        Entry {
            name: "gram.mirror_upper",
            run: mirror,
        },
        Entry {
            name: "gram.points",
            run: points,
        },
    ]
}

fn entry<T: LaneReal>(g: &mut Gen) -> Verdict {
    let Ok(net) = network::<T>(g) else {
        return Verdict::Err;
    };
    let d = 1 + g.below(6);
    let x: Vec<T> = g.reals(d);
    let z: Vec<T> = if g.chance(1, 4) {
        x.clone()
    } else {
        g.reals(d)
    };
    let k = Gram::new(net).entry(&x, &z);
    then(scalar(k.map(|k| k.nngp), "nngp"), || {
        scalar(k.map(|k| k.ntk), "ntk")
    })
}

/// Row-major tiles (the whole matrix sometimes), with strides and buffer
/// lengths drawn; every written entry equals `Gram::entry` bit for bit.
fn tile<T: LaneReal>(g: &mut Gen) -> Verdict {
    let Ok(net) = network::<T>(g) else {
        return Verdict::Err;
    };
    let gram = Gram::new(net);
    let d = 1 + g.below(4);
    let (n, m) = (g.below(7), g.below(7));
    let xs: Vec<T> = g.reals(n * d);
    let zs: Vec<T> = if g.chance(1, 4) {
        xs.clone()
    } else {
        g.reals(m * d)
    };
    let (Ok(x), Ok(z)) = (Points::new(&xs, d), Points::new(&zs, d)) else {
        return Verdict::Err;
    };
    let range = |g: &mut Gen, len: usize| {
        let a = g.size(len);
        let b = if g.heat > 0 && g.chance(1, 10) {
            g.size(len)
        } else {
            a.max(g.below(len + 1))
        };
        a..b
    };
    let t = Tile::new(range(g, x.len()), range(g, z.len()));
    let cols = t.cols.end.saturating_sub(t.cols.start);
    let stride = if g.chance(1, 8) {
        g.size(8)
    } else {
        cols.saturating_add(g.below(3))
    };
    let len = match t.checked_len(stride) {
        Some(l) if g.chance(9, 10) => l.min(1 << 12),
        _ => g.below(64),
    };
    let (mut s, mut k) = (vec![T::from_f64(-7.0); len], vec![T::from_f64(-7.0); len]);
    let col_major = g.chance(1, 5);
    let which = if col_major { 2 } else { g.below(3) };
    let out = match (col_major, which) {
        (false, 0) => Output::nngp(RowMajor(&mut s, stride)),
        (false, 1) => Output::ntk(RowMajor(&mut k, stride)),
        (false, _) => Output::both(RowMajor(&mut s, stride), RowMajor(&mut k, stride)),
        (true, _) => Output::both(ColMajor(&mut s, stride), ColMajor(&mut k, stride)),
    };
    let r = gram.tile(&x, &z, t.clone(), out);
    if r.is_err() {
        let untouched = s.iter().chain(&k).all(|&v| v == T::from_f64(-7.0));
        return match r {
            // Documented: a NonFinite found after the fill leaves the tile written.
            Err(ntk::Error::NonFinite { .. }) => Verdict::Err,
            _ if untouched => Verdict::Err,
            _ => Verdict::Lost(format!("written on error {r:?}")),
        };
    }
    let mut written = Vec::new();
    for (i, a) in t.rows.clone().enumerate() {
        for (j, b) in t.cols.clone().enumerate() {
            let at = if col_major {
                j * stride + i
            } else {
                i * stride + j
            };
            written.push((a, b, s[at], k[at]));
        }
    }
    let values: Vec<T> = written
        .iter()
        .flat_map(|w| [(which != 1).then_some(w.2), (which != 0).then_some(w.3)])
        .flatten()
        .collect();
    then(verdict(&r, &values, "tile entries"), || {
        for &(a, b, sv, kv) in &written {
            if let Ok(e) = gram.entry(x.point(a), z.point(b)) {
                let s_bad = which != 1 && e.nngp.to_bits_u64() != sv.to_bits_u64();
                let k_bad = which != 0 && e.ntk.to_bits_u64() != kv.to_bits_u64();
                if s_bad || k_bad {
                    return Verdict::Broken(format!(
                        "tile ({a}, {b}) {sv:?}/{kv:?} != entry {e:?}"
                    ));
                }
            }
        }
        Verdict::Ok
    })
}

/// Bits of a value, for bitwise comparisons in either precision.
trait Bits {
    fn to_bits_u64(self) -> u64;
}
impl<T: Real> Bits for T {
    fn to_bits_u64(self) -> u64 {
        self.to_f64().to_bits()
    }
}

/// Tile extension: the length check the driver uses (no overflow).
trait CheckedLen {
    fn checked_len(&self, stride: usize) -> Option<usize>;
}
impl CheckedLen for Tile {
    fn checked_len(&self, stride: usize) -> Option<usize> {
        let r = self.rows.end.checked_sub(self.rows.start)?;
        let c = self.cols.end.checked_sub(self.cols.start)?;
        if r == 0 {
            return Some(0);
        }
        (r - 1).checked_mul(stride)?.checked_add(c)
    }
}

fn symmetric<T: LaneReal>(g: &mut Gen) -> Verdict {
    let Ok(net) = network::<T>(g) else {
        return Verdict::Err;
    };
    let d = 1 + g.below(4);
    let n = g.below(8);
    let xs: Vec<T> = g.reals(n * d);
    let Ok(x) = Points::new(&xs, d) else {
        return Verdict::Err;
    };
    let stride = if g.chance(1, 8) {
        g.size(8)
    } else {
        n + g.below(2)
    };
    let len = if n == 0 {
        0
    } else {
        (n - 1).saturating_mul(stride).saturating_add(n).min(4096)
    };
    let mut k = vec![T::ZERO; len];
    let r = Gram::new(net).symmetric(&x, Output::ntk(RowMajor(&mut k, stride)));
    then(verdict(&r, &k, "symmetric Gram"), || {
        if r.is_err() {
            return Verdict::Ok;
        }
        let sym = (0..n).all(|i| {
            (0..n).all(|j| k[i * stride + j].to_bits_u64() == k[j * stride + i].to_bits_u64())
        });
        ensure(sym, || format!("not symmetric: {k:?}"))
    })
}

fn mirror(g: &mut Gen) -> Verdict {
    let n = g.size(9);
    let stride = if g.chance(1, 3) {
        g.size(12)
    } else {
        n.saturating_add(g.below(2))
    };
    let len = g.below(128);
    let mut buf: Vec<f64> = (0..len).map(|i| i as f64).collect();
    let before = buf.clone();
    match mirror_upper(&mut buf, n, stride) {
        Err(_) if buf == before => Verdict::Err,
        Err(e) => Verdict::Lost(format!("written on error {e:?}")),
        Ok(()) => {
            let sym = (0..n).all(|i| (0..n).all(|j| buf[i * stride + j] == buf[j * stride + i]));
            ensure(sym, || format!("n={n} stride={stride}: not symmetric"))
        }
    }
}

fn points(g: &mut Gen) -> Verdict {
    let len = g.below(12);
    let data: Vec<f64> = g.reals(len);
    let d = g.size(4);
    let Ok(p) = Points::new(&data, d) else {
        return Verdict::Err;
    };
    let i = g.size(6);
    let got = p.get(i).map(|s| (s.as_ptr(), s.len()));
    let want = (i < p.len()).then(|| (data[i * d..].as_ptr(), d));
    let v = ensure(got == want, || format!("get({i}) = {got:?}, want {want:?}"));
    then(v, || {
        let (a, b) = (g.size(6), g.size(6));
        match p.slice(a..b) {
            Ok(s) => ensure(a <= b && b <= p.len() && s.len() == b - a, || {
                format!("slice {a}..{b}")
            }),
            Err(_) => ensure(a > b || b > p.len(), || format!("slice {a}..{b} refused")),
        }
    })
}
