fn main() -> std::process::ExitCode {
    banca::cli::main()
}
