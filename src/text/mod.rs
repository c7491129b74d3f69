//! Text handling: normalisation with offset maps, tokens, shingles, spans.

pub mod normalize;
pub mod sentence;
pub mod shingle;
pub mod span;
pub mod token;
mod two_byte;

pub use normalize::{normalize, Normalized, NORMALIZATION_VERSION};
pub use shingle::{for_each_shingle, Shingle, ShingleKind, Shingling};
pub use span::{DocId, Span};
pub use token::{word_hash, Token, Tokenizer, WordPlaces};
