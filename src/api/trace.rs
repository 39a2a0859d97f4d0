//! [`Engine::build_trace`]: a session trace (`docs/trace-format.md`) from captures
//! (`mikeyconf trace`): the HTTP exchanges of HAR archives and the UDP MIKEY datagrams of
//! pcap/pcapng files, merged in time order, ready for [`Engine::check_path`].

use super::{Engine, Error};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The captures a session trace is built from.
///
/// # Examples
///
/// ```
/// let mut sources = mikeyconf::TraceSources::default();
/// sources.pcaps = vec!["examples/session/pushes.pcap".into()];
/// sources.terminal = Some("10.0.0.7".into());
/// # let _ = sources;
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TraceSources {
    /// HAR 1.2 archives: each the path the trace names it by (relative to the trace's folder)
    /// and the file to read.
    pub hars: Vec<(String, PathBuf)>,
    /// pcap or pcapng captures of the UDP MIKEY traffic (on the settings' `pcap_ports`).
    pub pcaps: Vec<PathBuf>,
    /// The terminal's address, recorded as the source of each HTTP request.
    pub terminal: Option<String>,
    /// NAF FQDNs (as found in IDi) and the addresses they resolve to.
    pub resolve: BTreeMap<String, String>,
}

impl Engine {
    /// The session trace of `sources`, as YAML; each file read within the settings' size
    /// limit. An error names the file and why it could not be read.
    ///
    /// # Examples
    ///
    /// ```
    /// let engine = mikeyconf::Engine::builtin()?;
    /// let mut sources = mikeyconf::TraceSources::default();
    /// sources.hars = vec![("capture.har".into(), "examples/session/capture.har".into())];
    /// sources.pcaps = vec!["examples/session/pushes.pcap".into()];
    /// let trace = engine.build_trace(&sources)?;
    /// assert!(trace.contains("capture.har"));
    /// let report = engine.check_bytes("examples/session/built.trace.yaml", trace.as_bytes(), None);
    /// assert_eq!(report.kind(), Some(mikeyconf::Kind::SessionTrace));
    /// # Ok::<(), mikeyconf::Error>(())
    /// ```
    pub fn build_trace(&self, sources: &TraceSources) -> Result<String, Error> {
        let settings = &self.inner.settings;
        let limit = crate::bounded::Limit::max_bytes(settings.limits.max_bytes);
        let read = |p: &PathBuf| {
            crate::bounded::read_path(p, limit)
                .map_err(|e| Error::Trace(format!("{}: {e}", p.display())))
        };
        let mut hars = Vec::new();
        for (path, file) in &sources.hars {
            let bytes = read(file)?;
            let path = path.clone();
            hars.push(crate::trace::build::HarInput { path, bytes });
        }
        let mut datagrams = Vec::new();
        for p in &sources.pcaps {
            let bytes = read(p)?;
            let found = crate::pcap::read_udp(&bytes, &settings.pcap_ports)
                .map_err(|e| Error::Trace(format!("{}: {e}", p.display())))?;
            datagrams.extend(found);
        }
        let terminal = sources.terminal.as_deref();
        let names = sources.resolve.clone();
        crate::trace::build::build(&hars, &datagrams, terminal, names).map_err(Error::Trace)
    }
}
