mod ledger_cmd;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("ledger") => ledger_cmd::run(&args[1..]),
        _ => Err("usage: paycore ledger ...".to_string()),
    };
    match result {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
