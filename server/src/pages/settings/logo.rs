//! The logo an admin uploads, made safe and made into icons. Whatever comes in (PNG,
//! WebP or SVG, told by its bytes, never by its name) is decoded and drawn again as a
//! PNG: an SVG is rasterised (resvg), so no script, link or external file in it can
//! ever run or be read, and a PNG or WebP loses whatever else it carried. The icons the
//! manifest lists (192 and 512 px squares) are drawn from the same picture.
//!
//! Limits: at most [`MAX_BYTES`], and a raster image between [`MIN_SIDE`] and
//! [`MAX_SIDE`] pixels a side, read from its header before anything is decoded.

use std::io::Cursor;

use linli_core::{Lang, StaffText};
use resvg::usvg;
use tiny_skia::{FilterQuality, IntSize, Pixmap, PixmapPaint, Transform};

/// The largest upload, in bytes.
pub const MAX_BYTES: usize = 1024 * 1024;
/// The smallest side of a raster logo, in pixels.
pub const MIN_SIDE: u32 = 64;
/// The largest side of a raster logo, in pixels.
pub const MAX_SIDE: u32 = 4096;
/// The longest side of the logo as stored, in pixels.
const LOGO_SIDE: u32 = 512;

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoError {
    /// Nothing was chosen.
    Empty,
    /// Over [`MAX_BYTES`].
    TooBig,
    /// Not a PNG, WebP or SVG.
    Kind,
    /// A side outside [`MIN_SIDE`]..=[`MAX_SIDE`].
    Dimensions {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The file is damaged or uses what cannot be read.
    Unreadable,
}

impl LogoError {
    /// The refusal in `lang`, to show beside the upload field.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            LogoError::Empty => lang.t(StaffText::LogoEmpty).to_owned(),
            LogoError::TooBig => lang.fill(
                StaffText::LogoTooBig,
                &[("max", &format!("{}", MAX_BYTES / 1024))],
            ),
            LogoError::Kind => lang.t(StaffText::LogoKind).to_owned(),
            LogoError::Dimensions { width, height } => lang.fill(
                StaffText::LogoDimensions,
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                    ("min", &MIN_SIDE.to_string()),
                    ("max", &MAX_SIDE.to_string()),
                ],
            ),
            LogoError::Unreadable => lang.t(StaffText::LogoUnreadable).to_owned(),
        }
    }
}

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

/// The logo and icons drawn from an upload, or why not.
pub fn prepare(bytes: &[u8]) -> Result<Prepared, LogoError> {
    if bytes.is_empty() {
        return Err(LogoError::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(LogoError::TooBig);
    }
    let picture = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png(bytes)?
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes)?
    } else if looks_like_svg(bytes) {
        return svg(bytes);
    } else {
        return Err(LogoError::Kind);
    };
    from_picture(&picture)
}

fn check_sides(width: u32, height: u32) -> Result<(), LogoError> {
    let ok = |s: u32| (MIN_SIDE..=MAX_SIDE).contains(&s);
    if ok(width) && ok(height) {
        Ok(())
    } else {
        Err(LogoError::Dimensions { width, height })
    }
}

fn png(bytes: &[u8]) -> Result<Pixmap, LogoError> {
    // IHDR comes first: width and height, big-endian, at bytes 16 and 20.
    let side = |at: usize| {
        bytes
            .get(at..at + 4)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map(u32::from_be_bytes)
    };
    let (width, height) = side(16).zip(side(20)).ok_or(LogoError::Unreadable)?;
    check_sides(width, height)?;
    Pixmap::decode_png(bytes).map_err(|_| LogoError::Unreadable)
}

fn webp(bytes: &[u8]) -> Result<Pixmap, LogoError> {
    let mut decoder =
        image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|_| LogoError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    check_sides(width, height)?;
    let size = decoder.output_buffer_size().ok_or(LogoError::Unreadable)?;
    let mut buffer = vec![0u8; size];
    decoder
        .read_image(&mut buffer)
        .map_err(|_| LogoError::Unreadable)?;
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    // tiny-skia keeps premultiplied RGBA.
    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
    for px in buffer.chunks_exact(channels) {
        let a = if channels == 4 { px[3] } else { 255 };
        let mul = |c: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
        rgba.extend_from_slice(&[mul(px[0]), mul(px[1]), mul(px[2]), a]);
    }
    let size = IntSize::from_wh(width, height).ok_or(LogoError::Unreadable)?;
    Pixmap::from_vec(rgba, size).ok_or(LogoError::Unreadable)
}

