//! Sets of the characters below U+0800 (one or two bytes in UTF-8), a bit each, and the
//! decoding of a two-byte character: what the fast paths of normalisation, words and
//! sentences ask of each letter of the alphabets from Latin-1 to N'Ko.

/// The code point of the two-byte UTF-8 character whose bytes are `lead` (0xC2 to 0xDF)
/// and `next`.
#[inline(always)]
pub(crate) fn code(lead: u8, next: u8) -> usize {
    usize::from(lead & 0x1F) << 6 | usize::from(next & 0x3F)
}

/// A set of code points below U+0800.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CodeSet([u64; 32]);

impl CodeSet {
    /// The characters below U+0800 for which `pick` holds.
    pub(crate) fn of(mut pick: impl FnMut(char) -> bool) -> CodeSet {
        let mut bits = [0u64; 32];
        for c in (0..0x800).filter_map(char::from_u32) {
            if pick(c) {
                bits[c as usize / 64] |= 1 << (c as usize % 64);
            }
        }
        CodeSet(bits)
    }

    /// Whether code point `u` (below U+0800) is in the set.
    #[inline(always)]
    pub(crate) fn contains(&self, u: usize) -> bool {
        self.0[u / 64] >> (u % 64) & 1 == 1
    }
}
