fn main() {
    sorot_app::start();
}
