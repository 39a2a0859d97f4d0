//! Check kind `service_id_in_catalogue`.

use super::*;

/// Each `element` (a serviceID) is a GlobalPurchaseItemID followed by a
/// PurchaseDataReference of the `purchase_catalogue` setting.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceIdInCatalogue {
    pub element: Selector,
}

impl CheckKind for ServiceIdInCatalogue {
    crate::check_kind_judge!(Xml);

    fn selectors(&self) -> Vec<&Selector> {
        vec![&self.element]
    }

    fn needs(&self) -> Needs {
        Needs {
            setting: Some(NeededSetting {
                name: "purchase_catalogue",
                supplied: |s| !s.purchase_catalogue.is_empty(),
            }),
            ..Needs::default()
        }
    }
}

impl XmlCheck for ServiceIdInCatalogue {
    fn xml(&self, ctx: &Ctx) -> Vec<Hit> {
        service_id_in_catalogue(ctx, &self.element)
    }
}

fn service_id_in_catalogue(ctx: &Ctx, element: &Selector) -> Vec<Hit> {
    let catalogue = &ctx.settings.purchase_catalogue;
    if catalogue.is_empty() {
        return Vec::new();
    }
    ctx.select(element)
        .filter_map(|n| {
            let v = text_of(n);
            let known = catalogue.iter().any(|p| {
                v == format!("{}{}", p.global_purchase_item_id, p.purchase_data_reference)
            });
            (!known).then(|| Hit::at(n).var("value", v))
        })
        .collect()
}
