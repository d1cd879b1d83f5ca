//! Each base widget owns the CSS block named after its folder (`notice/` owns
//! `.ll-notice`, `.ll-notice__*`, `.ll-notice--*`). A page or scenario that puts one of
//! those classes on markup of its own gets the widget's look by accident, as the
//! shell's notice page once got the message box's background and bold type.

use std::path::{Path, PathBuf};

/// Blocks other code may use on purpose, and why.
const SHARED: &[&str] = &[
    // Links styled as buttons (button/README.md).
    "ll-button",
];

/// Every `ll-<block>` class token in a Rust file's string literals, with its line.
fn class_tokens(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(i) = rest.find("ll-") {
            // A class begins the literal or follows a space.
            let before = rest[..i].chars().last();
            let token: String = rest[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if matches!(before, Some('"' | ' ')) {
                out.push((n + 1, token.clone()));
            }
            rest = &rest[i + token.len().max(3)..];
        }
    }
    out
}

/// Whether `token` is of `block` (`ll-notice`, `ll-notice__x`, `ll-notice--x`).
fn of_block(token: &str, block: &str) -> bool {
    token
        .strip_prefix(block)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with("__") || rest.starts_with("--"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Uses of a base widget's classes outside its folder: `file:line: class (widget)`.
pub fn collisions(root: &Path) -> std::io::Result<Vec<String>> {
    let base = root.join("widgets/src/base");
    let mut blocks = Vec::new();
    for entry in std::fs::read_dir(&base)? {
        let path = entry?.path();
        if let (true, Some(name)) = (path.is_dir(), path.file_name()) {
            blocks.push((
                format!("ll-{}", name.to_string_lossy().replace('_', "-")),
                path,
            ));
        }
    }
    let mut files = Vec::new();
    for dir in ["shell/src", "widgets/src", "examples/gallery/src"] {
        rust_files(&root.join(dir), &mut files)?;
    }
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file)?;
        for (line, token) in class_tokens(&text) {
            for (block, home) in &blocks {
                if of_block(&token, block)
                    && !file.starts_with(home)
                    && !SHARED.contains(&block.as_str())
                {
                    let shown = file
                        .strip_prefix(root)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    found.push(format!(
                        "{shown}:{line}: {token} ({block} is a base widget's)"
                    ));
                }
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_scenarios_never_put_a_base_widgets_class_on_their_own_markup() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let found = collisions(&root).unwrap();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }

    #[test]
    fn a_class_is_of_a_block_only_by_its_whole_name() {
        let tokens =
            class_tokens(r#"<p class="ll-notice-page ll-notice__x">"ll-notice" x-ll-notice"#);
        let names: Vec<&str> = tokens.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(names, ["ll-notice-page", "ll-notice__x", "ll-notice"]);
        assert!(!of_block("ll-notice-page", "ll-notice"));
        assert!(of_block("ll-notice__x", "ll-notice"));
        assert!(of_block("ll-notice--problem", "ll-notice"));
    }
}
