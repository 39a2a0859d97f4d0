//! A validator for the subset of XML Schema 1.0 the project's schemas use, over roxmltree
//! so that every violation keeps its position. What is supported, and where it departs
//! from libxml2, is written down in `docs/interpretation.md`.

pub mod load;
pub mod model;
pub mod simple;
pub mod validate;

pub use load::{LoadOptions, SchemaError, SchemaSet};
pub use validate::{ValidateOptions, Validator, Violation};
