//! Pictures staff upload (a logo, a notice's photo), read from their bytes (never
//! their name or declared type) and always drawn again: what is served is a picture
//! this server encoded, so nothing else the file carried (a script, metadata, the
//! place a photo was taken) goes on. Sides are read from the header and checked before
//! anything is decoded, so a small file claiming a huge picture is refused cheaply.

use std::io::Cursor;

use linli_core::{Lang, StaffText};
use tiny_skia::{Color, FilterQuality, IntSize, Pixmap, PixmapPaint, Transform};

/// The formats a picture may come in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// PNG.
    Png,
    /// WebP.
    Webp,
    /// JPEG.
    Jpeg,
    /// SVG (text).
    Svg,
}

/// What the bytes are, by their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(Format::Webp)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(Format::Jpeg)
    } else if looks_like_svg(bytes) {
        Some(Format::Svg)
    } else {
        None
    }
}

/// Whether the bytes are SVG text: `<svg` near the start, after an optional byte-order
/// mark, XML declaration, comments and doctype.
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

/// Why a picture was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureError {
    /// Nothing was chosen.
    Empty,
    /// Over the limit, in KB.
    TooBig {
        /// The limit in KB.
        max_kb: usize,
    },
    /// Not one of the formats taken here (their names, for the message).
    Kind(&'static str),
    /// A side outside the limits, in pixels.
    Dimensions {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// The smallest side allowed.
        min: u32,
        /// The largest side allowed.
        max: u32,
    },
    /// The file is damaged or uses what cannot be read.
    Unreadable,
    /// An SVG with text, which is drawn without fonts (so would vanish).
    SvgText,
}

impl PictureError {
    /// The refusal in `lang`, to show beside the upload field.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            PictureError::Empty => lang.t(StaffText::LogoEmpty).to_owned(),
            PictureError::TooBig { max_kb } => {
                lang.fill(StaffText::LogoTooBig, &[("max", &max_kb.to_string())])
            }
            PictureError::Kind(kinds) => lang.fill(StaffText::PictureKind, &[("kinds", kinds)]),
            PictureError::Dimensions {
                width,
                height,
                min,
                max,
            } => lang.fill(
                StaffText::LogoDimensions,
                &[
                    ("width", &width.to_string()),
                    ("height", &height.to_string()),
                    ("min", &min.to_string()),
                    ("max", &max.to_string()),
                ],
            ),
            PictureError::Unreadable => lang.t(StaffText::LogoUnreadable).to_owned(),
            PictureError::SvgText => lang.t(StaffText::LogoSvgText).to_owned(),
        }
    }
}

/// Limits on a raster picture's sides, in pixels.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    /// The smallest side.
    pub min: u32,
    /// The largest side.
    pub max: u32,
}

impl Sides {
    fn check(self, width: u32, height: u32) -> Result<(), PictureError> {
        let ok = |s: u32| (self.min..=self.max).contains(&s);
        if ok(width) && ok(height) {
            Ok(())
        } else {
            Err(PictureError::Dimensions {
                width,
                height,
                min: self.min,
                max: self.max,
            })
        }
    }
}

/// A PNG, WebP or JPEG decoded (a JPEG turned upright by its EXIF orientation), its
/// sides checked first.
pub fn decode(bytes: &[u8], format: Format, sides: Sides) -> Result<Pixmap, PictureError> {
    match format {
        Format::Png => {
            // IHDR comes first: width and height, big-endian, at bytes 16 and 20.
            let side = |at: usize| {
                bytes
                    .get(at..at + 4)
                    .and_then(|b| <[u8; 4]>::try_from(b).ok())
                    .map(u32::from_be_bytes)
            };
            let (width, height) = side(16).zip(side(20)).ok_or(PictureError::Unreadable)?;
            sides.check(width, height)?;
            Pixmap::decode_png(bytes).map_err(|_| PictureError::Unreadable)
        }
        Format::Webp => webp(bytes, sides),
        Format::Jpeg => jpeg(bytes, sides),
        Format::Svg => Err(PictureError::Kind("PNG, WebP, JPEG")),
    }
}

/// Premultiplied RGBA from straight RGB(A) pixels (`channels` 3 or 4).
fn pixmap_from(
    pixels: &[u8],
    channels: usize,
    width: u32,
    height: u32,
) -> Result<Pixmap, PictureError> {
    let mut rgba = Vec::with_capacity(width as usize * height as usize * 4);
    for px in pixels.chunks_exact(channels) {
        let a = if channels == 4 { px[3] } else { 255 };
        let mul = |c: u8| ((u16::from(c) * u16::from(a) + 127) / 255) as u8;
        rgba.extend_from_slice(&[mul(px[0]), mul(px[1]), mul(px[2]), a]);
    }
    let size = IntSize::from_wh(width, height).ok_or(PictureError::Unreadable)?;
    Pixmap::from_vec(rgba, size).ok_or(PictureError::Unreadable)
}

