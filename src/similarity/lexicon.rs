//! Word lists: English stop words and negations.

/// The classic NLTK English stop-word list (179 words), sorted for binary search.
///
/// Matched against the normalised (lower-cased, quote-folded) word, never its stem.
pub const STOP_WORDS: [&str; 179] = [
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "ain",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "aren't",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "couldn",
    "couldn't",
    "d",
    "did",
    "didn",
    "didn't",
    "do",
    "does",
    "doesn",
    "doesn't",
    "doing",
    "don",
    "don't",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "hadn",
    "hadn't",
    "has",
    "hasn",
    "hasn't",
    "have",
    "haven",
    "haven't",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "isn",
    "isn't",
    "it",
    "it's",
    "its",
    "itself",
    "just",
    "ll",
    "m",
    "ma",
    "me",
    "mightn",
    "mightn't",
    "more",
    "most",
    "mustn",
    "mustn't",
    "my",
    "myself",
    "needn",
    "needn't",
    "no",
    "nor",
    "not",
    "now",
    "o",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "re",
    "s",
    "same",
    "shan",
    "shan't",
    "she",
    "she's",
    "should",
    "should've",
    "shouldn",
    "shouldn't",
    "so",
    "some",
    "such",
    "t",
    "than",
    "that",
    "that'll",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "ve",
    "very",
    "was",
    "wasn",
    "wasn't",
    "we",
    "were",
    "weren",
    "weren't",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "won",
    "won't",
    "wouldn",
    "wouldn't",
    "y",
    "you",
    "you'd",
    "you'll",
    "you're",
    "you've",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// Words that negate, sorted; a word ending in `n't` negates too (see [`is_negation`]).
pub const NEGATIONS: [&str; 11] =
    ["cannot", "neither", "never", "no", "nobody", "none", "nor", "not", "nothing", "nowhere", "without"];

/// True for a stop word (normalised form).
pub fn is_stop_word(word: &str) -> bool {
    // A hash set: one hash and one comparison instead of a binary search's eight.
    static SET: std::sync::OnceLock<ahash::AHashSet<&'static str>> = std::sync::OnceLock::new();
    word.len() <= LONGEST_STOP_WORD && SET.get_or_init(|| STOP_WORDS.iter().copied().collect()).contains(word)
}

/// [`is_stop_word`] of a word whose [`word_hash`](crate::text::word_hash) (as
/// [`Token::hash`](crate::text::Token)) is `hash`: a bit per hash prefix rules out most
/// words without hashing the word again; the rest are looked up.
#[inline]
pub fn is_stop_word_hashed(word: &str, hash: u64) -> bool {
    static BITS: std::sync::OnceLock<[u64; 64]> = std::sync::OnceLock::new();
    let bits = BITS.get_or_init(|| {
        let mut bits = [0u64; 64];
        for w in STOP_WORDS {
            let b = (crate::text::word_hash(w.as_bytes()) >> 52) as usize;
            bits[b >> 6] |= 1 << (b & 63);
        }
        bits
    });
    let b = (hash >> 52) as usize;
    bits[b >> 6] & (1 << (b & 63)) != 0 && is_stop_word(word)
}

/// Bytes of the longest stop word.
const LONGEST_STOP_WORD: usize = 10;

/// True for a negation: one of [`NEGATIONS`], or a word ending in `n't`.
pub fn is_negation(word: &str) -> bool {
    word.ends_with("n't") || NEGATIONS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_stop_word() {
        assert_eq!(STOP_WORDS.iter().map(|w| w.len()).max(), Some(LONGEST_STOP_WORD));
    }

    #[test]
    fn lists_are_sorted_and_distinct() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(NEGATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn lookups() {
        assert!(is_stop_word("the") && is_stop_word("don't") && !is_stop_word("news"));
        let hashed = |w: &str| is_stop_word_hashed(w, crate::text::word_hash(w.as_bytes()));
        assert!(STOP_WORDS.iter().all(|w| hashed(w)));
        assert!(!hashed("news") && !hashed("theirs'") && !hashed(""));
        assert!(is_negation("never") && is_negation("wasn't") && is_negation("can't") && !is_negation("now"));
    }
}
