//! Compression as browsers receive it: brotli (quality 11, what a static server
//! precompresses with) and gzip (level 9), for the size budget and for the `.br` /
//! `.gz` files `cargo xtask dist` writes beside each hashed asset.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::util::{list_files, Result};

/// `bytes` compressed with brotli at quality 11, window 22 (as `brotli -q 11`, the
/// reference encoder), the smallest of a few encoder settings: the generic and font
/// modes, each with the encoder's own block size and with 2^16, 2^20 and 2^24-byte
/// blocks. These only steer how the encoder splits and models the data (every
/// decoder reads them all), and precompressing at build time can afford to try them.
/// Measured on the WASM: the encoder's own choice swings by up to 1.9 KB brotli as a
/// few bytes change (removing four strings from the whole app made it 1.9 KB larger),
/// which the budget would read as a scenario growing; the smallest of the eight moves
/// with the code.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    use brotlic::{
        BlockSize, BrotliEncoderOptions, CompressionMode, CompressorWriter, Quality, WindowSize,
    };
    let mut best: Option<Vec<u8>> = None;
    for mode in [CompressionMode::Generic, CompressionMode::Font] {
        for block in [None, Some(16), Some(20), Some(24)] {
            let mut options = BrotliEncoderOptions::new();
            options
                .quality(Quality::best())
                .window_size(WindowSize::new(22).map_err(|e| format!("brotli window: {e:?}"))?)
                .mode(mode);
            if let Some(bits) = block {
                options
                    .block_size(BlockSize::new(bits).map_err(|e| format!("brotli block: {e:?}"))?);
            }
            let encoder = options
                .build()
                .map_err(|e| format!("brotli options: {e:?}"))?;
            let mut w = CompressorWriter::with_encoder(encoder, Vec::new());
            w.write_all(bytes)?;
            let out = w.into_inner().map_err(|e| format!("brotli: {e}"))?;
            if best.as_ref().is_none_or(|b| out.len() < b.len()) {
                best = Some(out);
            }
        }
    }
    Ok(best.unwrap_or_default())
}

/// `bytes` compressed with gzip at its best level.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?)
}

/// Whether a build file is content-hashed (`linli-shell-0123456789abcdef_bg.wasm`):
/// the files a server may serve precompressed and cache for a year.
pub fn is_hashed_asset(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    [".wasm", ".js", ".css"].iter().any(|e| name.ends_with(e))
        && stem
            .trim_end_matches("_bg")
            .rsplit_once('-')
            .is_some_and(|(_, h)| {
                (12..=16).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit())
            })
}

/// Writes `F.br` and `F.gz` beside every hashed asset `F` in `dir`.
pub fn precompress(dir: &Path) -> Result {
    for file in list_files(dir)? {
        if !is_hashed_asset(&file) {
            continue;
        }
        let bytes = std::fs::read(dir.join(&file))?;
        std::fs::write(dir.join(format!("{file}.br")), brotli(&bytes)?)?;
        std::fs::write(dir.join(format!("{file}.gz")), gzip(&bytes)?)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_hashed_build_files_are_precompressed() {
        assert!(is_hashed_asset("linli-shell-420c0d942c33babc_bg.wasm"));
        assert!(is_hashed_asset("linli-shell-420c0d942c33babc.js"));
        assert!(!is_hashed_asset(
            "snippets/linli-shell-0123456789abcdef/inline0.js"
        ));
        for f in [
            "index.html",
            "sw.js",
            "config.json",
            "icons/icon-192.png",
            "a-b.js",
        ] {
            assert!(!is_hashed_asset(f), "{f}");
        }
    }

    #[test]
    fn both_encodings_shrink_text_and_brotli_more() {
        let text = "老年助餐 meals ".repeat(500);
        let (br, gz) = (
            brotli(text.as_bytes()).unwrap(),
            gzip(text.as_bytes()).unwrap(),
        );
        assert!(br.len() < gz.len() && gz.len() < text.len());
    }

    #[test]
    fn what_any_browser_decodes_is_what_was_built() {
        use std::io::Read;
        // Text, and bytes shaped like code, where the font mode tends to win.
        let code: Vec<u8> = (0..60_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8 & 0x3f)
            .collect();
        for input in [("老年助餐 meals ".repeat(500).into_bytes()), code] {
            let packed = brotli(&input).unwrap();
            let mut back = Vec::new();
            brotlic::DecompressorReader::new(&packed[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, input);
        }
    }
}
