//! Every span dupmap reports slices the original document on UTF-8 boundaries, whatever
//! the script, the normalisation and the repeats (property test through the library).

use dupmap::{scan, Document, NoProgress, ScanConfig};
use proptest::prelude::*;

/// Words from several scripts, with characters normalisation changes (ligature, full
/// width, combining accent, curly quotes, soft hyphen).
const WORDS: &[&str] = &[
    "Tehran",
    "ceasefire",
    "\u{FB01}nance",
    "\u{FF21}\u{FF22}C",
    "Cafe\u{301}",
    "\u{201C}quoted\u{201D}",
    "co\u{AD}op",
    "Москва",
    "Ἀθῆναι",
    "東京都",
    "ภาษาไทย",
    "1,200",
    "U.S.",
    "naïve",
    "Straße",
    "—",
    "said",
    "the",
    "council",
    "vote",
];

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(WORDS), 6..14).prop_map(|w| format!("{}.", w.join(" ")))
}

fn document() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(sentence(), 1..8)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn passage_spans_slice_the_original(docs in prop::collection::vec(document(), 2..5), copy_from in 0usize..4) {
        let mut texts: Vec<String> = docs.iter().map(|d| d.join(if d.len() % 2 == 0 { " " } else { "\n" })).collect();
        // A copy with a new first line, and a document repeating a sentence of its own,
        // so that there are passages to check. The generated sentences can be a few of
        // the corpus's commonest words, which are rightly no evidence of copying; a
        // distinctive sentence next to them makes sure each has a passage, which then
        // runs through the generated text when that is copied too.
        const MARK: &str = "Quokka lighthouse keepers measured vermilion tapestries at the solstice fair.";
        const SELF: &str = "Zanzibar ferrymen hauled cinnamon crates past the harbour cranes.";
        let src = copy_from % texts.len();
        texts[src] = format!("{}\n{MARK}", texts[src]);
        texts.push(format!("A new headline here\n{}", texts[src]));
        texts.push(format!("{} {SELF} Something else. {} {SELF}", docs[0][0], docs[0][0]));
        let documents: Vec<Document> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| Document { id: format!("d{i}"), source: format!("d{i}"), text: t.as_str().into() })
            .collect();
        let result = scan(&documents, &ScanConfig::default(), &NoProgress).unwrap();
        let map = result.passages.expect("passages are on by default");
        prop_assert!(!map.pairs.is_empty());
        for p in &map.pairs {
            let (ta, tb) = (&documents[p.a.index()].text, &documents[p.b.index()].text);
            for s in &p.passages {
                for (t, span) in [(ta, s.a), (tb, s.b)] {
                    prop_assert!(span.start < span.end && span.end as usize <= t.len());
                    prop_assert!(t.is_char_boundary(span.start as usize) && t.is_char_boundary(span.end as usize));
                }
            }
        }
        for c in &map.clusters {
            for &(d, span) in &c.occurrences {
                let t = &documents[d.index()].text;
                prop_assert!(t.is_char_boundary(span.start as usize) && t.is_char_boundary(span.end as usize));
            }
        }
    }
}
