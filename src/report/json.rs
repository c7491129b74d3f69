//! The JSON report writer (the format is [`Report`]).

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use super::Report;

/// Writes the report as pretty-printed JSON followed by a newline: the bytes of
/// `serde_json::to_writer_pretty` and a newline.
///
/// The long arrays (documents, clusters, pairs) are rendered a few thousand entries at
/// a time, the entries in parallel and each round while the round before is written,
/// and written in order: pretty-printed JSON puts every value on lines of its own, so
/// an entry rendered on its own, indented as deep as it lies (by a formatter that starts
/// at its depth), is what the whole-report printer writes.
pub fn write_json(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    let Report { schema, params, summary, documents, duplicate_clusters, pairs, passage_clusters, errors } = report;
    out.write_all(b"{\n")?;
    field(&mut out, "schema", schema, false)?;
    field(&mut out, "params", params, false)?;
    field(&mut out, "summary", summary, false)?;
    array_field(&mut out, "documents", documents, false)?;
    array_field(&mut out, "duplicate_clusters", duplicate_clusters, false)?;
    array_field(&mut out, "pairs", pairs, false)?;
    if let Some(passage_clusters) = passage_clusters {
        array_field(&mut out, "passage_clusters", passage_clusters, false)?;
    }
    array_field(&mut out, "errors", errors, true)?;
    out.write_all(b"}\n")?;
    out.flush()
}

/// Entries of an array rendered together by one task of [`write_json`].
const ENTRIES_PER_TASK: usize = 1024;
/// Tasks whose output is held at once.
const TASKS_PER_ROUND: usize = 16;

/// Appends `value` pretty-printed as it is `depth` levels deep in the report: each line
/// after the first indented by `depth` more levels than `serde_json::to_vec_pretty`
/// indents it.
fn render(value: &impl Serialize, depth: usize, buf: &mut Vec<u8>) {
    let mut serializer = serde_json::Serializer::with_formatter(buf, Nested { depth, has_value: false });
    value.serialize(&mut serializer).expect("report values serialize");
}

/// serde_json's `PrettyFormatter` (two spaces a level) for a value `depth` levels deep:
/// the value is written where it goes, without being printed alone and indented line
/// by line after.
struct Nested {
    depth: usize,
    /// Whether the array or object being written has a value yet.
    has_value: bool,
}

impl Nested {
    /// A line break and the current level's indent, after `,` unless `first`.
    fn new_line(&self, out: &mut (impl Write + ?Sized), first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(out)
    }

    fn indent(&self, out: &mut (impl Write + ?Sized)) -> std::io::Result<()> {
        const SPACES: &[u8; 32] = b"                                ";
        for _ in 0..self.depth / 16 {
            out.write_all(SPACES)?;
        }
        out.write_all(&SPACES[..2 * (self.depth % 16)])
    }

