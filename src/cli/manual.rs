//! What a shell and `man` need: completion scripts and the manual page, generated from the
//! same clap definition that parses the command line ([`Cli`]), so they list exactly the
//! subcommands and options that exist. `assets/sockscope.1` is the page as committed; a test
//! keeps it equal to [`man_page`].

use super::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use std::io::{self, Write};
use std::process::ExitCode;

/// The completion script for `shell`.
#[must_use]
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "sockscope", &mut script);
    script
}

/// The manual page, in roff: the command, then a section for each subcommand with its
/// synopsis and options (one page, so `man sockscope` shows every option), then the
/// addresses and exit codes.
#[must_use]
pub fn man_page() -> Vec<u8> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    // Rendering into a Vec cannot fail.
    let _ = man.render_title(&mut page);
    let _ = man.render_name_section(&mut page);
    let _ = man.render_synopsis_section(&mut page);
    let _ = man.render_description_section(&mut page);
    let _ = man.render_options_section(&mut page);
    for sub in command.get_subcommands().filter(|sub| sub.get_name() != "help") {
        let name = format!("sockscope {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        let mut part = Vec::new();
        let man = clap_mangen::Man::new(sub);
        let _ = man.render_synopsis_section(&mut part);
        let _ = man.render_options_section(&mut part);
        let part = String::from_utf8_lossy(&part)
            .replace(".SH SYNOPSIS", ".SS Synopsis")
            .replace(".SH OPTIONS", ".SS Options");
        page.extend(format!(".SH \"{}\"\n{}\n", name.to_uppercase(), roff_text(&about)).bytes());
        page.extend(part.bytes());
    }
    let mut extra = Vec::new();
    let _ = man.render_extra_section(&mut extra);
    page.extend(String::from_utf8_lossy(&extra).replace(".SH EXTRA", ".SH NOTES").bytes());
    let _ = man.render_version_section(&mut page);
    page
}

/// `text` as a roff text line: a leading `.` or `'` would be read as a request.
fn roff_text(text: &str) -> String {
    let text = text.replace('\\', "\\\\").replace('-', "\\-");
    if text.starts_with(['.', '\'']) { format!("\\&{text}") } else { text }
}

/// Writes `bytes` to standard output. A reader that stops early (`| head`) is no error.
#[must_use]
pub fn print(bytes: &[u8]) -> ExitCode {
    let mut out = io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: writing to standard output: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_committed_man_page_is_the_generated_one() {
        let committed = include_bytes!("../../assets/sockscope.1");
        assert!(
            committed[..] == man_page()[..],
            "assets/sockscope.1 is stale: run `cargo run -- man > assets/sockscope.1`"
        );
    }

    #[test]
    fn every_shell_completes_every_subcommand_and_option() {
        for &shell in Shell::value_variants() {
            let script = String::from_utf8(completions(shell)).expect("UTF-8");
            for word in ["listen", "connect", "proxy", "replay", "export", "framing", "record"] {
                assert!(script.contains(word), "{shell}: no {word}");
            }
        }
    }
}
