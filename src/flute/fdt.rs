//! What the reassembly needs from an FDT instance (RFC 6726 3.4.2, RFC 3926 3.4.2): per
//! `File`, its TOI, Content-Type, Content-Encoding and the FEC Object Transmission
//! Information the FDT may carry for it (FEC-OTI-* attributes, on the File or inherited from
//! the FDT-Instance) with its Transfer-Length (else Content-Length). Judging the FDT is the
//! `fdt` input's business (`Engine::check_xml`); this only reads it, and a document that is
//! not well-formed gives no entries.

use super::fec::{Fti, COMPACT_NO_CODE, RAPTOR};
use base64::Engine as _;

/// One `File` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FdtEntry {
    pub toi: u64,
    pub content_type: Option<String>,
    pub content_encoding: Option<String>,
    /// The FTI the FDT gives for the object, when it gives a whole one.
    pub fti: Option<Fti>,
}

/// The `File` entries of an FDT instance whose TOI is a number.
pub fn entries(text: &str) -> Vec<FdtEntry> {
    // roxmltree refuses DTDs by default: no entity expansion.
    let Ok(doc) = roxmltree::Document::parse(text.trim_start_matches('\u{feff}').trim()) else {
        return Vec::new();
    };
    let root = doc.root_element();
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "File")
        .filter_map(|n| {
            let attr = |name: &str| n.attribute(name).or_else(|| root.attribute(name));
            let toi = n.attribute("TOI")?.trim().parse::<u64>().ok()?;
            Some(FdtEntry {
                toi,
                content_type: n.attribute("Content-Type").map(str::to_string),
                content_encoding: attr("Content-Encoding").map(str::to_string),
                fti: fti(
                    &attr,
                    n.attribute("Transfer-Length")
                        .or(n.attribute("Content-Length")),
                ),
            })
        })
        .collect()
}

fn fti<'a>(attr: &dyn Fn(&str) -> Option<&'a str>, length: Option<&str>) -> Option<Fti> {
    let num = |name: &str| attr(name)?.trim().parse::<u64>().ok();
    let transfer_length = length?.trim().parse::<u64>().ok()?;
    let id = u8::try_from(num("FEC-OTI-FEC-Encoding-ID").unwrap_or(0)).ok()?;
    let symbol_len = u16::try_from(num("FEC-OTI-Encoding-Symbol-Length")?).ok()?;
    let fti = match id {
        COMPACT_NO_CODE => Fti::CompactNoCode {
            transfer_length,
            symbol_len,
            max_block: u32::try_from(num("FEC-OTI-Maximum-Source-Block-Length")?).ok()?,
        },
        RAPTOR => {
            // The scheme-specific FEC OTI of Raptor (RFC 5053 3.2.3): Z (16 bits), N (8), Al
            // (8), base64 in the FDT (RFC 6726 3.4.2).
            let info = base64::engine::general_purpose::STANDARD
                .decode(attr("FEC-OTI-Scheme-Specific-Info")?.trim())
                .ok()?;
            let [z1, z0, n, al, ..] = info[..] else {
                return None;
            };
            Fti::Raptor {
                transfer_length,
                symbol_len,
                blocks: u16::from_be_bytes([z1, z0]),
                sub_blocks: n,
                alignment: al,
            }
        }
        _ => return None,
    };
    fti.valid().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_file_entries_with_inherited_fec_oti() {
        let e = entries(
            r#"<FDT-Instance xmlns="urn:ietf:params:xml:ns:fdt" Expires="1" FEC-OTI-Encoding-Symbol-Length="16" FEC-OTI-Maximum-Source-Block-Length="64">
              <File TOI="2" Content-Location="k" Content-Type="application/mikey" Content-Length="81"/>
              <File TOI="3" Content-Location="r" FEC-OTI-FEC-Encoding-ID="1" Transfer-Length="50" FEC-OTI-Scheme-Specific-Info="AAEBBA=="/>
              <File TOI="x" Content-Location="b"/></FDT-Instance>"#,
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].content_type.as_deref(), Some("application/mikey"));
        assert_eq!(
            e[0].fti,
            Some(Fti::CompactNoCode {
                transfer_length: 81,
                symbol_len: 16,
                max_block: 64
            })
        );
        assert_eq!(
            e[1].fti,
            Some(Fti::Raptor {
                transfer_length: 50,
                symbol_len: 16,
                blocks: 1,
                sub_blocks: 1,
                alignment: 4
            })
        );
        assert!(entries("<not xml").is_empty());
        assert!(entries("<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").is_empty());
    }
}
