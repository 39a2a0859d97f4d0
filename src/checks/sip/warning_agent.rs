//! Check kind `sip_warning_agent` (provisional): the warn-agent of the MCVideo server's
//! Warning is its host name (TS 24.379 4.4.1 "the host name set to the host name of the
//! MCPTT server", as secondary sources quote it; the MCVideo clause was not read). Needs
//! the `sip.server_host` setting. A port after the host is allowed (hostport); hosts compare
//! as hosts ([`crate::value::ip::same_host`]: an IP address in any spelling).

use super::*;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningAgent {
    pub answers: Vec<Answer>,
}

impl CheckKind for WarningAgent {
    crate::check_kind_judge!(Sip);
    fn needs(&self) -> Needs {
        Needs {
            setting: Some(NeededSetting { name: "sip.server_host", supplied: |s| s.sip.server_host.is_some() }),
            delivery: None,
            provisional_reading: Some("TS 24.281 4.4.1 sets the warn-agent to the MCVideo server's host name (secondary sources)"),
        }
    }
}

impl SipCheck for WarningAgent {
    fn sip(&self, ctx: &SipCtx) -> SipJudgement {
        let host = ctx.settings.sip.server_host.clone().unwrap_or_default();
        let ws: Vec<_> = self.answers.iter().flat_map(|a| a.warnings(ctx)).collect();
        let hits = ws
            .iter()
            // The host of the hostport, compared as a host (an IP address as an address).
            .filter(|w| !crate::value::ip::same_host(&w.agent, &host))
            .map(|w| {
                hit(
                    w.span.clone(),
                    vec![("value", w.agent.clone()), ("expected", host.clone())],
                )
            })
            .collect();
        SipJudgement::of(ws.len(), hits, || no_answer(&self.answers))
    }
}