fn webp(bytes: &[u8], sides: Sides) -> Result<Pixmap, PictureError> {
    let mut decoder =
        image_webp::WebPDecoder::new(Cursor::new(bytes)).map_err(|_| PictureError::Unreadable)?;
    let (width, height) = decoder.dimensions();
    sides.check(width, height)?;
    let size = decoder
        .output_buffer_size()
        .ok_or(PictureError::Unreadable)?;
    let mut buffer = vec![0u8; size];
    decoder
        .read_image(&mut buffer)
        .map_err(|_| PictureError::Unreadable)?;
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    pixmap_from(&buffer, channels, width, height)
}

fn jpeg(bytes: &[u8], sides: Sides) -> Result<Pixmap, PictureError> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.read_info().map_err(|_| PictureError::Unreadable)?;
    let info = decoder.info().ok_or(PictureError::Unreadable)?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    sides.check(width, height)?;
    let pixels = decoder.decode().map_err(|_| PictureError::Unreadable)?;
    let orientation = decoder.exif_data().and_then(exif_orientation).unwrap_or(1);
    let rgb: Vec<u8> = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => pixels,
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
        // Print-shop JPEGs: CMYK (often inverted, as Adobe writes it).
        jpeg_decoder::PixelFormat::CMYK32 => pixels
            .chunks_exact(4)
            .flat_map(|p| {
                let k = u16::from(p[3]);
                [p[0], p[1], p[2]].map(|c| ((u16::from(c) * k) / 255) as u8)
            })
            .collect(),
        jpeg_decoder::PixelFormat::L16 => return Err(PictureError::Unreadable),
    };
    let picture = pixmap_from(&rgb, 3, width, height)?;
    upright(&picture, orientation)
}

/// The orientation (1–8) in EXIF data that starts at the TIFF header: tag 0x0112 of
/// the first IFD.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let little = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b = <[u8; 2]>::try_from(tiff.get(at..at + 2)?).ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| {
        let b = <[u8; 4]>::try_from(tiff.get(at..at + 4)?).ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    (0..count.min(200))
        .map(|i| ifd + 2 + i * 12)
        .find(|&entry| u16_at(entry) == Some(0x0112))
        .and_then(|entry| u16_at(entry + 8))
        .filter(|o| (1..=8).contains(o))
}

/// The picture turned as EXIF orientation `o` says (1: as stored).
fn upright(p: &Pixmap, o: u16) -> Result<Pixmap, PictureError> {
    if o <= 1 || o > 8 {
        return Ok(p.clone());
    }
    let (w, h) = (p.width() as f32, p.height() as f32);
    let swap = o >= 5;
    let (ow, oh) = if swap {
        (p.height(), p.width())
    } else {
        (p.width(), p.height())
    };
    // The map from stored pixels to the upright picture, per EXIF 2.3 table 4.
    let t = match o {
        2 => Transform::from_row(-1.0, 0.0, 0.0, 1.0, w, 0.0),
        3 => Transform::from_row(-1.0, 0.0, 0.0, -1.0, w, h),
        4 => Transform::from_row(1.0, 0.0, 0.0, -1.0, 0.0, h),
        5 => Transform::from_row(0.0, 1.0, 1.0, 0.0, 0.0, 0.0),
        6 => Transform::from_row(0.0, 1.0, -1.0, 0.0, h, 0.0),
        7 => Transform::from_row(0.0, -1.0, -1.0, 0.0, h, w),
        _ => Transform::from_row(0.0, -1.0, 1.0, 0.0, 0.0, w),
    };
    let mut out = Pixmap::new(ow, oh).ok_or(PictureError::Unreadable)?;
    out.draw_pixmap(0, 0, p.as_ref(), &PixmapPaint::default(), t, None);
    Ok(out)
}

/// `picture` scaled to fit a `w`×`h` canvas and centred on it (transparent around).
pub fn fitted(picture: &Pixmap, w: u32, h: u32) -> Result<Pixmap, PictureError> {
    let mut canvas = Pixmap::new(w, h).ok_or(PictureError::Unreadable)?;
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
    Ok(canvas)
}

/// The sides of `picture` scaled down (never up) so the longer is at most `longest`.
pub fn scaled_sides(picture: &Pixmap, longest: u32) -> (u32, u32) {
    let (w, h) = (picture.width(), picture.height());
    let scale = (longest as f32 / w.max(h) as f32).min(1.0);
    (
        ((w as f32 * scale).round() as u32).max(1),
        ((h as f32 * scale).round() as u32).max(1),
    )
}

/// The largest photo upload, in bytes (a phone camera's JPEG).
pub const PHOTO_MAX_BYTES: usize = 8 * 1024 * 1024;
/// The sides a photo may have, in pixels.
pub const PHOTO_SIDES: Sides = Sides { min: 32, max: 6000 };
/// The longer side of a photo as residents get it, in pixels.
pub const PHOTO_LONGEST: u32 = 1280;

