//! The `paycore` inspector CLI.

mod security_cmd;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("kcv" | "pin-block" | "mac" | "dukpt" | "tr31" | "sign-on-keys") => {
            security_cmd::run(&args)
        }
        _ => Err("usage: paycore <command> [--help]".to_owned()),
    };
    match result {
        Ok(out) => println!("{out}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
