//! Differential test against Wireshark's MIKEY dissector (being written).
fn main() {}
