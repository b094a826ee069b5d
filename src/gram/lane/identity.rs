//! The lane map of the identity, φ(x) = x: F = K, Ḟ = 1 (the network is
//! linear; its kernel is the Dense layers' alone).

use super::LaneMap;
use crate::gram::float::LaneReal;

/// φ(x) = x.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Identity;

impl<T: LaneReal> LaneMap<T> for Identity {
    #[inline(always)]
    fn point(&self, _q: T) -> [T; 2] {
        [T::ZERO; 2]
    }

    #[inline(always)]
    fn apply(&self, k: T, _x: [T; 2], _z: [T; 2]) -> (T, T, bool) {
        (k, T::ONE, false)
    }
}