/// A photo for residents on slow networks: at most [`PHOTO_LONGEST`] px on its longer
/// side, upright, on white, as a JPEG (quality 78, usually 80–300 KB), with nothing of
/// the file it came from (no EXIF, so no place or camera).
pub fn photo(bytes: &[u8]) -> Result<Vec<u8>, PictureError> {
    if bytes.is_empty() {
        return Err(PictureError::Empty);
    }
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(PictureError::TooBig {
            max_kb: PHOTO_MAX_BYTES / 1024,
        });
    }
    let format = match sniff(bytes) {
        Some(f @ (Format::Png | Format::Webp | Format::Jpeg)) => f,
        _ => return Err(PictureError::Kind("JPEG, PNG, WebP")),
    };
    let picture = decode(bytes, format, PHOTO_SIDES)?;
    let (w, h) = scaled_sides(&picture, PHOTO_LONGEST);
    let mut canvas = Pixmap::new(w, h).ok_or(PictureError::Unreadable)?;
    canvas.fill(Color::WHITE);
    let drawn = fitted(&picture, w, h)?;
    canvas.draw_pixmap(
        0,
        0,
        drawn.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
    // Opaque now: premultiplied equals straight.
    let rgb: Vec<u8> = canvas
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::new();
    let (w16, h16) = (
        u16::try_from(w).map_err(|_| PictureError::Unreadable)?,
        u16::try_from(h).map_err(|_| PictureError::Unreadable)?,
    );
    jpeg_encoder::Encoder::new(&mut out, 78)
        .encode(&rgb, w16, h16, jpeg_encoder::ColorType::Rgb)
        .map_err(|_| PictureError::Unreadable)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_of(w: u16, h: u16, exif_orientation: Option<u16>) -> Vec<u8> {
        let rgb: Vec<u8> = (0..u32::from(w) * u32::from(h))
            .flat_map(|i| {
                // Left half red, right half blue: orientation shows.
                if i % u32::from(w) < u32::from(w) / 2 {
                    [200, 30, 30]
                } else {
                    [30, 30, 200]
                }
            })
            .collect();
        let mut out = Vec::new();
        let mut e = jpeg_encoder::Encoder::new(&mut out, 90);
        if let Some(o) = exif_orientation {
            // A TIFF header with one IFD entry: orientation.
            let mut tiff =
                b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01".to_vec();
            tiff.extend_from_slice(&o.to_be_bytes());
            tiff.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
            let mut app1 = b"Exif\x00\x00".to_vec();
            app1.extend_from_slice(&tiff);
            e.add_app_segment(1, &app1).unwrap();
        }
        e.encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
        out
    }

    #[test]
    fn a_camera_photo_is_made_small_upright_and_without_its_exif() {
        // 2000x1000 stored, orientation 6: upright it is 1000 wide, 2000 high.
        let original = jpeg_of(2000, 1000, Some(6));
        assert!(original.windows(4).any(|w| w == b"Exif"));
        let out = photo(&original).unwrap();
        let mut d = jpeg_decoder::Decoder::new(Cursor::new(&out));
        d.read_info().unwrap();
        let info = d.info().unwrap();
        assert_eq!((info.width, info.height), (640, 1280));
        assert!(d.exif_data().is_none(), "no EXIF goes on");
        assert!(!out.windows(4).any(|w| w == b"Exif"));
        // Turned: the red half (the left as stored) is now at the top.
        let pixels = d.decode().unwrap();
        let at = |x: usize, y: usize| &pixels[(y * 640 + x) * 3..(y * 640 + x) * 3 + 3];
        assert!(
            at(320, 100)[0] > 150 && at(320, 100)[2] < 100,
            "{:?}",
            at(320, 100)
        );
        assert!(at(320, 1180)[2] > 150, "{:?}", at(320, 1180));
    }

    #[test]
    fn pictures_are_told_by_their_bytes_and_their_limits_kept() {
        assert_eq!(sniff(&jpeg_of(40, 40, None)), Some(Format::Jpeg));
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some(Format::Svg)
        );
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(photo(b"").unwrap_err(), PictureError::Empty);
        assert_eq!(
            photo(b"<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap_err(),
            PictureError::Kind("JPEG, PNG, WebP")
        );
        assert!(matches!(
            photo(&jpeg_of(20, 20, None)).unwrap_err(),
            PictureError::Dimensions { width: 20, .. }
        ));
        assert_eq!(
            photo(&vec![0xff; PHOTO_MAX_BYTES + 1]).unwrap_err(),
            PictureError::TooBig { max_kb: 8192 }
        );
        // A small photo is not made larger.
        let out = photo(&jpeg_of(300, 200, None)).unwrap();
        let mut d = jpeg_decoder::Decoder::new(Cursor::new(&out));
        d.read_info().unwrap();
        assert_eq!(d.info().unwrap().width, 300);
    }
}
