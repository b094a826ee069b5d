//! The checks every pointer and length from C passes before Rust touches
//! it: null, alignment, byte sizes that overflow, overlapping buffers, and
//! the tag that says an instance was set up by its `_init`.
//!
//! The one contract C must keep (as with CMSIS-DSP): a non-null pointer
//! with a length points to that many readable (writable, for outputs)
//! elements, and an instance and its buffer are not used by two calls at
//! once. Everything else is checked here.

use crate::status::{
    NTK_ERR_MISALIGNED, NTK_ERR_NOT_INITIALIZED, NTK_ERR_NULL_POINTER, NTK_ERR_OVERLAP,
    NTK_ERR_SIZE_OVERFLOW,
};
use core::ffi::c_int;
use core::mem::{align_of, size_of};

/// A boundary result: the error is already a status code.
pub(crate) type Status<T = ()> = Result<T, c_int>;

/// Non-null and aligned for `T`.
pub(crate) fn check_ptr<T>(ptr: *const T) -> Status {
    if ptr.is_null() {
        Err(NTK_ERR_NULL_POINTER)
    } else if !ptr.is_aligned() {
        Err(NTK_ERR_MISALIGNED)
    } else {
        Ok(())
    }
}

/// `a · b`, or [`NTK_ERR_SIZE_OVERFLOW`].
pub(crate) fn mul(a: usize, b: usize) -> Status<usize> {
    a.checked_mul(b).ok_or(NTK_ERR_SIZE_OVERFLOW)
}

/// The bytes of `len` elements at `ptr`, as an address range that neither
/// wraps nor exceeds `isize::MAX` bytes (what a Rust slice may span); empty
/// for NULL (which [`slice`] refuses, and optional arguments skip).
pub(crate) fn region<T>(ptr: *const T, len: usize) -> Status<Region> {
    if ptr.is_null() {
        return Ok(Region { start: 0, end: 0 });
    }
    let bytes = mul(len, size_of::<T>())?;
    let start = ptr as usize;
    match start.checked_add(bytes) {
        Some(end) if isize::try_from(bytes).is_ok() => Ok(Region { start, end }),
        _ => Err(NTK_ERR_SIZE_OVERFLOW),
    }
}

/// A half-open range of addresses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    start: usize,
    end: usize,
}

impl Region {
    /// The bytes of one `T` at `ptr`.
    pub(crate) fn of<T>(ptr: *const T) -> Region {
        let start = ptr as usize;
        Region {
            start,
            end: start.saturating_add(size_of::<T>()),
        }
    }

    fn overlaps(self, other: Region) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// [`NTK_ERR_OVERLAP`] if `written` shares a byte with any of `others`.
pub(crate) fn disjoint(written: Region, others: &[Region]) -> Status {
    if others.iter().any(|o| written.overlaps(*o)) {
        Err(NTK_ERR_OVERLAP)
    } else {
        Ok(())
    }
}

/// A read-only slice of `len` elements at `ptr`, checked.
///
/// # Safety
/// If `ptr` is non-null and aligned, it points to `len` initialised `T`
/// that nothing writes during `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Status<&'a [T]> {
    check_ptr(ptr)?;
    region(ptr, len)?;
    // SAFETY: non-null, aligned, at most isize::MAX bytes without wrapping
    // (checked above); readable and unchanged for 'a by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A writable slice of `len` elements at `ptr`, checked.
///
/// # Safety
/// If `ptr` is non-null and aligned, it points to `len` initialised `T`
/// that nothing else reads or writes during `'a` (overlaps with the other
/// arguments of the call are checked by the caller with [`disjoint`]).
pub(crate) unsafe fn slice_mut<'a, T>(ptr: *mut T, len: usize) -> Status<&'a mut [T]> {
    check_ptr(ptr)?;
    region(ptr, len)?;
    // SAFETY: as in `slice`, and exclusive for 'a by the caller's contract.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, len) })
}

/// What an `_init` writes into a caller's instance: a tag naming the type,
/// then the value. The tag is read first, so a zeroed, never-initialised
/// or foreign instance is refused before it is interpreted.
#[repr(C)]
pub(crate) struct Tagged<V> {
    tag: u32,
    value: V,
}

/// The compile-time proof that `Tagged<V>` fits the C type `O` in size and alignment.
const fn fits<O, V>() {
    assert!(size_of::<Tagged<V>>() <= size_of::<O>());
    assert!(align_of::<Tagged<V>>() <= align_of::<O>());
}

/// Writes `value` with its `tag` into the opaque instance at `ptr`.
///
/// # Safety
/// If non-null and aligned, `ptr` points to a writable `O` that nothing
/// else uses during the call.
pub(crate) unsafe fn put<O, V>(ptr: *mut O, tag: u32, value: V) -> Status {
    const { fits::<O, V>() };
    check_ptr(ptr)?;
    // SAFETY: non-null and aligned for O, hence for Tagged<V> (align ≤,
    // checked at compile time), and O has room for it; writable by contract.
    unsafe { ptr.cast::<Tagged<V>>().write(Tagged { tag, value }) };
    Ok(())
}

/// The value of the instance at `ptr` if its tag is `tag`.
///
/// # Safety
/// If non-null and aligned, `ptr` points to a readable `O` that nothing
/// writes during `'a`; if its tag is `tag` it was written by [`put`] with a
/// `V` (tags are unique per type).
pub(crate) unsafe fn get<'a, O, V>(ptr: *const O, tag: u32) -> Status<&'a V> {
    const { fits::<O, V>() };
    check_ptr(ptr)?;
    let p = ptr.cast::<Tagged<V>>();
    // SAFETY: aligned and in bounds (as in `put`); the tag is the first
    // field of a repr(C) struct and every u32 bit pattern is valid.
    if unsafe { core::ptr::addr_of!((*p).tag).read() } != tag {
        return Err(NTK_ERR_NOT_INITIALIZED);
    }
    // SAFETY: the tag says `put` wrote a Tagged<V> here.
    Ok(unsafe { &(*p).value })
}

/// [`get`], writable.
///
/// # Safety
/// As [`get`], and nothing else reads the instance during `'a`.
pub(crate) unsafe fn get_mut<'a, O, V>(ptr: *mut O, tag: u32) -> Status<&'a mut V> {
    // SAFETY: forwarded contract.
    unsafe { get::<O, V>(ptr, tag)? };
    // SAFETY: as in `get`; exclusive by the caller's contract.
    Ok(unsafe { &mut (*ptr.cast::<Tagged<V>>()).value })
}
