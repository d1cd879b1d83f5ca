//! Paths, commands and errors shared by the xtask commands.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every xtask command returns this: a message for the person at the terminal.
pub type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `$CARGO_HOME/bin`, where `cargo install` puts tools.
pub fn cargo_bin() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/root/.cargo"))
        .join("bin")
}

/// PATH with the project's node tools and cargo's bin in front, so trunk finds the
/// pinned wasm-opt and wasm-bindgen rather than downloading its own.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules").join(".bin"), cargo_bin()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// A command with the tool PATH, run from the workspace root.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.env("PATH", tool_path()).current_dir(root());
    c
}

/// Runs a command to completion, failing with the command line if it fails.
pub fn run(c: &mut Command) -> Result {
    let line = describe(c);
    println!("$ {line}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})").into())
    }
}

/// Runs a test command, passing its output through, and answers how many tests
/// passed, read from the lines it prints (`test result: ok. N passed` from cargo,
/// `# pass N` from node): a tier that ran no test fails, since it proved nothing.
pub fn run_tests(c: &mut Command) -> Result<usize> {
    use std::io::{BufRead, BufReader};
    let line = describe(c);
    println!("$ {line}");
    let mut child = c
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    let mut passed = 0;
    if let Some(out) = child.stdout.take() {
        for l in BufReader::new(out).lines() {
            let l = l?;
            println!("{l}");
            passed += passed_in(&l);
        }
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("`{line}` failed ({status})").into());
    }
    if passed == 0 {
        return Err(format!("`{line}` ran no test: a tier that tests nothing fails").into());
    }
    Ok(passed)
}

/// Tests passed, as one line of cargo's or node's test output says.
pub fn passed_in(line: &str) -> usize {
    let number = |rest: &str| {
        rest.trim()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    if let Some(rest) = line.trim().strip_prefix("test result: ok.") {
        number(rest)
    } else if let Some(rest) = line.strip_prefix("# pass ") {
        number(rest)
    } else {
        0
    }
}

/// The first line a tool prints for `args`, or `None` when it is not installed.
pub fn probe(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program).args(args).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(|l| l.trim().to_owned())
}

fn describe(c: &Command) -> String {
    let mut parts = vec![c.get_program().to_string_lossy().into_owned()];
    parts.extend(c.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}

/// Copies a folder's files (recursively) into another, creating folders as needed.
pub fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Every file below `dir`, as paths relative to it with `/` separators, sorted.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    Ok(linli_site::list_files(dir)?)
}

#[cfg(test)]
mod counting_tests {
    use super::passed_in;

    #[test]
    fn passed_tests_are_read_from_cargo_and_node_output() {
        assert_eq!(
            passed_in("test result: ok. 43 passed; 0 failed; 0 ignored; 0 measured"),
            43
        );
        assert_eq!(passed_in("test result: ok. 0 passed; 0 failed"), 0);
        assert_eq!(passed_in("# pass 23"), 23);
        assert_eq!(passed_in("# fail 0"), 0);
        assert_eq!(passed_in("test a_thing ... ok"), 0);
    }
}
