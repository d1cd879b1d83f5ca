//! A photo made ready for the outbox in the browser: decoded (turned upright as the
//! camera recorded it), scaled so its longer side is at most
//! [`PHOTO_LONGEST`](linli_core::feedback::PHOTO_LONGEST) px, and encoded again as a
//! JPEG whose quality steps down until it fits
//! [`PHOTO_TARGET_BYTES`](linli_core::feedback::PHOTO_TARGET_BYTES). Drawing it on a
//! canvas leaves every piece of the file's metadata behind (EXIF, so the place it was
//! taken). The server draws it again all the same.
//!
//! Browsers without `createImageBitmap` (Safari before 15) decode it through an
//! `<img>` instead; a format the browser cannot decode (HEIC on most Android phones)
//! gives `None`.

use linli_core::feedback::{MAX_PHOTO_BYTES, PHOTO_LONGEST, PHOTO_TARGET_BYTES};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, HtmlImageElement, ImageBitmap, ImageBitmapOptions,
    ImageOrientation, Url,
};

/// Qualities tried in turn, best first.
const QUALITIES: [f64; 5] = [0.82, 0.72, 0.62, 0.52, 0.42];

/// A decoded picture, by whichever way the browser could.
enum Decoded {
    Bitmap(ImageBitmap),
    Image(HtmlImageElement, String),
}

impl Decoded {
    fn sides(&self) -> (u32, u32) {
        match self {
            Decoded::Bitmap(b) => (b.width(), b.height()),
            Decoded::Image(i, _) => (i.natural_width(), i.natural_height()),
        }
    }

    fn draw(&self, ctx: &CanvasRenderingContext2d, w: f64, h: f64) -> Option<()> {
        match self {
            Decoded::Bitmap(b) => ctx
                .draw_image_with_image_bitmap_and_dw_and_dh(b, 0.0, 0.0, w, h)
                .ok(),
            Decoded::Image(i, _) => ctx
                .draw_image_with_html_image_element_and_dw_and_dh(i, 0.0, 0.0, w, h)
                .ok(),
        }
    }
}

impl Drop for Decoded {
    fn drop(&mut self) {
        match self {
            Decoded::Bitmap(b) => b.close(),
            Decoded::Image(_, url) => {
                let _ = Url::revoke_object_url(url);
            }
        }
    }
}

async fn decode(file: &web_sys::Blob) -> Option<Decoded> {
    let window = web_sys::window()?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    if let Ok(promise) =
        window.create_image_bitmap_with_blob_and_image_bitmap_options(file, &options)
    {
        if let Ok(bitmap) = JsFuture::from(promise).await {
            return bitmap.dyn_into().ok().map(Decoded::Bitmap);
        }
        return None;
    }
    // No createImageBitmap: an <img> decodes it (upright: browsers apply EXIF
    // orientation to images by default).
    let url = Url::create_object_url_with_blob(file).ok()?;
    let img = HtmlImageElement::new().ok()?;
    img.set_src(&url);
    let decoded = Decoded::Image(img, url);
    if let Decoded::Image(img, _) = &decoded {
        JsFuture::from(img.decode()).await.ok()?;
    }
    Some(decoded)
}

/// The photo as standard base64 JPEG (no `data:` prefix), or `None` when the browser
/// cannot read it or it cannot be made small enough.
pub async fn shrink(file: &web_sys::Blob) -> Option<String> {
    let picture = decode(file).await?;
    let (w, h) = picture.sides();
    let (w, h) = (w.max(1), h.max(1));
    let scale = (f64::from(PHOTO_LONGEST) / f64::from(w.max(h))).min(1.0);
    let (cw, ch) = (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    );
    let canvas: HtmlCanvasElement = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into()
        .ok()?;
    canvas.set_width(cw);
    canvas.set_height(ch);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, f64::from(cw), f64::from(ch));
    picture.draw(&ctx, f64::from(cw), f64::from(ch))?;
    drop(picture);
    let mut last = None;
    for q in QUALITIES {
        let url = canvas
            .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(q))
            .ok()?;
        let data = url.split_once(',').map(|(_, d)| d.to_owned())?;
        let bytes = data.len() / 4 * 3;
        if bytes <= PHOTO_TARGET_BYTES {
            return Some(data);
        }
        last = Some((data, bytes));
    }
    last.filter(|(_, bytes)| *bytes <= MAX_PHOTO_BYTES)
        .map(|(d, _)| d)
}
