//! Checking a path or a stream: the size limit, a capture streamed whatever its size, a
//! `.msg.yaml` description encoded first, a large file read in two halves at once. Moved
//! here from the command line (`main.rs`'s `check_one`) so that a library user's
//! `Engine::check_path` and `mikeyconf check` judge a file alike.

use crate::bounded;
use crate::engine::Engine;
use crate::finding::CheckResult;
use crate::format::{self, Reader};
use std::io::Read;
use std::path::Path;

/// The octets that tell a capture (pcap or pcapng) by its magic number.
const MAGIC_LEN: usize = 4;

/// The octets a capture's first read hands its reader: enough for any header (pcapng's
/// section header block included), since the reader takes its header from one read.
const CAPTURE_HEAD: u64 = 64 * 1024;

/// The size from which a file is read in two halves at once.
const READ_IN_HALVES_FROM: usize = 4 * 1024 * 1024;

/// Judges the file at `input` (`-` is standard input), read as `as_kind` or as its content
/// says.
pub(crate) fn check_path(engine: &Engine, input: &Path, as_kind: Option<&str>) -> CheckResult {
    let name = input.display().to_string();
    if name != "-" && format::read_by_name(input) && input.is_file() {
        // A readable MIKEY message description: encode it, then check the bytes.
        let limit = engine.settings.limits.max_bytes;
        return match format::read_file(input, bounded::Limit::max_bytes(limit)) {
            Ok(bytes) if bytes.len() > limit => {
                too_big(engine, &name, as_kind, Some(bytes.len() as u64))
            }
            Ok(bytes) => engine.check(&name, &bytes, as_kind),
            Err(e) => cannot_read(&name, as_kind, std::io::Error::other(e)),
        };
    }
    // Unbuffered: a capture gets its buffer in `check_stream`, and anything else is read
    // whole into a buffer of its size.
    if name == "-" {
        return check_stream(engine, &name, std::io::stdin(), None, as_kind);
    }
    match std::fs::File::open(input) {
        Ok(f) => check_stream(engine, &name, &f, Some(&f), as_kind),
        Err(e) => cannot_read(&name, as_kind, e),
    }
}

/// Judges what `reader` yields, named `name`: one pass over it. Its first octets tell a
/// capture, which is read as a stream whatever its size; anything else is read whole, within
/// the size limit. `file`, when the reader is one, gives its size up front (an input over the
/// limit is refused unread) and lets a large one be read in two halves at once.
pub(crate) fn check_stream<R: Read + Send>(
    engine: &Engine,
    name: &str,
    mut reader: R,
    file: Option<&std::fs::File>,
    as_kind: Option<&str>,
) -> CheckResult {
    let limit = engine.settings.limits.max_bytes;
    let size = (file.and_then(|f| f.metadata().ok()))
        .filter(|m| m.is_file())
        .map(|m| m.len());
    let mut magic = [0u8; MAGIC_LEN];
    let n = match read_head(&mut reader, &mut magic) {
        Ok(n) => n,
        Err(e) => return cannot_read(name, as_kind, e),
    };
    let mut head = magic[..n].to_vec();
    if n == 0 {
        // Nothing to read, whatever kind it was named: as `Engine::check` says of it.
        return CheckResult::error(
            name,
            as_kind.unwrap_or("unknown"),
            format::empty_reason(&head),
        );
    }
    // A capture is read as a stream (its magic number is in `head`).
    let capture = match as_kind {
        Some(k) => (format::named("pcap").named_by)(k, &engine.settings),
        None => format::sniffed(&head, &engine.settings).is_some_and(|f| f.reader == Reader::Pcap),
    };
    if capture {
        if let Err(e) = (&mut reader).take(CAPTURE_HEAD).read_to_end(&mut head) {
            return cannot_read(name, as_kind, e);
        }
        let reader = std::io::BufReader::new(reader);
        return engine.check_pcap_stream(name, std::io::Cursor::new(head).chain(reader));
    }
    if size.is_some_and(|n| n > limit as u64) {
        return too_big(engine, name, as_kind, size);
    }
    if let (Some(f), Some(n)) = (file, size) {
        match read_in_halves(f, n as usize) {
            Ok(Some(whole)) => return engine.check(name, &whole, as_kind),
            Ok(None) => {} // small, or its size changed: read as a stream below
            Err(e) => return cannot_read(name, as_kind, e),
        }
    }
    match bounded::read_rest(reader, head, size, bounded::Limit::max_bytes(limit)) {
        Ok(whole) => engine.check(name, &whole, as_kind),
        Err(bounded::ReadError::TooBig(size, _)) => too_big(engine, name, as_kind, size),
        Err(bounded::ReadError::Io(e)) => cannot_read(name, as_kind, e),
    }
}

fn cannot_read(name: &str, as_kind: Option<&str>, e: std::io::Error) -> CheckResult {
    let why = format!("cannot read: {e}");
    CheckResult::error(name, as_kind.unwrap_or("unknown"), why)
}

fn too_big(engine: &Engine, name: &str, as_kind: Option<&str>, size: Option<u64>) -> CheckResult {
    let limit = bounded::Limit::max_bytes(engine.settings.limits.max_bytes);
    let why = bounded::ReadError::TooBig(size, limit);
    CheckResult::error(name, as_kind.unwrap_or("unknown"), why.to_string())
}

/// Reads up to `head.len()` octets (fewer only at the end of the input).
fn read_head(r: &mut impl Read, head: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A large file read whole by two threads, each reading one half into its half of the
/// buffer: most of a large read is faulting in the buffer's pages and copying into them,
/// which two cores do in half the time (a 15 MB response: 9 ms to 5). `None` when the file
/// is smaller, or its size changed since it was taken (then it is read as a stream).
fn read_in_halves(file: &std::fs::File, size: usize) -> std::io::Result<Option<Vec<u8>>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        if size < READ_IN_HALVES_FROM {
            return Ok(None);
        }
        // Zeroed by the allocator's fresh pages (calloc), not by a pass over them.
        let mut whole = vec![0u8; size];
        let (first, second) = whole.split_at_mut(size / 2);
        let (a, b) = rayon::join(
            || file.read_exact_at(first, 0),
            || file.read_exact_at(second, (size / 2) as u64),
        );
        match a.and(b) {
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        let mut more = [0u8; 1];
        if file.read_at(&mut more, size as u64)? > 0 {
            return Ok(None); // it grew
        }
        Ok(Some(whole))
    }
    #[cfg(not(unix))]
    {
        let _ = (file, size);
        Ok(None)
    }
}
