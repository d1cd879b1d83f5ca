//! The logo an admin uploads, made safe and made into icons. Whatever comes in (PNG,
//! WebP or SVG, told by its bytes, never by its name) is decoded and drawn again as a
//! PNG: an SVG is rasterised (resvg), so no script, link or external file in it can
//! ever run or be read, and a PNG or WebP loses whatever else it carried. The icons the
//! manifest lists (192 and 512 px squares) are drawn from the same picture.
//!
//! Limits: at most [`MAX_BYTES`], and a raster image [`SIDES`] pixels a side, read from
//! its header before anything is decoded.

use resvg::usvg;
use tiny_skia::{Pixmap, Transform};

use crate::picture::{self, fitted, scaled_sides, Format, PictureError, Sides};

/// The largest upload, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The sides a raster logo may have, in pixels.
pub const SIDES: Sides = Sides { min: 64, max: 4096 };
/// The longest side of the logo as stored, in pixels.
const LOGO_SIDE: u32 = 512;

/// The logo and its icons, as PNG files.
#[derive(Debug)]
pub struct Prepared {
    /// The logo, at most 512 px on its longer side.
    pub logo: Vec<u8>,
    /// A 192 px square icon.
    pub icon_192: Vec<u8>,
    /// A 512 px square icon.
    pub icon_512: Vec<u8>,
}

/// The logo and icons drawn from an upload (PNG, WebP or SVG), or why not.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, PictureError> {
    if bytes.is_empty() {
        return Err(PictureError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(PictureError::TooBig {
            max_kb: MAX_BYTES / 1024,
        });
    }
    match picture::sniff(bytes) {
        Some(Format::Svg) => svg(bytes),
        Some(f @ (Format::Png | Format::Webp | Format::Jpeg)) => {
            from_picture(&picture::decode(bytes, f, SIDES)?)
        }
        _ => Err(PictureError::Kind("PNG, JPEG, WebP, SVG")),
    }
}

fn png(p: &Pixmap) -> Result<Vec<u8>, PictureError> {
    p.encode_png().map_err(|_| PictureError::Unreadable)
}

fn svg(bytes: &[u8]) -> Result<Prepared, PictureError> {
    // No file, no URL: only what the SVG itself holds is drawn.
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_string: Box::new(|_, _| None),
            ..usvg::ImageHrefResolver::default()
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|_| PictureError::Unreadable)?;
    // Drawn without fonts (this build reads none), text would vanish and leave an
    // empty shape: said instead. usvg drops text elements without fonts, so the
    // source is looked at (`<text`, `<textPath`).
    if String::from_utf8_lossy(bytes).contains("<text") {
        return Err(PictureError::SvgText);
    }
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err(PictureError::Unreadable);
    }
    // Drawn once at the logo's size, crisp; the icons from that.
    let scale = LOGO_SIDE as f32 / size.width().max(size.height());
    let (w, h) = (
        ((size.width() * scale).round() as u32).max(1),
        ((size.height() * scale).round() as u32).max(1),
    );
    let mut drawn = Pixmap::new(w, h).ok_or(PictureError::Unreadable)?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut drawn.as_mut(),
    );
    from_picture(&drawn)
}

