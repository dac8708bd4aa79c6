//! The `sockscope` binary: parse the command line, run the chosen mode, exit with its code.

fn main() -> std::process::ExitCode {
    sockscope::cli::main()
}