    /// The start of an array or object, one level deeper.
    fn begin(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// The end of an array or object: on a line of its own when it has values.
    fn end(&mut self, out: &mut (impl Write + ?Sized), bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            self.indent(out)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.begin(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.end(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.new_line(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.begin(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.end(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, out: &mut W, first: bool) -> std::io::Result<()> {
        self.new_line(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.end_array_value(out)
    }
}

/// The entries of round `r` of [`array_field`], each task's share rendered on its own:
/// `    entry` lines, separated by `,\n` (and preceded by one but in the first round).
fn render_round<T: Serialize + Sync>(r: usize, round: &[T]) -> Vec<Vec<u8>> {
    round
        .par_chunks(ENTRIES_PER_TASK)
        .enumerate()
        .map(|(t, chunk)| {
            let mut buf = Vec::new();
            for (i, entry) in chunk.iter().enumerate() {
                if r > 0 || t > 0 || i > 0 {
                    buf.extend_from_slice(b",\n");
                }
                buf.extend_from_slice(b"    ");
                render(entry, 2, &mut buf);
            }
            buf
        })
        .collect()
}

/// One member of the report object: `  "name": value` and its separator.
fn field(out: &mut impl Write, name: &str, value: &impl Serialize, last: bool) -> std::io::Result<()> {
    let mut buf = Vec::new();
    key(name, &mut buf);
    render(value, 1, &mut buf);
    buf.extend_from_slice(if last { b"\n" } else { b",\n" });
    out.write_all(&buf)
}

fn key(name: &str, buf: &mut Vec<u8>) {
    buf.extend_from_slice(b"  ");
    buf.extend_from_slice(serde_json::to_string(name).expect("a key serializes").as_bytes());
    buf.extend_from_slice(b": ");
}

/// A member of the report object whose value is an array, its entries rendered in
/// parallel.
fn array_field<T: Serialize + Sync>(
    out: &mut impl Write,
    name: &str,
    entries: &[T],
    last: bool,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    key(name, &mut head);
    if entries.is_empty() {
        head.extend_from_slice(b"[]");
    } else {
        head.extend_from_slice(b"[\n");
    }
    out.write_all(&head)?;
    // Each round is rendered in the pool while this thread writes the round before.
    let mut rounds = entries.chunks(ENTRIES_PER_TASK * TASKS_PER_ROUND).enumerate();
    let mut rendered: Vec<Vec<u8>> = Vec::new();
    loop {
        let round = rounds.next();
        let mut next = Vec::new();
        let mut written = Ok(());
        rayon::in_place_scope(|scope| {
            if let Some((r, round)) = round {
                let next = &mut next;
                scope.spawn(move |_| *next = render_round(r, round));
            }
            written = rendered.iter().try_for_each(|buf| out.write_all(buf));
        });
        written?;
        if round.is_none() {
            break;
        }
        rendered = next;
    }
    if !entries.is_empty() {
        out.write_all(b"\n  ]")?;
    }
    out.write_all(if last { b"\n" } else { b",\n" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InputError;
    use crate::passage::PassageKind;
    use crate::report::*;
    use crate::verify::Relation;

    fn report(documents: usize, pairs: usize, passages: bool, errors: usize) -> Report {
        let id = |i: usize| format!("d\"{i}\\\n\u{e9}");
        Report {
            schema: SCHEMA.to_string(),
            params: Params {
                seed: 7,
                num_perm: 128,
                minhash: crate::minhash::MinHashScheme::Classic,
                shingles: "words:4".into(),
                bands: 64,
                rows: 2,
                threshold: 0.25,
                containment_threshold: 0.45,
                duplicate_ratio: 0.9,
                overlap_threshold: 0.2,
                boilerplate_min_docs: 20,
                verification: crate::config::Verification::Exact,
                normalization: 2,
                passage_threshold: passages.then_some(0.5),
            },
            summary: Summary { documents, errors, ..Summary::default() },
            documents: (0..documents)
                .map(|i| DocumentEntry { id: id(i), source: format!("f.jsonl:{i}"), bytes: i * 31 })
                .collect(),
            duplicate_clusters: (0..documents / 3)
                .map(|i| ClusterEntry { id: i, representative: id(3 * i), members: vec![id(3 * i), id(3 * i + 1)] })
                .collect(),
            pairs: (0..pairs)
                .map(|i| PairEntry {
                    a: id(i),
                    b: id(i + 1),
                    relation: [Relation::Duplicate, Relation::Overlap, Relation::ContainedBy][i % 3],
                    jaccard: round4(i as f64 / 7.0),
                    containment_a: 1.0,
                    containment_b: 0.0,
                    coverage_a: passages.then_some(0.25),
                    coverage_b: passages.then_some(1.0 / 3.0),
                    derived: None,
                    passages: passages.then(|| {
                        (0..i % 3)
                            .map(|k| PassageEntry {
                                a_start: k as u32,
                                a_end: 9,
                                b_start: 0,
                                b_end: 4,
                                kind: PassageKind::Reworded,
                                score: 0.75,
                            })
                            .collect()
                    }),
                })
                .collect(),
            passage_clusters: passages.then(|| {
                (0..pairs / 2)
                    .map(|i| PassageClusterEntry {
                        id: i,
                        kind: PassageKind::Verbatim,
                        passages: vec![Occurrence { doc: id(i), start: 1, end: 5 }],
                    })
                    .collect()
            }),
            errors: (0..errors).map(|i| InputError::new(format!("f:{i}"), "bad\nline")).collect(),
        }
    }

    #[test]
    fn nested_values_are_rendered_as_serde_indents_them() {
        let deep = (0..20).fold(serde_json::json!([{}, []]), |v, i| serde_json::json!({ "level": i, "inner": [v] }));
        for value in [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": {}, "b": [], "c": [{"d": []}, {}, [[]]], "e": "x\ny", "f": [1.5, null]}),
            deep,
        ] {
            let pretty = serde_json::to_vec_pretty(&value).unwrap();
            for depth in [0, 1, 2, 17] {
                let indent = " ".repeat(2 * depth);
                let want = String::from_utf8(pretty.clone()).unwrap().replace('\n', &format!("\n{indent}"));
                let mut got = Vec::new();
                render(&value, depth, &mut got);
                assert_eq!(String::from_utf8(got).unwrap(), want, "depth {depth}");
            }
        }
    }

    #[test]
    fn parallel_writer_writes_what_serde_writes() {
        for (documents, pairs, passages, errors) in [
            (0, 0, false, 0),
            (1, 0, false, 1),
            (5, 3, true, 2),
            (2000, 1500, false, 0),
            (40_000, 17_000, true, 3),
            (ENTRIES_PER_TASK * TASKS_PER_ROUND, 1, true, 0),
        ] {
            let r = report(documents, pairs, passages, errors);
            let mut want = serde_json::to_vec_pretty(&r).unwrap();
            want.push(b'\n');
            let mut got = Vec::new();
            write_json(&r, &mut got).unwrap();
            assert!(got == want, "{documents} documents, {pairs} pairs, passages {passages}, {errors} errors");
        }
    }
}
