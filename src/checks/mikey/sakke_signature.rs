//! Check kind `mikey_sakke_signature`: the ECCSI signature of a MIKEY-SAKKE I_MESSAGE
//! verifies with the KPAK of the KMS it names and the initiator's UID, over the message up to
//! and including the SIGN header (RFC 6507 5.2.2, RFC 6509 4; CRYPTO-ECCSI-01, MCV-CSK-04).

use super::keyed::sakke_view;
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::sakke_message::StepError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SakkeSignature {}

impl CheckKind for SakkeSignature {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

impl MikeyCheck for SakkeSignature {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        match sakke_view(ctx)?.outcome.signature {
            // What the message lacks is a structure rule's finding, not a bad signature.
            Err(StepError::Eccsi(_)) | Ok(()) => Ok(()),
            Err(e) => Err(format!("the signature cannot be verified: {e}")),
        }
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let Ok(view) = sakke_view(ctx) else {
            return Vec::new();
        };
        let Err(StepError::Eccsi(e)) = &view.outcome.signature else {
            return Vec::new();
        };
        let at = view.outcome.places.sign.unwrap_or_default();
        let period = view
            .outcome
            .key_period_number
            .as_ref()
            .map_or_else(|e| e.to_string(), u64::to_string);
        vec![hit(
            at,
            vec![
                ("reason", e.to_string()),
                ("kms", view.kms.uri.clone()),
                ("period", period),
            ],
        )]
    }
}
