//! What a check of any domain gives on one input: the places its rule is violated (hits of
//! the domain's own type, which say where), or why the input gave it nothing to judge. "Not
//! applicable" is said this one way (`Found::NotApplicable`, with the reason); the engine
//! turns either into findings and the rule's outcome in one place
//! (`engine::judgement::Judgement::rule`).

/// A check's result on one input.
#[derive(Debug, Clone)]
pub enum Found<H> {
    /// The check judged the input: its hits (none: the rule passed).
    Judged(Vec<H>),
    /// The input gave the check nothing to judge, and why: not applicable, never passed.
    NotApplicable(String),
}

impl<H> Found<H> {
    pub fn hits(hits: Vec<H>) -> Self {
        Found::Judged(hits)
    }

    pub fn nothing(why: impl Into<String>) -> Self {
        Found::NotApplicable(why.into())
    }

    /// Hits when something was judged (`judged` places), else why not.
    pub fn of(judged: usize, hits: Vec<H>, why: impl FnOnce() -> String) -> Self {
        if judged == 0 {
            Found::NotApplicable(why())
        } else {
            Found::Judged(hits)
        }
    }
}
