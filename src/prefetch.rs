//! Cache prefetch hints: asking for memory that will be read soon, so that the waits of
//! many misses overlap instead of coming one after another. Nothing on targets other
//! than x86-64.

/// Hints that the cache line holding `p` will be read soon. `p` need not be valid: it is
/// never dereferenced.
#[inline]
pub(crate) fn line<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints at an address and never faults; nothing is read.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p.cast())
    };
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Hints that the cache lines of `v` will be read soon.
#[inline]
pub(crate) fn slice<T>(v: &[T]) {
    let start = v.as_ptr().cast::<u8>();
    let skip = start as usize % 64;
    for offset in (0..skip + std::mem::size_of_val(v)).step_by(64) {
        line(start.wrapping_add(offset).wrapping_sub(skip));
    }
}
