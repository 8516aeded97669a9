mod fees_cmd;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("fee") => fees_cmd::run_fee(&args[1..]),
        Some("calendar") => fees_cmd::run_calendar(&args[1..]),
        Some("settle") => fees_cmd::run_settle(&args[1..]),
        _ => Err("usage: paycore <fee|calendar|settle> ...".to_owned()),
    };
    match result {
        Ok(text) => println!("{text}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
