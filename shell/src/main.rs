//! The shell's entry point, built by trunk from `www/index.html`.

fn main() {
    linli_shell::start();
}
