//! What `mikeyconf` writes about itself for an installation: shell completions
//! (`mikeyconf completions SHELL`, clap_complete) and man pages (`mikeyconf man`,
//! clap_mangen). Both are generated from the same clap command the parser uses, so they
//! cannot drift from the options; the README's "Installing" section says where to put them.

use clap::Command;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The completion script for `shell`, for a binary named `mikeyconf`.
pub fn completions(shell: clap_complete::Shell, mut command: Command, out: &mut dyn Write) {
    clap_complete::generate(shell, &mut command, "mikeyconf", out);
}

/// The top-level page, `mikeyconf(1)`: synopsis, options and every subcommand with its
/// summary (each subcommand's own page names it as `mikeyconf-check(1)` and so on).
pub fn man_page(command: Command, out: &mut dyn Write) -> io::Result<()> {
    clap_mangen::Man::new(command).render(out)
}

/// Every page, `mikeyconf.1` and one `mikeyconf-SUBCOMMAND.1` each (clap's own `help`
/// subcommand has none), written into `dir` (created when missing); returns the files
/// written, in name order. Every page's footer names the program and its version
/// ("mikeyconf 0.1.0"), where clap_mangen's `generate_to` leaves a subcommand's empty.
pub fn man_pages_to(command: Command, dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut command = command.disable_help_subcommand(true);
    command.build();
    let source = format!(
        "{} {}",
        command.get_name(),
        command.get_version().unwrap_or_default()
    );
    let mut written = Vec::new();
    write_pages(&command, &source, dir, &mut written)?;
    written.sort();
    Ok(written)
}

/// The page of `command` and, recursively, of each visible subcommand.
fn write_pages(
    command: &Command,
    source: &str,
    dir: &Path,
    written: &mut Vec<PathBuf>,
) -> io::Result<()> {
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, source, dir, written)?;
    }
    let page = clap_mangen::Man::new(command.clone()).source(source);
    written.push(page.generate_to(dir)?);
    Ok(())
}