fn from_picture(picture: &Pixmap) -> Result<Prepared, PictureError> {
    let (w, h) = scaled_sides(picture, LOGO_SIDE);
    Ok(Prepared {
        logo: png(&fitted(picture, w, h)?)?,
        icon_192: png(&fitted(picture, 192, 192)?)?,
        icon_512: png(&fitted(picture, 512, 512)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(w: u32, h: u32) -> Vec<u8> {
        let mut p = Pixmap::new(w, h).unwrap();
        p.fill(tiny_skia::Color::from_rgba8(179, 38, 30, 255));
        p.encode_png().unwrap()
    }

    fn size_of(png: &[u8]) -> (u32, u32) {
        let p = Pixmap::decode_png(png).unwrap();
        (p.width(), p.height())
    }

    #[test]
    fn a_png_logo_is_drawn_again_with_square_icons() {
        let out = prepare(&png_of(800, 400)).unwrap();
        assert_eq!(size_of(&out.logo), (512, 256));
        assert_eq!(size_of(&out.icon_192), (192, 192));
        assert_eq!(size_of(&out.icon_512), (512, 512));
    }

    #[test]
    fn an_svg_with_a_script_is_rasterised_and_nothing_of_the_script_is_kept() {
        let svg = br##"<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 50" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <rect width="100" height="50" fill="#b3261e"/>
  <image xlink:href="/etc/passwd" width="10" height="10"/>
  <a xlink:href="javascript:alert(2)"><circle cx="50" cy="25" r="10"/></a>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
</svg>"##;
        let out = prepare(svg).unwrap();
        assert!(out.logo.starts_with(b"\x89PNG"), "stored as a PNG, not SVG");
        assert_eq!(size_of(&out.logo), (512, 256));
        for png in [&out.logo, &out.icon_192, &out.icon_512] {
            let text = String::from_utf8_lossy(png);
            assert!(!text.contains("alert") && !text.contains("script"));
        }
        // The picture is there: the middle of the logo has the brand colour.
        let p = Pixmap::decode_png(&out.logo).unwrap();
        let px = p.pixel(20, 128).unwrap();
        assert_eq!((px.red(), px.green(), px.blue()), (179, 38, 30));
    }

    #[test]
    fn uploads_outside_the_limits_are_refused_with_their_reason() {
        assert_eq!(prepare(b"").unwrap_err(), PictureError::Empty);
        assert_eq!(
            prepare(&vec![b' '; MAX_BYTES + 1]).unwrap_err(),
            PictureError::TooBig { max_kb: 1024 }
        );
        assert_eq!(
            prepare(b"GIF89a....").unwrap_err(),
            PictureError::Kind("PNG, JPEG, WebP, SVG")
        );
        assert_eq!(
            prepare(b"<html><script>x</script></html>").unwrap_err(),
            PictureError::Kind("PNG, JPEG, WebP, SVG")
        );
        assert_eq!(
            prepare(&png_of(20, 20)).unwrap_err(),
            PictureError::Dimensions {
                width: 20,
                height: 20,
                min: 64,
                max: 4096
            }
        );
        // A header claiming a huge picture is refused before anything is decoded.
        let mut bomb = png_of(64, 64);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(
            prepare(&bomb).unwrap_err(),
            PictureError::Dimensions { width: 100_000, .. }
        ));
        let mut broken = png_of(64, 64);
        broken.truncate(60);
        assert_eq!(prepare(&broken).unwrap_err(), PictureError::Unreadable);
        assert_eq!(
            prepare(b"<svg xmlns='http://www.w3.org/2000/svg'><rect").unwrap_err(),
            PictureError::Unreadable
        );
        // Text would be drawn as nothing: refused with how to fix it.
        assert_eq!(
            prepare(
                "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 80 40'><circle cx='20' cy='20' r='18'/><g><text x='40' y='30'>青湖</text></g></svg>"
                    .as_bytes()
            )
            .unwrap_err(),
            PictureError::SvgText
        );
        for e in [
            PictureError::TooBig { max_kb: 1024 },
            PictureError::Unreadable,
        ] {
            assert!(!e.text(linli_core::Lang::ZhCn).is_empty());
        }
    }

    #[test]
    fn a_webp_logo_is_read() {
        // A 64x64 lossless WebP made by the encoder of the same crate.
        let rgba: Vec<u8> = (0..64 * 64).flat_map(|_| [0u8, 105, 92, 255]).collect();
        let mut webp = Vec::new();
        image_webp::WebPEncoder::new(&mut webp)
            .encode(&rgba, 64, 64, image_webp::ColorType::Rgba8)
            .unwrap();
        let out = prepare(&webp).unwrap();
        assert_eq!(size_of(&out.logo), (64, 64));
        let p = Pixmap::decode_png(&out.icon_192).unwrap();
        let px = p.pixel(96, 96).unwrap();
        assert_eq!((px.red(), px.green(), px.blue()), (0, 105, 92));
    }
}
