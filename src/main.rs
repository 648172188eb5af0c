use std::process::ExitCode;

fn main() -> ExitCode {
    linea::cli::main()
}
