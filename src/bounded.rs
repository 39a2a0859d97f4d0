//! The one bounded reader: every input the tool reads (files, standard input, FIFOs,
//! devices, files a trace names, keyrings, settings, config files, profiles, rule tables)
//! is read through here. It stops at the applicable limit + 1 octet, never allocates more
//! than that whatever a file's size claims, refuses a regular file over the limit before
//! reading it (a sparse 1 GB file costs nothing), and names the limit that was hit.

use std::io::Read;
use std::path::Path;

/// A limit on how many octets one input may have, and its name in errors.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub bytes: usize,
    /// What the user changes to move it: "setting limits.max_bytes".
    pub name: &'static str,
}

/// The limit of a settings, config, profile, keyring or rule-table file: these are read
/// before the settings exist, so the limit is fixed (the default of `limits.max_bytes`).
pub const CONFIG_FILE: Limit = Limit {
    bytes: 16 * 1024 * 1024,
    name: "the fixed limit for a settings, config, profile, keyring or rule file",
};

impl Limit {
    /// The input limit `limits.max_bytes` at `bytes`.
    pub fn max_bytes(bytes: usize) -> Limit {
        Limit {
            bytes,
            name: "setting limits.max_bytes",
        }
    }
}

/// Why an input was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Over the limit; the size when it is known (a regular file).
    TooBig(Option<u64>, Limit),
    Io(std::io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooBig(size, limit) => {
                match size {
                    Some(n) => write!(f, "{n} bytes")?,
                    None => write!(f, "more than {} bytes", limit.bytes)?,
                }
                write!(f, ", over the limit of {} ({})", limit.bytes, limit.name)
            }
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Reads the rest of `reader` after `head` (octets already read from it), up to the limit.
/// `size` is the whole input's size when it is a regular file: over the limit it is refused
/// unread, and within it the buffer is reserved once (size + 1, so that the read finding
/// the end needs no growth). A size that lies (the file grew, or is no file) is caught by
/// the limit + 1 read.
pub fn read_rest(
    reader: impl Read,
    mut head: Vec<u8>,
    size: Option<u64>,
    limit: Limit,
) -> Result<Vec<u8>, ReadError> {
    if size.is_some_and(|n| n > limit.bytes as u64) {
        return Err(ReadError::TooBig(size, limit));
    }
    let want = size.map_or(0, |n| n as usize + 1);
    head.reserve_exact(want.saturating_sub(head.len()));
    let room = (limit.bytes + 1).saturating_sub(head.len()) as u64;
    reader.take(room).read_to_end(&mut head)?;
    if head.len() > limit.bytes {
        return Err(ReadError::TooBig(None, limit));
    }
    Ok(head)
}

/// Reads standard input, up to the limit.
pub fn read_stdin(limit: Limit) -> Result<Vec<u8>, ReadError> {
    read_rest(std::io::stdin().lock(), Vec::new(), None, limit)
}

/// Reads a file (a regular file, a FIFO, a device) up to the limit.
pub fn read_path(path: &Path, limit: Limit) -> Result<Vec<u8>, ReadError> {
    let file = std::fs::File::open(path)?;
    let size = file
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    read_rest(file, Vec::new(), size, limit)
}

/// Reads a file up to the limit as UTF-8 text; errors are prefixed with `shown`.
pub fn read_text(path: &Path, shown: &str, limit: Limit) -> Result<String, String> {
    read_text_bare(path, limit).map_err(|e| format!("{shown}: {e}"))
}

/// [`read_text`] with the reason alone, for callers that name the file themselves.
pub fn read_text_bare(path: &Path, limit: Limit) -> Result<String, String> {
    let bytes = read_path(path, limit).map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map_err(|e| format!("not UTF-8 text (at octet {})", e.utf8_error().valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: Limit = Limit {
        bytes: 10,
        name: "setting limits.max_bytes",
    };

    #[test]
    fn an_endless_stream_stops_at_the_limit_and_names_it() {
        let e = read_rest(std::io::repeat(0), Vec::new(), None, TINY).unwrap_err();
        assert_eq!(
            e.to_string(),
            "more than 10 bytes, over the limit of 10 (setting limits.max_bytes)"
        );
    }

    #[test]
    fn a_size_over_the_limit_is_refused_unread() {
        struct Unread;
        impl Read for Unread {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                panic!("read although the size was over the limit")
            }
        }
        let e = read_rest(Unread, Vec::new(), Some(1 << 40), TINY).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("1099511627776 bytes, over the limit of 10"));
    }

    #[test]
    fn exactly_the_limit_is_read() {
        let r = read_rest(&b"0123456789"[..], Vec::new(), None, TINY).unwrap();
        assert_eq!(r.len(), 10);
        let r = read_rest(&b"3456789"[..], b"012".to_vec(), None, TINY).unwrap();
        assert_eq!(r, b"0123456789");
        assert!(read_rest(&b"3456789x"[..], b"012".to_vec(), None, TINY).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn dev_zero_is_read_only_to_the_limit() {
        let e = read_path(Path::new("/dev/zero"), TINY).unwrap_err();
        assert!(matches!(e, ReadError::TooBig(None, _)), "{e}");
    }
}
