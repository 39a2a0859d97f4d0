//! Check kind `mikey_sakke_decapsulates`: the SAKKE Encapsulated Data of an I_MESSAGE
//! decapsulates with the responder's RSK and the KMS's Z, and the re-derived R_(b,S) matches
//! (RFC 6508 6.2.2; CRYPTO-SAKKE-01, MCV-CSK-05). The responder is the keyring's user whose
//! UID for the message's key period is the one the message carries (or whose URI it names).

use super::keyed::sakke_view;
use super::*;
use crate::checks::kind::Needs;
use crate::crypto::sakke_message::StepError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SakkeDecapsulates {}

impl CheckKind for SakkeDecapsulates {
    crate::check_kind_judge!(Mikey);

    fn needs(&self) -> Needs {
        Needs::keyring()
    }
}

impl MikeyCheck for SakkeDecapsulates {
    fn applicable(&self, ctx: &MikeyCtx) -> Result<(), String> {
        let view = sakke_view(ctx)?;
        if view.responder.is_none() {
            return Err(format!(
                "the keyring holds the RSK of no user of KMS {} that the message is sent to",
                view.kms.uri
            ));
        }
        match view.outcome.ssv {
            Err(StepError::Sakke(_)) | Ok(_) => Ok(()),
            Err(e) => Err(format!("the SAKKE payload cannot be decapsulated: {e}")),
        }
    }

    fn mikey(&self, ctx: &MikeyCtx) -> Vec<MikeyHit> {
        let Ok(view) = sakke_view(ctx) else {
            return Vec::new();
        };
        let (Some(user), Err(StepError::Sakke(e))) = (view.responder, &view.outcome.ssv) else {
            return Vec::new();
        };
        vec![hit(
            view.outcome.places.sakke.unwrap_or_default(),
            vec![("reason", e.to_string()), ("responder", user.uri.clone())],
        )]
    }
}
