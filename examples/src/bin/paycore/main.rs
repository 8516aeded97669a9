mod iso8583_cmd;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("iso8583") => iso8583_cmd::run(&args[1..]),
        _ => Err("usage: paycore iso8583 ...".to_owned()),
    };
    match result {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
