//! The index file: versioned, checksummed, replaced atomically.
//!
//! Layout (integers little-endian):
//!
//! | bytes | content |
//! |---|---|
//! | 8 | magic `DUPMAPIX` |
//! | 4 | format version ([`FORMAT_VERSION`]) |
//! | 4 | header length `H` |
//! | H | header, JSON: `{"params": IndexParams, "documents": n, "added": total}` — every parameter that shapes signatures (normalisation version, shingles, num_perm, seed, scheme, banding, boilerplate document frequency) and the verification |
//! | 8 + 8·b | boilerplate: `b` (u64), then `b` segment hashes (u64, sorted) |
//! | … | ids: `n` × (u32 length, UTF-8 bytes) |
//! | 8·n | times (i64) |
//! | 4·n | shingle-set sizes (u32) |
//! | 8·n | shingle-set hashes (u64) |
//! | 4·n·num_perm | signatures (u32) |
//! | … | with exact verification: `n` × (u32 length, that many u64 shingle hashes) |
//! | 8 | xxh3-64 of every byte before it |
//!
//! Only live documents are written, in slot order; the band tables are rebuilt on load.
//!
//! [`Index::save`] writes `PATH.tmp`, flushes it to disk (`fsync`), renames it over
//! `PATH` and syncs the directory: a crash or `kill -9` at any moment leaves either the
//! previous file or the new one, both complete. [`Index::load`] checks magic, version,
//! every length against the file size and the checksum: a damaged file is an error
//! naming the file, never a panic.
//!
//! A process that changes an index holds an [`IndexLock`] on `PATH.lock` from before it
//! loads the file until after its last save, so two writers never interleave (the second
//! one stops with an error instead of overwriting the first one's additions). Readers
//! need no lock: a save replaces the file in one rename.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::{Index, IndexParams};
use crate::config::Verification;
use crate::error::{Error, Result};

/// The file's first bytes.
pub const MAGIC: &[u8; 8] = b"DUPMAPIX";
/// The format this dupmap writes and reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct Header {
    params: IndexParams,
    documents: u64,
    added: u64,
}

struct HashingWriter<W: Write> {
    inner: W,
    hash: Xxh3,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn index_error(path: &Path, reason: impl Into<String>) -> Error {
    Error::Index { path: path.to_path_buf(), reason: reason.into() }
}

/// The lock file guarding the index at `path`: `PATH.lock`.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

/// An exclusive hold on an index file for one writing process (see the module docs).
///
/// The operating system releases it when the process ends, however it ends, so a
/// killed writer never leaves the index locked; the empty `PATH.lock` file stays.
#[derive(Debug)]
pub struct IndexLock {
    _file: File,
}

impl IndexLock {
    /// Takes the lock of the index at `path` without waiting: an error names the index
    /// when another process holds it.
    pub fn acquire(path: &Path) -> Result<IndexLock> {
        let lock = lock_path(path);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock)
            .map_err(|e| index_error(path, format!("cannot open the lock file {}: {e}", lock.display())))?;
        match file.try_lock() {
            Ok(()) => Ok(IndexLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(index_error(
                path,
                "another dupmap process is changing this index; wait for it to finish \
                 (it holds the lock file beside it)",
            )),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(index_error(path, format!("cannot lock {}: {e}", lock.display())))
            }
        }
    }
}

/// The temporary file a save writes before renaming it over `path`.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

