//! [`Kind`]: what an input is read as, named by type rather than by string. The names are the
//! built-in settings' (`rules/settings.yaml`: XML payload kinds, MIKEY profiles, capture
//! kinds); a test below keeps the two lists equal.

use std::fmt;
use std::str::FromStr;

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// What an input is read as: an XML payload, a MIKEY message of some profile, or a
        /// capture. `check_*` and `decode` tell it from the content when given none.
        ///
        /// Settings files may add kinds; those are [`Kind::Other`], by name.
        ///
        /// # Examples
        ///
        /// ```
        /// use mikeyconf::Kind;
        ///
        /// let kind: Kind = "msk-response".parse().unwrap();
        /// assert_eq!(kind, Kind::MskResponse);
        /// assert_eq!(kind.name(), "msk-response");
        /// assert_eq!("my-kind".parse::<Kind>().unwrap(), Kind::Other("my-kind".into()));
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Kind {
            $($(#[$doc])* $variant,)*
            /// A kind a settings file adds, by its name.
            Other(String),
        }

        impl Kind {
            /// The built-in kinds, in the order of the built-in settings.
            ///
            /// # Examples
            ///
            /// ```
            /// assert!(mikeyconf::Kind::BUILTIN.contains(&mikeyconf::Kind::Pcap));
            /// ```
            pub const BUILTIN: &'static [Kind] = &[$(Kind::$variant,)*];

            /// The kind's name, as `mikeyconf check --as` and reports spell it.
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(mikeyconf::Kind::HttpExchange.name(), "http-exchange");
            /// ```
            pub fn name(&self) -> &str {
                match self {
                    $(Kind::$variant => $name,)*
                    Kind::Other(name) => name,
                }
            }

            /// The kind of a name: a built-in kind, else [`Kind::Other`].
            ///
            /// # Examples
            ///
            /// ```
            /// assert_eq!(mikeyconf::Kind::named("ltkm"), mikeyconf::Kind::Ltkm);
            /// ```
            pub fn named(name: &str) -> Kind {
                match name {
                    $($name => Kind::$variant,)*
                    other => Kind::Other(other.to_string()),
                }
            }
        }
    };
}

kinds! {
    /// A security registration request (TS 26.346 11.4.1), XML.
    RegistrationRequest = "registration-request",
    /// A security deregistration request (TS 26.346 11.5.1), XML.
    DeregistrationRequest = "deregistration-request",
    /// A registration response (TS 26.346 11.7.1), XML.
    RegistrationResponse = "registration-response",
    /// A deregistration response (TS 26.346 11.7.1), XML.
    DeregistrationResponse = "deregistration-response",
    /// An MSK request (TS 26.346 11.6.1), XML.
    MskRequest = "msk-request",
    /// An MSK response (TS 26.346 11.8.1), XML.
    MskResponse = "msk-response",
    /// A FLUTE FDT instance (RFC 6726 3.4.2), XML.
    Fdt = "fdt",
    /// A FLUTE FDT instance with the 3GPP extensions (TS 26.346 7.2.10), XML.
    Fdt3gpp = "fdt-3gpp",
    /// A FLUTE FDT instance of the profiled schema (TS 26.346 L.6.1), XML.
    Fdt3gppProfiled = "fdt-3gpp-profiled",
    /// A FLUTE FDT instance of RFC 3926 (3.4.2, reconstructed schema), XML.
    FdtRfc3926 = "fdt-rfc3926",
    /// PoC settings (RFC 4354 6.1; TS 24.281 7.4.1.2.2), XML.
    PocSettings = "poc-settings",
    /// MCVideo information (TS 24.281 F.1), XML.
    McvideoInfo = "mcvideo-info",
    /// Any MIKEY message (RFC 3830 and extensions): its structure only.
    Mikey = "mikey",
    /// An OMA BCAST LTKM (CR 0821 5.1.6.10), a MIKEY message.
    Ltkm = "ltkm",
    /// A 3GPP MBMS MSK message (TS 33.246 6.3.2.3.1), a MIKEY message.
    Msk = "msk",
    /// A 3GPP MBMS MTK message (TS 33.246 6.3.3.2), a MIKEY message.
    Mtk = "mtk",
    /// A MIKEY-SAKKE I_MESSAGE (RFC 6509, TS 33.180).
    MikeySakke = "mikey-sakke",
    /// An MCVideo CSK download I_MESSAGE (TS 24.281 7.2.5).
    CskDownload = "csk-download",
    /// HTTP requests with their responses: a HAR 1.2 archive, raw HTTP/1.1 or `curl -v`.
    HttpExchange = "http-exchange",
    /// A whole session between one terminal and one BSM (docs/trace-format.md).
    SessionTrace = "session-trace",
    /// A packet capture (pcap or pcapng).
    Pcap = "pcap",
    /// A file of SIP messages in order (a SIP log or trace).
    Sip = "sip",
    /// An SDP session description whose `a=key-mgmt:mikey` attributes carry MIKEY messages.
    Sdp = "sdp",
    /// An OMA CPNS group-key trace (docs/cpns-trace.md), YAML or JSON Lines.
    CpnsTrace = "cpns-trace",
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Kind {
    type Err = std::convert::Infallible;

    /// Never fails: a name that is no built-in kind is [`Kind::Other`]; whether the engine
    /// knows it is told when an input is checked ([`crate::Engine::kinds`] lists them).
    fn from_str(name: &str) -> Result<Kind, Self::Err> {
        Ok(Kind::named(name))
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;
    use crate::settings::Settings;

    #[test]
    fn the_builtin_kinds_are_the_builtin_settings_kinds() {
        let settings = Settings::load(None, &[]).expect("the built-in settings load");
        let names: Vec<&str> = (settings.kinds.iter().map(|k| k.name.as_str()))
            .chain(settings.mikey_kinds.iter().map(|k| k.name.as_str()))
            .chain(settings.capture_kinds.iter().map(|k| k.name.as_str()))
            .collect();
        let builtin: Vec<&str> = Kind::BUILTIN.iter().map(Kind::name).collect();
        assert_eq!(builtin, names);
        for name in names {
            assert!(!matches!(Kind::named(name), Kind::Other(_)), "{name}");
            assert_eq!(Kind::named(name).name(), name);
        }
    }
}
