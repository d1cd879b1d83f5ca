//! The gallery's page: `cargo xtask gallery` serves it.

fn main() {
    yew::Renderer::<linli_gallery::Gallery>::new().render();
}
