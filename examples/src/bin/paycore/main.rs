mod tlv_cmd;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or_default();
    let result = match args.first().map(String::as_str) {
        Some("tlv") => tlv_cmd::run_tlv(rest),
        Some("emv") => tlv_cmd::run_emv(rest),
        Some("qr") => tlv_cmd::run_qr(rest),
        _ => Err("usage: paycore tlv|emv|qr ... (--help)".to_owned()),
    };
    match result {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
