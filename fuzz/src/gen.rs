//! Adversarial inputs: sizes near `usize::MAX`, 0, NaN, ±∞, subnormals,
//! huge and tiny values, duplicates, (anti)parallel points, mixed with
//! ordinary values so that calls reach past the argument checks.

use ntk::Real;

/// A splitmix64 stream: fast, seedable, no dependency.
pub struct Gen {
    state: u64,
    /// 0 = ordinary values only, higher = more adversarial (drawn per input).
    pub heat: u32,
}

impl Gen {
    pub fn new(seed: u64) -> Self {
        Gen {
            state: seed,
            heat: 0,
        }
    }

    pub fn u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.u64() % n as u64) as usize
    }

    pub fn chance(&mut self, num: u32, den: u32) -> bool {
        (self.u64() % den as u64) < num as u64
    }

    pub fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A new input: its heat (0: 50%, 1: 30%, 2: 20%).
    pub fn start(&mut self) {
        self.heat = match self.below(10) {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        };
    }

    /// A value: ordinary (|x| ≲ 3) or, with the heat, special.
    pub fn real<T: Real>(&mut self) -> T {
        let special = match self.heat {
            0 => false,
            1 => self.chance(1, 20),
            _ => self.chance(1, 4),
        };
        if !special {
            return T::from_f64(self.unit() * 6.0 - 3.0);
        }
        let sign = if self.chance(1, 2) { -1.0 } else { 1.0 };
        let v = match self.below(14) {
            0 => f64::NAN,
            1 => f64::INFINITY,
            2 => 0.0,
            3 => f64::MAX,
            4 => f64::MIN_POSITIVE,
            5 => 5e-324,
            6 => 1e-310,
            7 => f32::MAX as f64,
            8 => f32::MIN_POSITIVE as f64 / 3.0,
            9 => 10f64.powi(self.below(617) as i32 - 308),
            10 => 1e154,
            11 => 1e19,
            12 => f64::from_bits(self.u64()),
            _ => f64::EPSILON,
        };
        T::from_f64(sign * v)
    }

    /// A non-negative value (a standard deviation, a ridge, a variance).
    pub fn nonneg<T: Real>(&mut self) -> T {
        let v: T = self.real();
        if self.heat > 0 && self.chance(1, 30) {
            v
        } else {
            v.abs()
        }
    }

    /// A size: small, or (with the heat) near the ends of `usize`.
    pub fn size(&mut self, small: usize) -> usize {
        let special = match self.heat {
            0 => false,
            1 => self.chance(1, 30),
            _ => self.chance(1, 6),
        };
        if !special {
            return self.below(small + 1);
        }
        match self.below(8) {
            0 => usize::MAX,
            1 => usize::MAX - 1,
            2 => usize::MAX / 2 + 1,
            3 => 1 << 32,
            4 => 1 << 63,
            5 => (1 << 32) + 1,
            6 => 0,
            _ => 1 << self.below(64),
        }
    }

    /// `len` values; with the heat, some repeat earlier ones or negate them
    /// (duplicate and antiparallel points).
    pub fn reals<T: Real>(&mut self, len: usize) -> Vec<T> {
        let mut v: Vec<T> = (0..len).map(|_| self.real()).collect();
        if self.heat > 0 && len >= 2 && self.chance(1, 3) {
            let block = 1 + self.below(len / 2);
            let neg = self.chance(1, 2);
            for i in block..len.min(2 * block) {
                v[i] = if neg { -v[i - block] } else { v[i - block] };
            }
        }
        v
    }
}