impl Index {
    /// Writes the index to `path` atomically (see the module documentation).
    pub fn save(&self, path: &Path) -> Result<()> {
        let tmp = temp_path(path);
        let io_err = |e: io::Error| index_error(path, format!("cannot write {}: {e}", tmp.display()));
        let file = File::create(&tmp).map_err(io_err)?;
        let mut w = HashingWriter { inner: BufWriter::with_capacity(1 << 20, file), hash: Xxh3::new() };
        self.write_body(&mut w).map_err(io_err)?;
        let digest = w.hash.digest();
        let mut inner = w.inner;
        inner.write_all(&digest.to_le_bytes()).map_err(io_err)?;
        let file = inner.into_inner().map_err(|e| io_err(e.into_error()))?;
        file.sync_all().map_err(io_err)?;
        drop(file);
        std::fs::rename(&tmp, path).map_err(|e| index_error(path, format!("cannot replace the index: {e}")))?;
        // Make the rename itself durable (not possible on every platform; best effort).
        if let Some(dir) = path.parent() {
            let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    fn write_body(&self, w: &mut impl Write) -> io::Result<()> {
        let live: Vec<u32> = (0..self.slots() as u32).filter(|&s| self.is_alive(s)).collect();
        let header = Header { params: self.params.clone(), documents: live.len() as u64, added: self.added };
        let header = serde_json::to_vec(&header).map_err(io::Error::other)?;
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT_VERSION.to_le_bytes())?;
        w.write_all(&(header.len() as u32).to_le_bytes())?;
        w.write_all(&header)?;
        let segments = self.boilerplate.segments();
        w.write_all(&(segments.len() as u64).to_le_bytes())?;
        for h in segments {
            w.write_all(&h.to_le_bytes())?;
        }
        for &s in &live {
            let id = self.id(s).as_bytes();
            w.write_all(&(id.len() as u32).to_le_bytes())?;
            w.write_all(id)?;
        }
        for &s in &live {
            w.write_all(&self.times[s as usize].to_le_bytes())?;
        }
        for &s in &live {
            w.write_all(&self.set_sizes[s as usize].to_le_bytes())?;
        }
        for &s in &live {
            w.write_all(&self.set_hashes[s as usize].to_le_bytes())?;
        }
        let mut buf = Vec::with_capacity(self.params.num_perm * 4);
        for &s in &live {
            buf.clear();
            buf.extend(self.signature_of(s).iter().flat_map(|v| v.to_le_bytes()));
            w.write_all(&buf)?;
        }
        if self.params.verification == Verification::Exact {
            for &s in &live {
                let set = self.set_of(s);
                w.write_all(&(set.len() as u32).to_le_bytes())?;
                buf.clear();
                buf.extend(set.iter().flat_map(|v| v.to_le_bytes()));
                w.write_all(&buf)?;
            }
        }
        Ok(())
    }

    /// Reads an index saved by [`save`](Self::save).
    pub fn load(path: &Path) -> Result<Index> {
        let file = File::open(path).map_err(|e| index_error(path, format!("cannot open: {e}")))?;
        let len = file.metadata().map_err(|e| index_error(path, format!("cannot read: {e}")))?.len();
        let damaged =
            |what: &str| index_error(path, format!("damaged index file ({what}); rebuild it or restore a copy"));
        if len < 24 {
            return Err(if len >= 8 && !std::fs::read(path).is_ok_and(|b| b.starts_with(MAGIC)) {
                index_error(path, "not a dupmap index file")
            } else {
                damaged("too short")
            });
        }
        let mut r = Body { inner: BufReader::with_capacity(1 << 20, file), hash: Xxh3::new(), left: len - 8 };
        let mut magic = [0u8; 8];
        r.bytes(&mut magic).map_err(|_| damaged("too short"))?;
        if &magic != MAGIC {
            return Err(index_error(path, "not a dupmap index file"));
        }
        let version = r.u32().map_err(|_| damaged("too short"))?;
        if version != FORMAT_VERSION {
            return Err(index_error(
                path,
                format!(
                    "index format version {version}; this dupmap reads version {FORMAT_VERSION}: build a new index"
                ),
            ));
        }
        let index = read_index(&mut r).map_err(|e| damaged(&e))?;
        if r.left != 0 {
            return Err(damaged("unexpected bytes after the data"));
        }
        let expected = r.hash.digest();
        let mut tail = [0u8; 8];
        r.inner.read_exact(&mut tail).map_err(|_| damaged("checksum missing"))?;
        if u64::from_le_bytes(tail) != expected {
            return Err(damaged("checksum mismatch"));
        }
        Ok(index)
    }
}

/// Reads the checksummed part of the file, never past it.
struct Body<R: Read> {
    inner: R,
    hash: Xxh3,
    left: u64,
}

impl<R: Read> Body<R> {
    fn bytes(&mut self, buf: &mut [u8]) -> std::result::Result<(), String> {
        if buf.len() as u64 > self.left {
            return Err("truncated".into());
        }
        self.inner.read_exact(buf).map_err(|e| format!("read failed: {e}"))?;
        self.hash.update(buf);
        self.left -= buf.len() as u64;
        Ok(())
    }
    fn u32(&mut self) -> std::result::Result<u32, String> {
        let mut b = [0u8; 4];
        self.bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }
    fn u64(&mut self) -> std::result::Result<u64, String> {
        let mut b = [0u8; 8];
        self.bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }
    /// Checks that `count` items of `size` bytes can still be in the file.
    fn room(&self, count: u64, size: u64) -> std::result::Result<(), String> {
        match count.checked_mul(size) {
            Some(n) if n <= self.left => Ok(()),
            _ => Err("truncated or impossible length".into()),
        }
    }
}

fn read_index<R: Read>(r: &mut Body<R>) -> std::result::Result<Index, String> {
    let header_len = r.u32()? as u64;
    r.room(header_len, 1)?;
    let mut header = vec![0u8; header_len as usize];
    r.bytes(&mut header)?;
    let header: Header = serde_json::from_slice(&header).map_err(|e| format!("header: {e}"))?;
    let params = header.params;
    if !(1..=1024).contains(&params.num_perm) {
        return Err(format!("header: num_perm {}", params.num_perm));
    }
    let segments = r.u64()?;
    r.room(segments, 8)?;
    let mut common = Vec::with_capacity(segments as usize);
    for _ in 0..segments {
        common.push(r.u64()?);
    }
    let n = header.documents;
    r.room(n, 4 + 8 + 4 + 8 + 4 * params.num_perm as u64)?;
    let mut index = Index::new(params).map_err(|e| format!("header: {e}"))?;
    let n = n as usize;
    index.reserve(n);
    index.added = header.added;
    for _ in 0..n {
        let len = r.u32()? as u64;
        r.room(len, 1)?;
        let mut id = vec![0u8; len as usize];
        r.bytes(&mut id)?;
        if std::str::from_utf8(&id).is_err() {
            return Err("an id is not UTF-8".into());
        }
        index.id_bytes.extend_from_slice(&id);
        index.id_ends.push(index.id_bytes.len() as u64);
    }
    for _ in 0..n {
        index.times.push(r.u64()? as i64);
    }
    for _ in 0..n {
        index.set_sizes.push(r.u32()?);
    }
    for _ in 0..n {
        index.set_hashes.push(r.u64()?);
    }
    let np = index.params.num_perm;
    let mut buf = vec![0u8; np * 4];
    for _ in 0..n {
        r.bytes(&mut buf)?;
        index.signatures.extend(buf.chunks_exact(4).map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes"))));
    }
    if index.params.verification == Verification::Exact {
        let total: u64 = index.set_sizes.iter().map(|&n| n as u64).sum();
        r.room(total, 8)?;
        index.set_data.reserve_exact(total as usize);
        index.set_ends.reserve_exact(n);
        for slot in 0..n {
            let len = r.u32()? as u64;
            if len != index.set_sizes[slot] as u64 {
                return Err("a shingle set does not have its recorded size".into());
            }
            r.room(len, 8)?;
            buf.resize(len as usize * 8, 0);
            r.bytes(&mut buf)?;
            index.set_data.extend(buf.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes"))));
            index.set_ends.push(index.set_data.len() as u64);
        }
    }
    index.boilerplate = crate::boilerplate::Boilerplate::from_segments(common);
    index.alive = vec![true; n];
    index.live = n;
    // Ids must be unique for the id table to be right.
    let mut ids: Vec<&[u8]> = (0..n as u32).map(|s| &index.id_bytes[super::arena_range(&index.id_ends, s)]).collect();
    ids.sort_unstable();
    if ids.windows(2).any(|w| w[0] == w[1]) {
        return Err("an id appears twice".into());
    }
    index.finish_load();
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boilerplate::Boilerplate;
    use crate::config::ScanConfig;

    fn small(verification: Verification) -> Index {
        let config = ScanConfig::builder().verification(verification).num_perm(16).threshold(0.5).build().unwrap();
        let bp = Boilerplate::from_segments([7, 3, 11]);
        let mut idx = Index::new(IndexParams::from_config(&config)).unwrap().with_boilerplate(bp, 20);
        let mut sk = idx.sketcher();
        let probes: Vec<_> = (0..20)
            .map(|i| {
                idx.prepare(&mut sk, &format!("document number {i} says something about {} and more words here", i * 7))
            })
            .collect();
        drop(sk);
        for (i, p) in probes.into_iter().enumerate() {
            idx.insert(&format!("id-{i}-é"), 1_700_000_000 + i as i64, p);
        }
        idx.remove("id-3-é");
        idx
    }

    #[test]
    fn save_and_load_round_trip() {
        for v in [Verification::Exact, Verification::Estimate] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("idx");
            let idx = small(v);
            idx.save(&path).unwrap();
            assert!(!temp_path(&path).exists());
            let back = Index::load(&path).unwrap();
            assert_eq!(back.len(), 19);
            assert_eq!(back.params(), idx.params());
            assert_eq!(back.find_id("id-3-é"), None);
            assert_eq!(back.boilerplate().segments(), [3, 7, 11]);
            assert_eq!(back.params().boilerplate_min_docs, 20);
            let slot = back.find_id("id-7-é").unwrap();
            assert_eq!(back.time(slot), 1_700_000_007);
            let (a, b) = (idx.find_id("id-7-é").unwrap(), slot);
            assert_eq!(idx.signature_of(a), back.signature_of(b));
            if v == Verification::Exact {
                assert_eq!(idx.set_of(a), back.set_of(b));
            }
            // Saving the loaded index gives the same bytes.
            let again = dir.path().join("again");
            back.save(&again).unwrap();
            assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&again).unwrap());
        }
    }

    #[test]
    fn every_truncation_and_flipped_byte_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("idx");
        small(Verification::Exact).save(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let bad = dir.path().join("bad");
        for cut in 0..bytes.len() {
            std::fs::write(&bad, &bytes[..cut]).unwrap();
            let err = Index::load(&bad).unwrap_err().to_string();
            assert!(err.contains("bad"), "{err}");
        }
        for at in (0..bytes.len()).step_by(7) {
            let mut b = bytes.clone();
            b[at] ^= 0x41;
            std::fs::write(&bad, &b).unwrap();
            assert!(Index::load(&bad).is_err(), "flipped byte {at} not noticed");
        }
        std::fs::write(&bad, b"{\"id\": 1}\n{\"id\": 2}\n{\"id\": 3}\n").unwrap();
        assert!(Index::load(&bad).unwrap_err().to_string().contains("not a dupmap index file"));
        let mut newer = bytes.clone();
        newer[8] = 9;
        std::fs::write(&bad, &newer).unwrap();
        assert!(Index::load(&bad).unwrap_err().to_string().contains("format version 9"));
    }
}
