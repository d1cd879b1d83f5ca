//! Compression as browsers receive it: brotli (quality 11, what a static server
//! precompresses with) and gzip (level 9), for the size budget and for the `.br` /
//! `.gz` files `cargo xtask dist` writes beside each hashed asset.

use std::io::Write;
use std::path::Path;

use flate2::write::GzEncoder;
use flate2::Compression;

use crate::util::{list_files, Result};

/// `bytes` compressed with brotli at quality 11 (window 22, as `brotli -q 11`).
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out)
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
}
