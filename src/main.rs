fn main() {
    std::process::exit(statewise::run(std::env::args_os()));
}
