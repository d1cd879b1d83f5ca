//! A photo made ready for the outbox in the browser: decoded (turned upright as the
//! camera recorded it), scaled so its longer side is at most
//! [`PHOTO_LONGEST`](linli_core::feedback::PHOTO_LONGEST) px, and encoded again as a
//! JPEG whose quality steps down until it fits
//! [`PHOTO_TARGET_BYTES`](linli_core::feedback::PHOTO_TARGET_BYTES). Drawing it on a
//! canvas leaves every piece of the file's metadata behind (EXIF, so the place it was
//! taken). The server draws it again all the same.

use linli_core::feedback::{MAX_PHOTO_BYTES, PHOTO_LONGEST, PHOTO_TARGET_BYTES};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap};

/// Qualities tried in turn, best first.
const QUALITIES: [f64; 5] = [0.82, 0.72, 0.62, 0.52, 0.42];

/// The photo as standard base64 JPEG (no `data:` prefix), or `None` when the browser
/// cannot read it or it cannot be made small enough.
pub async fn shrink(file: &web_sys::Blob) -> Option<String> {
    let window = web_sys::window()?;
    let promise = window.create_image_bitmap_with_blob(file).ok()?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
    let (w, h) = (bitmap.width().max(1), bitmap.height().max(1));
    let scale = (f64::from(PHOTO_LONGEST) / f64::from(w.max(h))).min(1.0);
    let (cw, ch) = (
        ((f64::from(w) * scale).round() as u32).max(1),
        ((f64::from(h) * scale).round() as u32).max(1),
    );
    let canvas: HtmlCanvasElement = window
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
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(cw), f64::from(ch))
        .ok()?;
    bitmap.close();
    let mut last = None;
    for q in QUALITIES {
        let url = canvas
            .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(q))
            .ok()?;
        let data = url.split_once(",").map(|(_, d)| d.to_owned())?;
        let bytes = data.len() / 4 * 3;
        if bytes <= PHOTO_TARGET_BYTES {
            return Some(data);
        }
        last = Some((data, bytes));
    }
    last.filter(|(_, bytes)| *bytes <= MAX_PHOTO_BYTES)
        .map(|(d, _)| d)
}