/// Whether the bytes are SVG text: `<svg` after an optional byte-order mark, XML
/// declaration, comments and doctype.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let head: String = text.chars().take(2048).collect();
    head.contains("<svg")
        && head
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
}

fn svg(bytes: &[u8]) -> Result<Prepared, LogoError> {
    // No file, no URL: only what the SVG itself holds is drawn.
    let options = usvg::Options {
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_string: Box::new(|_, _| None),
            ..usvg::ImageHrefResolver::default()
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_data(bytes, &options).map_err(|_| LogoError::Unreadable)?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err(LogoError::Unreadable);
    }
    let draw = |side: u32, square: bool| -> Result<Vec<u8>, LogoError> {
        let scale = side as f32 / size.width().max(size.height());
        let (w, h) = if square {
            (side, side)
        } else {
            (
                ((size.width() * scale).round() as u32).max(1),
                ((size.height() * scale).round() as u32).max(1),
            )
        };
        let mut pixmap = Pixmap::new(w, h).ok_or(LogoError::Unreadable)?;
        let dx = (w as f32 - size.width() * scale) / 2.0;
        let dy = (h as f32 - size.height() * scale) / 2.0;
        resvg::render(
            &tree,
            Transform::from_scale(scale, scale).post_translate(dx, dy),
            &mut pixmap.as_mut(),
        );
        pixmap.encode_png().map_err(|_| LogoError::Unreadable)
    };
    Ok(Prepared {
        logo: draw(LOGO_SIDE, false)?,
        icon_192: draw(192, true)?,
        icon_512: draw(512, true)?,
    })
}

/// A picture drawn into a `w`×`h` canvas, scaled to fit and centred.
fn fitted(picture: &Pixmap, w: u32, h: u32) -> Result<Vec<u8>, LogoError> {
    let mut canvas = Pixmap::new(w, h).ok_or(LogoError::Unreadable)?;
    let scale = (w as f32 / picture.width() as f32).min(h as f32 / picture.height() as f32);
    let dx = (w as f32 - picture.width() as f32 * scale) / 2.0;
    let dy = (h as f32 - picture.height() as f32 * scale) / 2.0;
    let paint = PixmapPaint {
        quality: FilterQuality::Bicubic,
        ..PixmapPaint::default()
    };
    canvas.draw_pixmap(
        0,
        0,
        picture.as_ref(),
        &paint,
        Transform::from_scale(scale, scale).post_translate(dx, dy),
        None,
    );
    canvas.encode_png().map_err(|_| LogoError::Unreadable)
}

fn from_picture(picture: &Pixmap) -> Result<Prepared, LogoError> {
    let (pw, ph) = (picture.width(), picture.height());
    let scale = (LOGO_SIDE as f32 / pw.max(ph) as f32).min(1.0);
    let (w, h) = (
        ((pw as f32 * scale).round() as u32).max(1),
        ((ph as f32 * scale).round() as u32).max(1),
    );
    Ok(Prepared {
        logo: fitted(picture, w, h)?,
        icon_192: fitted(picture, 192, 192)?,
        icon_512: fitted(picture, 512, 512)?,
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
        assert_eq!(prepare(b"").unwrap_err(), LogoError::Empty);
        assert_eq!(
            prepare(&vec![b' '; MAX_BYTES + 1]).unwrap_err(),
            LogoError::TooBig
        );
        assert_eq!(prepare(b"GIF89a....").unwrap_err(), LogoError::Kind);
        assert_eq!(
            prepare(b"<html><script>x</script></html>").unwrap_err(),
            LogoError::Kind
        );
        assert_eq!(
            prepare(&png_of(20, 20)).unwrap_err(),
            LogoError::Dimensions {
                width: 20,
                height: 20
            }
        );
        // A header claiming a huge picture is refused before anything is decoded.
        let mut bomb = png_of(64, 64);
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(
            prepare(&bomb).unwrap_err(),
            LogoError::Dimensions { width: 100_000, .. }
        ));
        let mut broken = png_of(64, 64);
        broken.truncate(60);
        assert_eq!(prepare(&broken).unwrap_err(), LogoError::Unreadable);
        assert_eq!(
            prepare(b"<svg xmlns='http://www.w3.org/2000/svg'><rect").unwrap_err(),
            LogoError::Unreadable
        );
        for e in [LogoError::TooBig, LogoError::Kind, LogoError::Unreadable] {
            assert!(!e.text(Lang::ZhCn).is_empty());
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
